import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startFakeEdge } from "./fake-railway-edge.ts";
import type { FakeEdge } from "./fake-railway-edge.ts";

/**
 * The in-memory Railway behind the fake GraphQL server: one project with one environment, its services (each with
 * its service instance settings and variables), volumes (a temp directory each), domains (a loopback edge each) and
 * deployments, which really start a container stand-in (`FakeContainerLauncher`) and check its health like Railway.
 *
 * Deployment lifecycle (what Railway does, shortened to milliseconds): INITIALIZING → BUILDING (image pull) →
 * DEPLOYING (container started; when the service has a `healthcheckPath`, wait until it answers 200) → SUCCESS. A
 * newer deployment supersedes an older one: one still in progress is REMOVED at once, an older SUCCESS one is REMOVED
 * (its container stopped) when the newer one succeeds, so the edge switches over without a gap. A health check that
 * never passes ends FAILED; a container that dies ends CRASHED.
 *
 * The container stand-in plays the runtime image (docker/runtime.Dockerfile): before it starts, the world writes
 * `AGENTBOT_OPENCLAW_CONFIG` to `$OPENCLAW_STATE_DIR/openclaw.json`, with `OPENCLAW_STATE_DIR` mapped onto the
 * volume's directory when it lies under the volume's mount path (or onto a per-deployment scratch directory, lost on
 * redeploy, as a container's own filesystem is). Not simulated: builds from repositories, replicas, regions,
 * the restart policy (a crash stays CRASHED, so tests see it), RAILWAY_* variables Railway adds to containers, sleeping.
 */

export type FakeDeploymentStatus =
  "INITIALIZING" | "BUILDING" | "DEPLOYING" | "SUCCESS" | "FAILED" | "CRASHED" | "REMOVING" | "REMOVED";

const inProgress: ReadonlySet<FakeDeploymentStatus> = new Set(["INITIALIZING", "BUILDING", "DEPLOYING"]);

export interface FakeContainerInput {
  readonly serviceId: string;
  readonly deploymentId: string;
  readonly image: string;
  /** The container's environment: the service's variables when the deployment was made (state dir mapped). */
  readonly env: Readonly<Record<string, string>>;
  /** Appends a line to the deployment's logs (what `deploymentLogs` answers). */
  readonly log: (message: string, severity?: "info" | "error") => void;
  /** The container calls this when its process ends on its own (not through `stop`): the deployment CRASHED. */
  readonly onExit: (code: number | null) => void;
}

export interface FakeContainer {
  /** Where the container's HTTP port answers, e.g. `http://127.0.0.1:41234`. */
  readonly url: URL;
  stop(): Promise<void>;
}

/** Starts the stand-in for one deployment's container. */
export type FakeContainerLauncher = (input: FakeContainerInput) => Promise<FakeContainer>;

export interface FakeLogLine {
  readonly timestamp: string;
  readonly message: string;
  readonly severity: "info" | "error";
}

export interface FakeServiceRecord {
  readonly id: string;
  readonly instanceId: string;
  name: string;
  readonly createdAt: Date;
  updatedAt: Date;
  image: string | null;
  variables: Record<string, string>;
  healthcheckPath: string | null;
  healthcheckTimeout: number | null;
  restartPolicyType: string;
  restartPolicyMaxRetries: number;
  startCommand: string | null;
  vCPUs: number | null;
  memoryGB: number | null;
}

export interface FakeVolumeRecord {
  readonly id: string;
  readonly instanceId: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly serviceId: string | null;
  readonly mountPath: string;
  readonly directory: string;
}

export interface FakeDomainRecord {
  readonly id: string;
  readonly serviceId: string;
  readonly domain: string;
  readonly targetPort: number | null;
  readonly createdAt: Date;
  readonly edge: FakeEdge;
}

export interface FakeDeploymentRecord {
  readonly id: string;
  readonly serviceId: string;
  readonly createdAt: Date;
  status: FakeDeploymentStatus;
  statusUpdatedAt: Date;
  /** The service's settings as they were when the deployment was made (later changes need a new deployment). */
  readonly image: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly healthcheckPath: string | null;
  readonly healthcheckTimeoutMs: number;
  readonly logs: FakeLogLine[];
  container: FakeContainer | undefined;
  scratchDirectory: string | undefined;
}

export interface FakeRailwayWorldOptions {
  readonly projectId: string;
  readonly environmentId: string;
  readonly launchContainer: FakeContainerLauncher;
  /** Length of each of INITIALIZING and BUILDING. Default 10 ms. */
  readonly phaseMs?: number;
  /** How often the health check is tried while DEPLOYING. Default 25 ms. */
  readonly healthPollMs?: number;
  /** Upper bound on the health check window (Railway's default is 300 s). Default 15 s. */
  readonly maxHealthcheckTimeoutMs?: number;
}

export type FakeRailwayWorld = Awaited<ReturnType<typeof createFakeRailwayWorld>>;

/** The variables that name directories; their values are mapped from container paths to host directories. */
const statePathVariables = ["OPENCLAW_STATE_DIR"] as const;

export async function createFakeRailwayWorld(options: FakeRailwayWorldOptions) {
  const phaseMs = options.phaseMs ?? 10;
  const healthPollMs = options.healthPollMs ?? 25;
  const maxHealthcheckTimeoutMs = options.maxHealthcheckTimeoutMs ?? 15_000;
  const root = await mkdtemp(join(tmpdir(), "fake-railway-"));
  const services = new Map<string, FakeServiceRecord>();
  const volumes = new Map<string, FakeVolumeRecord>();
  const domains = new Map<string, FakeDomainRecord>();
  const deployments = new Map<string, FakeDeploymentRecord>();
  const running = new Set<Promise<void>>();
  let crashesArmed = 0;
  const crashingServiceNames: string[] = [];
  let lastLogNanos = 0n;
  let closed = false;

  function now(): Date {
    return new Date();
  }

  /** RFC 3339 with nanoseconds, strictly increasing (Railway's log timestamps have nanosecond precision). */
  function logTimestamp(): string {
    const nanos = BigInt(Date.now()) * 1_000_000n;
    lastLogNanos = nanos > lastLogNanos ? nanos : lastLogNanos + 1n;
    const millis = lastLogNanos / 1_000_000n;
    const iso = new Date(Number(millis)).toISOString();
    return `${iso.slice(0, 19)}.${(lastLogNanos % 1_000_000_000n).toString().padStart(9, "0")}Z`;
  }

  function appendLog(deployment: FakeDeploymentRecord, message: string, severity: "info" | "error" = "info") {
    deployment.logs.push({ timestamp: logTimestamp(), message, severity });
  }

  function setStatus(deployment: FakeDeploymentRecord, status: FakeDeploymentStatus) {
    deployment.status = status;
    deployment.statusUpdatedAt = now();
  }

  function deploymentsOf(serviceId: string): FakeDeploymentRecord[] {
    return [...deployments.values()]
      .filter((deployment) => deployment.serviceId === serviceId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  function latestDeployment(serviceId: string): FakeDeploymentRecord | undefined {
    return deploymentsOf(serviceId).at(-1);
  }

  /** The deployment the edge routes to: the newest SUCCESS one with a container. */
  function activeDeployment(serviceId: string): FakeDeploymentRecord | undefined {
    return deploymentsOf(serviceId)
      .filter((deployment) => deployment.status === "SUCCESS" && deployment.container)
      .at(-1);
  }

  function volumeOf(serviceId: string): FakeVolumeRecord | undefined {
    return [...volumes.values()].find((volume) => volume.serviceId === serviceId);
  }

  async function stopContainer(deployment: FakeDeploymentRecord) {
    const container = deployment.container;
    deployment.container = undefined;
    if (container) await container.stop();
    if (deployment.scratchDirectory) {
      await rm(deployment.scratchDirectory, { recursive: true, force: true });
      deployment.scratchDirectory = undefined;
    }
  }

  /** Maps a container path to a host directory: on the service's volume, else on the deployment's scratch space. */
  async function hostPathFor(deployment: FakeDeploymentRecord, containerPath: string): Promise<string> {
    const volume = volumeOf(deployment.serviceId);
    if (volume && (containerPath === volume.mountPath || containerPath.startsWith(`${volume.mountPath}/`))) {
      return join(volume.directory, containerPath.slice(volume.mountPath.length));
    }
    deployment.scratchDirectory ??= await mkdtemp(join(root, `scratch-${deployment.id.slice(0, 8)}-`));
    return join(deployment.scratchDirectory, containerPath);
  }

  /** What the runtime image's entrypoint does before starting the gateway. */
  async function prepareContainerEnv(deployment: FakeDeploymentRecord): Promise<Record<string, string>> {
    const env = { ...deployment.variables };
    for (const name of statePathVariables) {
      const value = env[name];
      if (value?.startsWith("/")) env[name] = await hostPathFor(deployment, value);
    }
    const stateDir = env.OPENCLAW_STATE_DIR;
    const config = env.AGENTBOT_OPENCLAW_CONFIG;
    if (stateDir !== undefined && config !== undefined) {
      await mkdir(stateDir, { recursive: true });
      await writeFile(join(stateDir, "openclaw.json"), config, { mode: 0o600 });
    }
    return env;
  }

  async function healthy(url: URL, path: string): Promise<boolean> {
    try {
      const response = await fetch(new URL(path, url), { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      return response.status === 200;
    } catch {
      return false;
    }
  }

  function shouldCrash(deployment: FakeDeploymentRecord): boolean {
    const service = services.get(deployment.serviceId);
    if (service && crashingServiceNames.some((part) => service.name.includes(part))) return true;
    if (crashesArmed > 0) {
      crashesArmed--;
      return true;
    }
    return false;
  }

  /** Starts the container and, when the service has a health check path, waits for it; then SUCCESS. */
  async function startContainer(deployment: FakeDeploymentRecord, expected: FakeDeploymentStatus): Promise<void> {
    const still = () => deployment.status === expected && deployments.has(deployment.id) && !closed;
    appendLog(deployment, "Starting Container");
    if (shouldCrash(deployment)) {
      appendLog(deployment, "Container exited with code 1", "error");
      setStatus(deployment, "CRASHED");
      return;
    }
    let exited = false;
    const crashed = () => {
      appendLog(deployment, "Deployment crashed", "error");
      setStatus(deployment, "CRASHED");
      track(stopContainer(deployment));
    };
    let container: FakeContainer;
    try {
      const env = await prepareContainerEnv(deployment);
      container = await options.launchContainer({
        serviceId: deployment.serviceId,
        deploymentId: deployment.id,
        image: deployment.image,
        env,
        log: (message, severity) => appendLog(deployment, message, severity),
        onExit: () => {
          exited = true;
          const live = deployment.status === "SUCCESS" || deployment.status === "DEPLOYING";
          if (deployment.container === container && live) crashed();
        },
      });
    } catch (cause) {
      appendLog(deployment, `Container failed to start: ${(cause as Error).message}`, "error");
      if (still()) setStatus(deployment, "CRASHED");
      return;
    }
    if (!still()) {
      await container.stop();
      return;
    }
    deployment.container = container;
    if (exited) return crashed();
    if (deployment.healthcheckPath !== null) {
      appendLog(deployment, `Starting Healthcheck (path: ${deployment.healthcheckPath})`);
      const deadline = Date.now() + deployment.healthcheckTimeoutMs;
      while (!(await healthy(container.url, deployment.healthcheckPath))) {
        if (!still() || exited) return;
        if (Date.now() > deadline) {
          appendLog(deployment, "Healthcheck failed!", "error");
          setStatus(deployment, "FAILED");
          await stopContainer(deployment);
          return;
        }
        await sleep(healthPollMs);
      }
      if (!still()) return;
      appendLog(deployment, "Healthcheck succeeded!");
    }
    setStatus(deployment, "SUCCESS");
    for (const older of deploymentsOf(deployment.serviceId)) {
      if (older !== deployment && older.createdAt <= deployment.createdAt && older.status === "SUCCESS") {
        setStatus(older, "REMOVED");
        await stopContainer(older);
      }
    }
  }

  async function runDeployment(deployment: FakeDeploymentRecord) {
    for (const next of ["BUILDING", "DEPLOYING"] as const) {
      await sleep(phaseMs);
      if (!inProgress.has(deployment.status) || !deployments.has(deployment.id) || closed) return;
      setStatus(deployment, next);
      if (next === "BUILDING") appendLog(deployment, `Pulling image ${deployment.image}`);
    }
    await startContainer(deployment, "DEPLOYING");
  }

  function track(work: Promise<void>) {
    const tracked = work.finally(() => running.delete(tracked));
    running.add(tracked);
  }

  return {
    projectId: options.projectId,
    environmentId: options.environmentId,
    root,
    services,
    volumes,
    domains,
    deployments,
    latestDeployment,
    activeDeployment,
    deploymentsOf,
    volumeOf,

    createService(input: { name: string; image: string | null; variables: Record<string, string> }) {
      const service: FakeServiceRecord = {
        id: randomUUID(),
        instanceId: randomUUID(),
        name: input.name,
        createdAt: now(),
        updatedAt: now(),
        image: input.image,
        variables: { ...input.variables },
        healthcheckPath: null,
        healthcheckTimeout: null,
        restartPolicyType: "ON_FAILURE",
        restartPolicyMaxRetries: 10,
        startCommand: null,
        vCPUs: null,
        memoryGB: null,
      };
      services.set(service.id, service);
      return service;
    },

    /** A new deployment of the service's current settings; older in-progress ones are REMOVED. */
    deploy(service: FakeServiceRecord): FakeDeploymentRecord {
      if (service.image === null) throw new Error("Service has no source to deploy");
      for (const older of deploymentsOf(service.id)) {
        if (inProgress.has(older.status)) {
          setStatus(older, "REMOVED");
          track(stopContainer(older));
        }
      }
      const deployment: FakeDeploymentRecord = {
        id: randomUUID(),
        serviceId: service.id,
        createdAt: now(),
        status: "INITIALIZING",
        statusUpdatedAt: now(),
        image: service.image,
        variables: { ...service.variables },
        healthcheckPath: service.healthcheckPath,
        healthcheckTimeoutMs: Math.min((service.healthcheckTimeout ?? 300) * 1000, maxHealthcheckTimeoutMs),
        logs: [],
        container: undefined,
        scratchDirectory: undefined,
      };
      deployments.set(deployment.id, deployment);
      track(runDeployment(deployment));
      return deployment;
    },

    /** Restarts the deployment's container with the same settings (DEPLOYING until healthy again). */
    restart(deployment: FakeDeploymentRecord) {
      if (deployment.status === "REMOVED" || deployment.status === "REMOVING") {
        throw new Error("Cannot restart a deployment that has been removed");
      }
      appendLog(deployment, "Restarting container");
      setStatus(deployment, "DEPLOYING");
      track(
        stopContainer(deployment).then(async () => {
          if (deployment.status === "DEPLOYING") await startContainer(deployment, "DEPLOYING");
        }),
      );
    },

    async remove(deployment: FakeDeploymentRecord) {
      if (deployment.status === "REMOVED") return;
      setStatus(deployment, "REMOVING");
      await stopContainer(deployment);
      setStatus(deployment, "REMOVED");
    },

    async deleteService(service: FakeServiceRecord) {
      services.delete(service.id);
      for (const deployment of deploymentsOf(service.id)) {
        setStatus(deployment, "REMOVED");
        deployments.delete(deployment.id);
        await stopContainer(deployment);
      }
      for (const domain of [...domains.values()].filter((one) => one.serviceId === service.id)) {
        domains.delete(domain.id);
        await domain.edge.close();
      }
    },

    async createVolume(input: { serviceId: string | null; mountPath: string; name: string }) {
      const id = randomUUID();
      const directory = join(root, `volume-${id}`);
      await mkdir(directory, { recursive: true });
      const volume: FakeVolumeRecord = { id, instanceId: randomUUID(), createdAt: now(), directory, ...input };
      volumes.set(id, volume);
      return volume;
    },

    async deleteVolume(volume: FakeVolumeRecord) {
      volumes.delete(volume.id);
      await rm(volume.directory, { recursive: true, force: true });
    },

    async createDomain(service: FakeServiceRecord, targetPort: number | null) {
      const edge = await startFakeEdge(() => {
        const active = activeDeployment(service.id);
        if (!active?.container) return undefined;
        // Railway routes the domain's target port to the container; the runtime listens on $PORT.
        const port = active.variables.PORT;
        if (targetPort !== null && port !== undefined && Number(port) !== targetPort) return undefined;
        return active.container.url;
      });
      const domain: FakeDomainRecord = {
        id: randomUUID(),
        serviceId: service.id,
        domain: edge.domain,
        targetPort,
        createdAt: now(),
        edge,
      };
      domains.set(domain.id, domain);
      return domain;
    },

    /** Failure knob: the service's running deployment crashes and its container stops. */
    async crash(serviceId: string) {
      const active = activeDeployment(serviceId);
      if (!active) throw new Error(`fake Railway: service ${serviceId} has no running deployment to crash`);
      appendLog(active, "Container exited with code 137", "error");
      setStatus(active, "CRASHED");
      await stopContainer(active);
    },

    armCrashes(count: number) {
      crashesArmed += count;
    },

    crashDeploymentsOf(serviceNamePart: string) {
      crashingServiceNames.push(serviceNamePart);
    },

    appendLog,

    /** Waits for background deployment work, then stops every container and edge and removes the temp files. */
    async close() {
      closed = true;
      await Promise.allSettled([...running]);
      for (const deployment of deployments.values()) await stopContainer(deployment);
      for (const domain of domains.values()) await domain.edge.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
