import { setTimeout as sleep } from "node:timers/promises";
import { EngineError } from "@agentbot/engine";
import type {
  DriverCallOptions,
  EngineDriver,
  ListedWorkload,
  LogLine,
  ProgressReporter,
  WorkloadRef,
  WorkloadSpec,
  WorkloadStatus,
} from "@agentbot/engine";
import type { z } from "zod";
import {
  booleanAnswer,
  deployAnswer,
  deploymentLogsAnswer,
  deploymentStatusAnswer,
  environmentServiceInstancesAnswer,
  environmentVolumeInstancesAnswer,
  serviceCreateAnswer,
  serviceDomainCreateAnswer,
  serviceInstanceStateAnswer,
  volumeCreateAnswer,
} from "./driver/railway-answers.ts";
import type { RailwayLogLine, ServiceInstanceState } from "./driver/railway-answers.ts";
import { failedDeploymentStatuses, removedDeploymentStatuses, workloadStateFor } from "./driver/deployment-state.ts";
import { engineErrorFrom, isNotFound } from "./driver/engine-errors.ts";
import { followDeploymentLogs } from "./driver/follow-logs.ts";
import { readRefData, refFor } from "./driver/railway-ref.ts";
import type { RailwayRefData } from "./driver/railway-ref.ts";
import { railwayLimits, RUNTIME_PORT, runtimeVariables, VOLUME_MOUNT_PATH } from "./driver/runtime-variables.ts";
import { agentIdFromServiceName, isAgentbotServiceName, serviceNameFor } from "./driver/service-name.ts";
import type { RailwayOperationName } from "./operations.ts";
import { createRailwayClient } from "./railway-client.ts";
import type { RailwayClient } from "./railway-client.ts";

/** The part of a pino logger the driver uses. */
export interface RailwayDriverLogger {
  info(data: Record<string, unknown>, message: string): void;
  warn(data: Record<string, unknown>, message: string): void;
}

type Connection =
  | { readonly client: RailwayClient; readonly token?: undefined }
  | {
      readonly client?: undefined;
      /** Account or workspace token (`Authorization: Bearer`), or a project token (`Project-Access-Token`). */
      readonly token: string;
      readonly tokenKind?: "account" | "project";
      /** Default: Railway's public API. */
      readonly endpoint?: string;
    };

export type RailwayDriverOptions = Connection & {
  readonly projectId: string;
  readonly environmentId: string;
  /** The runtime image for a runtime version (docker/runtime.Dockerfile). Default `ghcr.io/agentbot/runtime:<v>`. */
  readonly image?: (runtimeVersion: string) => string;
  /** The base URL for a service domain. Default `https://<domain>`. */
  readonly publicUrlForDomain?: (domain: string) => string;
  /** How long a deployment may take to reach SUCCESS (image pull + boot + Railway's health check). Default 10 min. */
  readonly deployTimeoutMs?: number;
  /** Deployment status and log polling interval. Default 3 s. */
  readonly pollIntervalMs?: number;
  /** Railway's health check window for a new deployment, in seconds. Default 300. */
  readonly healthcheckTimeoutSeconds?: number;
  /** Railway's own restarts of a crashed container (restart policy ON_FAILURE) before it stays CRASHED. Default 3. */
  readonly restartPolicyMaxRetries?: number;
  readonly logger?: RailwayDriverLogger;
};

/**
 * What the runtime image prints when the gateway ends (docker/runtime.Dockerfile's entrypoint), the only way an exit
 * code reaches Railway's logs: Railway's API reports CRASHED but no exit code. 78 is OpenClaw's "configuration refused".
 */
const CONFIG_REFUSED_LINE = /exited with code 78\b/;

/**
 * The Railway engine driver: one Railway service per agent in one project and environment, created from the runtime
 * image with all its variables (creating it deploys it), then health check and restart policy, plan limits, a volume
 * at /data for the runtime's state, a domain on the gateway's port, and a deployment whose status it polls until
 * SUCCESS (Railway's health check on /healthz passed). A create that fails deletes what it made (service, then
 * volume) before throwing an EngineError naming the step. stop removes the active deployment (Railway's "remove",
 * what `railway down` does) and keeps the service and volume; start deploys again. Logs are polled from
 * `deploymentLogs`; Railway also streams logs over a GraphQL subscription (WebSocket), which this driver does not use:
 * polling needs no long-lived connection and survives reconnects by design.
 */
export function createRailwayDriver(options: RailwayDriverOptions): EngineDriver {
  const token = options.token;
  const client =
    options.client ??
    createRailwayClient({
      token: options.token,
      ...(options.tokenKind ? { tokenKind: options.tokenKind } : {}),
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      onRetry: (info) => options.logger?.warn({ ...info }, "Railway call failed; retrying"),
    });
  const { projectId, environmentId } = options;
  const imageFor = options.image ?? ((runtimeVersion: string) => `ghcr.io/agentbot/runtime:${runtimeVersion}`);
  const publicUrlForDomain = options.publicUrlForDomain ?? ((domain: string) => `https://${domain}`);
  const deployTimeoutMs = options.deployTimeoutMs ?? 10 * 60_000;
  const pollIntervalMs = options.pollIntervalMs ?? 3_000;
  const healthcheckTimeout = options.healthcheckTimeoutSeconds ?? 300;
  const restartPolicyMaxRetries = options.restartPolicyMaxRetries ?? 3;
  const logger = options.logger;
  const redact = (text: string) => (token ? text.split(token).join("[redacted]") : text);

  async function request<S extends z.ZodType>(
    step: string,
    operation: RailwayOperationName,
    variables: Record<string, unknown>,
    answer: S,
  ): Promise<z.infer<S>> {
    let data: unknown;
    try {
      data = await client.request(operation, variables);
    } catch (error) {
      throw engineErrorFrom(error, step, redact);
    }
    const parsed = answer.safeParse(data);
    if (!parsed.success) {
      throw new EngineError("engine_error", `Railway ${step}: unexpected answer to ${operation}`, { retryable: true });
    }
    return parsed.data;
  }

  function checkAborted(signal: AbortSignal | undefined, step: string) {
    if (signal?.aborted) {
      throw new EngineError("engine_error", `Railway ${step}: aborted`, { retryable: true, cause: signal.reason });
    }
  }

  async function pause(ms: number, signal: AbortSignal | undefined, step: string) {
    try {
      await sleep(ms, undefined, signal ? { signal } : {});
    } catch {
      checkAborted(signal, step);
    }
  }

  /** The service's state in our environment, or null when Railway has no such service. */
  async function serviceState(serviceId: string, step: string): Promise<ServiceInstanceState | null> {
    try {
      const answer = await request(
        step,
        "serviceInstanceState",
        { serviceId, environmentId },
        serviceInstanceStateAnswer,
      );
      return answer.serviceInstance;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async function volumesOf(serviceId: string, step: string): Promise<string[]> {
    const answer = await request(
      step,
      "environmentVolumeInstances",
      { environmentId },
      environmentVolumeInstancesAnswer,
    );
    return answer.environment.volumeInstances.edges
      .filter((edge) => edge.node.serviceId === serviceId)
      .map((edge) => edge.node.volumeId);
  }

  async function deploymentLogLines(deploymentId: string, limit: number, step: string): Promise<RailwayLogLine[]> {
    const answer = await request(step, "deploymentLogs", { deploymentId, limit }, deploymentLogsAnswer);
    return answer.deploymentLogs;
  }

  /** The error for a deployment that ended badly; a runtime that refused its config is `invalid_config`. */
  async function deploymentEndedError(deploymentId: string, status: string, step: string): Promise<EngineError> {
    if (status === "CRASHED" || status === "FAILED") {
      const lines = await deploymentLogLines(deploymentId, 100, step).catch(() => []);
      if (lines.some((line) => CONFIG_REFUSED_LINE.test(line.message))) {
        return new EngineError(
          "invalid_config",
          `Railway deployment ${deploymentId} ${status}: the runtime refused its configuration (exit code 78)`,
        );
      }
    }
    return new EngineError("engine_error", `Railway deployment ${deploymentId} ended ${status}`, {
      retryable: status === "REMOVED" || status === "SKIPPED",
    });
  }

  /** Polls the deployment until SUCCESS; a bad end or the deadline throws. */
  async function waitForDeployment(
    deploymentId: string,
    step: string,
    call: DriverCallOptions | undefined,
  ): Promise<void> {
    const deadline = Date.now() + deployTimeoutMs;
    let last: string | undefined;
    for (;;) {
      checkAborted(call?.signal, step);
      const { deployment } = await request(step, "deploymentStatus", { id: deploymentId }, deploymentStatusAnswer);
      if (deployment.status !== last) {
        last = deployment.status;
        call?.onProgress?.(step, `deployment ${deployment.status}`, { deploymentId, status: deployment.status });
      }
      if (deployment.status === "SUCCESS") return;
      if (failedDeploymentStatuses.has(deployment.status)) {
        throw await deploymentEndedError(deploymentId, deployment.status, step);
      }
      if (Date.now() >= deadline) {
        throw new EngineError(
          "engine_error",
          `Railway deployment ${deploymentId} did not succeed within ${Math.round(deployTimeoutMs / 1000)} s (last status ${deployment.status})`,
          { retryable: true },
        );
      }
      await pause(pollIntervalMs, call?.signal, step);
    }
  }

  async function deployAndWait(serviceId: string, call: DriverCallOptions | undefined): Promise<string> {
    call?.onProgress?.("deploy", "deploying on Railway", { serviceId });
    const { serviceInstanceDeployV2: deploymentId } = await request(
      "deploy",
      "serviceInstanceDeployV2",
      { serviceId, environmentId },
      deployAnswer,
    );
    await waitForDeployment(deploymentId, "deploy.wait", call);
    return deploymentId;
  }

  /** Deletes a service and its volumes; "not found" counts as done. Answers what it could not delete. */
  async function removeService(serviceId: string, knownVolumeIds: readonly string[], step: string) {
    const leftovers: string[] = [];
    const volumeIds = new Set(knownVolumeIds);
    try {
      for (const volumeId of await volumesOf(serviceId, step)) volumeIds.add(volumeId);
    } catch (error) {
      logger?.warn({ serviceId, err: (error as Error).message }, "could not list the service's volumes");
    }
    try {
      await request(step, "serviceDelete", { id: serviceId, environmentId }, booleanAnswer("serviceDelete"));
    } catch (error) {
      if (!isNotFound(error)) {
        leftovers.push(`service ${serviceId}`);
        logger?.warn({ serviceId, err: (error as Error).message }, "could not delete the Railway service");
      }
    }
    for (const volumeId of volumeIds) {
      try {
        await request(step, "volumeDelete", { volumeId }, booleanAnswer("volumeDelete"));
      } catch (error) {
        if (!isNotFound(error)) {
          leftovers.push(`volume ${volumeId}`);
          logger?.warn({ serviceId, volumeId, err: (error as Error).message }, "could not delete the Railway volume");
        }
      }
    }
    return leftovers;
  }

  async function listWorkloads(): Promise<ListedWorkload[]> {
    const workloads: ListedWorkload[] = [];
    let after: string | null | undefined;
    do {
      const answer = await request(
        "list",
        "environmentServiceInstances",
        { environmentId, after: after ?? null },
        environmentServiceInstancesAnswer,
      );
      const { edges, pageInfo } = answer.environment.serviceInstances;
      for (const { node } of edges) {
        if (!isAgentbotServiceName(node.serviceName)) continue;
        const agentId = agentIdFromServiceName(node.serviceName);
        const domain = node.domains.serviceDomains[0];
        const createdAt = node.createdAt ? new Date(node.createdAt) : null;
        workloads.push({
          agentId,
          createdAt: createdAt && !Number.isNaN(createdAt.getTime()) ? createdAt : null,
          ref: refFor(agentId ?? "", node.serviceId, {
            serviceName: node.serviceName,
            domain: domain?.domain ?? null,
            domainId: domain?.id ?? null,
            volumeId: null,
            deploymentId: node.latestDeployment?.id ?? null,
          }),
        });
      }
      after = pageInfo.hasNextPage ? pageInfo.endCursor : null;
    } while (after);
    return workloads;
  }

  /**
   * A retried create for an agent whose service exists: completes what is missing (volume, domain, a deployment) and
   * answers the service's ref. It never deletes the existing service, even when this fails: it may hold the agent's
   * state, and delete() is the backend's decision.
   */
  async function adopt(existing: ListedWorkload, spec: WorkloadSpec, call: DriverCallOptions | undefined) {
    const serviceId = existing.ref.serviceId;
    call?.onProgress?.("service.found", "the agent's Railway service exists; resuming it", { serviceId });
    const state = await serviceState(serviceId, "service.state");
    if (!state)
      throw new EngineError("engine_error", `Railway service ${serviceId} disappeared during create`, {
        retryable: true,
      });
    let needsDeploy = false;
    let [volumeId] = await volumesOf(serviceId, "volume.find");
    if (!volumeId) {
      volumeId = await createVolume(serviceId, call);
      needsDeploy = true;
    }
    let domain = state.domains.serviceDomains[0];
    domain ??= await createDomain(serviceId, call);
    let deploymentId = state.latestDeployment?.id ?? null;
    const status = state.latestDeployment?.status;
    if (needsDeploy || !deploymentId || status === undefined || failedDeploymentStatuses.has(status)) {
      deploymentId = await deployAndWait(serviceId, call);
    } else if (status !== "SUCCESS") {
      await waitForDeployment(deploymentId, "deploy.wait", call);
    }
    return refFor(spec.agentId, serviceId, {
      serviceName: state.serviceName,
      domain: domain.domain,
      domainId: domain.id,
      volumeId,
      deploymentId,
    });
  }

  async function createVolume(serviceId: string, call: DriverCallOptions | undefined): Promise<string> {
    call?.onProgress?.("volume.create", `creating the state volume at ${VOLUME_MOUNT_PATH}`, { serviceId });
    const { volumeCreate } = await request(
      "volume.create",
      "volumeCreate",
      { input: { projectId, environmentId, serviceId, mountPath: VOLUME_MOUNT_PATH } },
      volumeCreateAnswer,
    );
    return volumeCreate.id;
  }

  async function createDomain(serviceId: string, call: DriverCallOptions | undefined) {
    call?.onProgress?.("domain.create", `creating the public domain for port ${RUNTIME_PORT}`, { serviceId });
    const { serviceDomainCreate } = await request(
      "domain.create",
      "serviceDomainCreate",
      { input: { serviceId, environmentId, targetPort: RUNTIME_PORT } },
      serviceDomainCreateAnswer,
    );
    return serviceDomainCreate;
  }

  async function configureInstance(serviceId: string, spec: WorkloadSpec, call: DriverCallOptions | undefined) {
    call?.onProgress?.("service.configure", "setting the health check and restart policy", { serviceId });
    await request(
      "service.configure",
      "serviceInstanceUpdate",
      {
        serviceId,
        environmentId,
        input: {
          healthcheckPath: "/healthz",
          healthcheckTimeout,
          restartPolicyType: "ON_FAILURE",
          restartPolicyMaxRetries,
        },
      },
      booleanAnswer("serviceInstanceUpdate"),
    );
    await applyLimits(serviceId, spec, call);
  }

  async function applyLimits(serviceId: string, spec: WorkloadSpec, call: DriverCallOptions | undefined) {
    const limits = railwayLimits(spec);
    call?.onProgress?.("service.limits", `limits: ${limits.vCPUs} vCPU, ${limits.memoryGB} GB`, { serviceId });
    await request(
      "service.limits",
      "serviceInstanceLimitsUpdate",
      { input: { serviceId, environmentId, ...limits } },
      booleanAnswer("serviceInstanceLimitsUpdate"),
    );
  }

  return {
    kind: "railway",

    async create(spec, call) {
      const variables = runtimeVariables(spec);
      railwayLimits(spec);
      checkAborted(call?.signal, "create");
      const existing = (await listWorkloads())
        .filter((workload) => workload.agentId === spec.agentId)
        .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0))[0];
      if (existing) return adopt(existing, spec, call);

      const serviceName = serviceNameFor(spec);
      const image = imageFor(spec.runtimeVersion);
      let serviceId: string | undefined;
      let volumeId: string | undefined;
      let step = "service.create";
      const progress: ProgressReporter = (next, message, data) => {
        step = next;
        call?.onProgress?.(next, message, data);
      };
      const tracked: DriverCallOptions = { ...call, onProgress: progress };
      try {
        progress("service.create", `creating Railway service ${serviceName} from ${image}`, { image });
        const { serviceCreate } = await request(
          "service.create",
          "serviceCreate",
          { input: { projectId, environmentId, name: serviceName, source: { image }, variables } },
          serviceCreateAnswer,
        );
        serviceId = serviceCreate.id;
        checkAborted(call?.signal, step);
        await configureInstance(serviceId, spec, tracked);
        checkAborted(call?.signal, step);
        volumeId = await createVolume(serviceId, tracked);
        checkAborted(call?.signal, step);
        const domain = await createDomain(serviceId, tracked);
        checkAborted(call?.signal, step);
        // A new deployment, so the limits and the volume apply (the one serviceCreate started has neither).
        const deploymentId = await deployAndWait(serviceId, tracked);
        call?.onProgress?.("created", `running at ${publicUrlForDomain(domain.domain)}`, { serviceId, deploymentId });
        return refFor(spec.agentId, serviceId, {
          serviceName,
          domain: domain.domain,
          domainId: domain.id,
          volumeId,
          deploymentId,
        });
      } catch (error) {
        const failure = engineErrorFrom(error, step, redact);
        if (serviceId === undefined) throw failure;
        call?.onProgress?.("compensate", `removing what was created after ${step} failed`, { serviceId });
        const leftovers = await removeService(serviceId, volumeId ? [volumeId] : [], "compensate");
        logger?.warn({ serviceId, step, leftovers }, "Railway create failed; removed what it had created");
        const tail = leftovers.length > 0 ? `; could not remove ${leftovers.join(", ")} (the reconciler will)` : "";
        throw new EngineError(failure.code, `${failure.message}${tail}`, {
          retryable: failure.retryable,
          cause: failure.cause ?? failure,
        });
      }
    },

    async status(ref, call) {
      checkAborted(call?.signal, "status");
      const state = await serviceState(ref.serviceId, "status");
      if (!state) return { state: "missing", detail: "Railway has no such service" } satisfies WorkloadStatus;
      const latest = state.latestDeployment;
      return {
        state: workloadStateFor(latest?.status),
        detail: latest ? `deployment ${latest.id} ${latest.status}` : "no deployment",
      };
    },

    endpoint(ref) {
      const { domain } = readRefData(ref);
      if (!domain) {
        throw new EngineError("not_found", `workload ${ref.serviceId} has no Railway domain in its ref`);
      }
      return { baseUrl: publicUrlForDomain(domain) };
    },

    async start(ref, call) {
      const state = await serviceState(ref.serviceId, "start");
      if (!state) throw new EngineError("not_found", `Railway service ${ref.serviceId} does not exist`);
      const latest = state.latestDeployment;
      if (latest?.status === "SUCCESS") return withDeployment(ref, latest.id);
      if (latest && workloadStateFor(latest.status) === "starting") {
        await waitForDeployment(latest.id, "start.wait", call);
        return withDeployment(ref, latest.id);
      }
      return withDeployment(ref, await deployAndWait(ref.serviceId, call));
    },

    async stop(ref, call) {
      const state = await serviceState(ref.serviceId, "stop");
      if (!state) throw new EngineError("not_found", `Railway service ${ref.serviceId} does not exist`);
      const targets = new Map(state.activeDeployments.map((deployment) => [deployment.id, deployment.status]));
      const latest = state.latestDeployment;
      if (latest && !removedDeploymentStatuses.has(latest.status)) targets.set(latest.id, latest.status);
      for (const [deploymentId] of targets) {
        checkAborted(call?.signal, "stop");
        call?.onProgress?.("stop", `removing deployment ${deploymentId}`, { deploymentId });
        await request("stop", "deploymentRemove", { id: deploymentId }, booleanAnswer("deploymentRemove"));
      }
      for (const [deploymentId] of targets) await waitUntilRemoved(deploymentId, call);
      return ref;
    },

    async restart(ref, call) {
      const state = await serviceState(ref.serviceId, "restart");
      if (!state) throw new EngineError("not_found", `Railway service ${ref.serviceId} does not exist`);
      const latest = state.latestDeployment;
      if (!latest || removedDeploymentStatuses.has(latest.status)) {
        return withDeployment(ref, await deployAndWait(ref.serviceId, call));
      }
      call?.onProgress?.("restart", `restarting deployment ${latest.id}`, { deploymentId: latest.id });
      await request("restart", "deploymentRestart", { id: latest.id }, booleanAnswer("deploymentRestart"));
      await waitForDeployment(latest.id, "restart.wait", call);
      return withDeployment(ref, latest.id);
    },

    async redeploy(ref, spec, call) {
      const variables = runtimeVariables(spec);
      const image = imageFor(spec.runtimeVersion);
      const state = await serviceState(ref.serviceId, "redeploy");
      if (!state) throw new EngineError("not_found", `Railway service ${ref.serviceId} does not exist`);
      call?.onProgress?.("redeploy.image", `switching to ${image}`, { image });
      await request(
        "redeploy.image",
        "serviceInstanceUpdate",
        { serviceId: ref.serviceId, environmentId, input: { source: { image } } },
        booleanAnswer("serviceInstanceUpdate"),
      );
      call?.onProgress?.("redeploy.variables", "replacing the service's variables", {});
      // replace: the spec is the whole truth (a removed key must go); skipDeploys: one deployment, below.
      await request(
        "redeploy.variables",
        "variableCollectionUpsert",
        {
          input: {
            projectId,
            environmentId,
            serviceId: ref.serviceId,
            variables,
            replace: true,
            skipDeploys: true,
          },
        },
        booleanAnswer("variableCollectionUpsert"),
      );
      await applyLimits(ref.serviceId, spec, call);
      return withDeployment(ref, await deployAndWait(ref.serviceId, call));
    },

    async delete(ref, call) {
      call?.onProgress?.("delete", `deleting Railway service ${ref.serviceId} and its volume`, {});
      const { volumeId } = readRefData(ref);
      const leftovers = await removeService(ref.serviceId, volumeId ? [volumeId] : [], "delete");
      if (leftovers.length > 0) {
        throw new EngineError("engine_error", `Railway delete: could not remove ${leftovers.join(", ")}`, {
          retryable: true,
        });
      }
    },

    async logs(ref, { limit, signal }) {
      checkAborted(signal, "logs");
      const state = await serviceState(ref.serviceId, "logs");
      const deploymentId = state?.latestDeployment?.id;
      if (!deploymentId || limit <= 0) return [];
      return (await deploymentLogLines(deploymentId, limit, "logs")).slice(-limit).map(toLogLine);
    },

    followLogs(ref, { signal }) {
      return followDeploymentLogs({
        signal,
        pollIntervalMs,
        latestDeploymentId: async () => {
          const state = await serviceState(ref.serviceId, "logs.follow");
          return state ? (state.latestDeployment?.id ?? null) : undefined;
        },
        fetchLines: (deploymentId) => deploymentLogLines(deploymentId, 500, "logs.follow"),
        toLogLine,
        onError: (error) => logger?.warn({ serviceId: ref.serviceId, err: error.message }, "log polling failed"),
      });
    },

    list: () => listWorkloads(),

    close: () => Promise.resolve(),
  } satisfies EngineDriver;

  async function waitUntilRemoved(deploymentId: string, call: DriverCallOptions | undefined) {
    const deadline = Date.now() + deployTimeoutMs;
    for (;;) {
      const { deployment } = await request(
        "stop.wait",
        "deploymentStatus",
        { id: deploymentId },
        deploymentStatusAnswer,
      );
      if (deployment.status !== "REMOVING" && removedDeploymentStatuses.has(deployment.status)) return;
      if (deployment.status === "CRASHED" || deployment.status === "FAILED") return;
      if (Date.now() >= deadline) {
        throw new EngineError("engine_error", `Railway deployment ${deploymentId} was not removed in time`, {
          retryable: true,
        });
      }
      await pause(pollIntervalMs, call?.signal, "stop.wait");
    }
  }
}

function withDeployment(ref: WorkloadRef, deploymentId: string): WorkloadRef {
  const data: RailwayRefData = { ...readRefData(ref), deploymentId };
  return refFor(ref.agentId, ref.serviceId, data);
}

function toLogLine(line: RailwayLogLine): LogLine {
  const at = Number.isNaN(Date.parse(line.timestamp)) ? new Date().toISOString() : line.timestamp;
  const severity = line.severity?.toLowerCase();
  return { at, stream: severity === "error" || severity === "err" ? "stderr" : "stdout", text: line.message };
}
