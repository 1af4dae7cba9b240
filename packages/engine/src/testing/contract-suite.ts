import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EngineError } from "../engine-driver.ts";
import type { EngineDriver, LogLine, WorkloadRef, WorkloadSpec, WorkloadStatus } from "../engine-driver.ts";
import { isLive, isReady, requestRuntime, startupInfo, waitFor } from "./runtime-probes.ts";

/** What a driver's test file gives the contract suite. */
export interface EngineDriverHarness {
  readonly driver: EngineDriver;
  /**
   * A spec the driver can run with the fake runtime: a NEW agentId and name on every call (unless overridden),
   * `env.OPENCLAW_GATEWAY_TOKEN` set, and `openclawConfig` a JSON document the runtime accepts with
   * `gateway.http.endpoints.chatCompletions.enabled: true`. The suite replaces the token with its own per workload
   * and edits the config (JSON.parse/stringify) for the configuration tests.
   */
  makeSpec(overrides?: Partial<WorkloadSpec>): WorkloadSpec;
  /** How to make a workload's runtime crash (local: kill the process; railway: the fake marks the deployment CRASHED). */
  crash(ref: WorkloadRef): Promise<void>;
  /** Removes everything the harness and the driver made (called once, after the suite). */
  cleanup(): Promise<void>;
  /** How long a (re)started runtime may take to answer its probes. Default 20 s. */
  readonly readyTimeoutMs?: number;
  /** The other runtime version `redeploy` switches to. Default: `<makeSpec().runtimeVersion>-next`. */
  readonly redeployRuntimeVersion?: string;
}

const TEST_TIMEOUT_MS = 90_000;

/**
 * The behaviour every EngineDriver must have, run against the fake runtime. Decisions it pins down:
 * - create answers once the workload is created and started; the runtime's probes then answer within
 *   `readyTimeoutMs` and `status` reaches `running`. Drivers do not wait for health themselves.
 * - A configuration the runtime refuses (OpenClaw exits 78) is reported either by create rejecting with an
 *   `invalid_config` EngineError (leaving nothing behind) or by `status` reaching `crashed`, with `exitCode: 78`
 *   when the engine knows exit codes (the local driver does, Railway does not). It never stays `running`.
 * - followLogs ends normally (no throw) once its signal aborts.
 * - Operations on an unknown workload: status answers `missing`, delete is a no-op.
 */
export function describeEngineDriver(name: string, setup: () => Promise<EngineDriverHarness>): void {
  describe(`EngineDriver contract: ${name}`, () => {
    let harness: EngineDriverHarness;
    let driver: EngineDriver;
    const created: WorkloadRef[] = [];

    beforeAll(async () => {
      harness = await setup();
      driver = harness.driver;
    }, TEST_TIMEOUT_MS);

    afterEach(async () => {
      const refs = created.splice(0);
      await Promise.all(refs.map((ref) => driver.delete(ref).catch(() => {})));
    }, TEST_TIMEOUT_MS);

    afterAll(async () => {
      await harness?.cleanup();
    }, TEST_TIMEOUT_MS);

    const readyTimeoutMs = () => harness.readyTimeoutMs ?? 20_000;

    /** A spec with a fresh gateway token of its own (>= 32 random bytes, like the backend makes). */
    function newSpec(overrides: Partial<WorkloadSpec> = {}): WorkloadSpec {
      const base = harness.makeSpec(overrides);
      const token = randomBytes(32).toString("base64url");
      return { ...base, env: { ...base.env, OPENCLAW_GATEWAY_TOKEN: token } };
    }

    function tokenOf(spec: WorkloadSpec): string {
      const token = spec.env.OPENCLAW_GATEWAY_TOKEN;
      if (!token) throw new Error("the spec has no OPENCLAW_GATEWAY_TOKEN");
      return token;
    }

    function withChatCompletions(spec: WorkloadSpec, enabled: boolean): WorkloadSpec {
      const config = JSON.parse(spec.openclawConfig) as { gateway?: Record<string, unknown> };
      const gateway = config.gateway ?? {};
      const http = (gateway.http ?? {}) as { endpoints?: { chatCompletions?: object } };
      gateway.http = {
        ...http,
        endpoints: { ...http.endpoints, chatCompletions: { ...http.endpoints?.chatCompletions, enabled } },
      };
      return { ...spec, openclawConfig: JSON.stringify({ ...config, gateway }) };
    }

    async function create(spec: WorkloadSpec, onProgress?: (step: string) => void): Promise<WorkloadRef> {
      const ref = await driver.create(spec, onProgress ? { onProgress: (step) => onProgress(step) } : undefined);
      created.push(ref);
      return ref;
    }

    const baseUrl = (ref: WorkloadRef) => driver.endpoint(ref).baseUrl;

    async function waitUntilUp(ref: WorkloadRef): Promise<void> {
      const url = baseUrl(ref);
      await waitFor(`${ref.agentId} /healthz to answer live`, () => isLive(url), { timeoutMs: readyTimeoutMs() });
      await waitFor(`${ref.agentId} /readyz to answer ready`, () => isReady(url), { timeoutMs: readyTimeoutMs() });
      await waitForState(ref, "running");
    }

    async function waitUntilDown(ref: WorkloadRef): Promise<void> {
      const url = baseUrl(ref);
      await waitFor(`${ref.agentId} /healthz to stop answering`, async () => !(await isLive(url)), {
        timeoutMs: readyTimeoutMs(),
      });
    }

    function waitForState(ref: WorkloadRef, state: WorkloadStatus["state"]): Promise<WorkloadStatus> {
      return waitFor(
        `${ref.agentId} status ${state}`,
        async () => {
          const status = await driver.status(ref);
          return status.state === state ? status : null;
        },
        { timeoutMs: readyTimeoutMs() },
      );
    }

    function chat(url: string, token: string | undefined, text: string) {
      return requestRuntime(url, "/v1/chat/completions", {
        method: "POST",
        ...(token === undefined ? {} : { token }),
        body: { model: "openclaw/default", messages: [{ role: "user", content: text }] },
      });
    }

    function replyText(body: unknown): unknown {
      return (body as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message?.content;
    }

    it(
      "create starts the runtime: its probes answer with the runtime's JSON and status is running",
      async () => {
        const spec = newSpec();
        const steps: string[] = [];
        const ref = await create(spec, (step) => steps.push(step));
        expect(ref.agentId).toBe(spec.agentId);
        expect(typeof ref.serviceId).toBe("string");
        expect(ref.serviceId).not.toBe("");
        expect(steps.length).toBeGreaterThan(0);
        expect(driver.endpoint(ref).baseUrl).toMatch(/^https?:\/\//);
        await waitUntilUp(ref);
        expect(await isLive(baseUrl(ref))).toBe(true);
        expect(await isReady(baseUrl(ref))).toBe(true);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "create is idempotent per agentId",
      async () => {
        const spec = newSpec();
        const first = await create(spec);
        await waitUntilUp(first);
        const second = await create(spec);
        expect(second.serviceId).toBe(first.serviceId);
        expect(driver.endpoint(second).baseUrl).toBe(driver.endpoint(first).baseUrl);
        const listed = (await driver.list()).filter((workload) => workload.agentId === spec.agentId);
        expect(listed).toHaveLength(1);
        expect((await driver.status(second)).state).toBe("running");
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "the workload receives spec.env: its gateway token opens the API, a wrong or missing token gets 401",
      async () => {
        const spec = newSpec();
        const ref = await create(spec);
        await waitUntilUp(ref);
        const url = baseUrl(ref);

        const models = await requestRuntime(url, "/v1/models", { token: tokenOf(spec) });
        expect(models?.status).toBe(200);
        expect(Array.isArray((models?.body as { data?: unknown }).data)).toBe(true);

        const reply = await chat(url, tokenOf(spec), "contract-ping");
        expect(reply?.status).toBe(200);
        expect(replyText(reply?.body)).toEqual(expect.stringContaining("contract-ping"));

        expect((await chat(url, `${tokenOf(spec)}x`, "intruder"))?.status).toBe(401);
        expect((await chat(url, undefined, "anonymous"))?.status).toBe(401);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "the workload receives spec.openclawConfig: with chat completions off in it, the API is not served",
      async () => {
        const spec = withChatCompletions(newSpec(), false);
        const ref = await create(spec);
        await waitUntilUp(ref);
        const answer = await chat(baseUrl(ref), tokenOf(spec), "should not be answered");
        expect(answer).not.toBeNull();
        expect(answer?.status).not.toBe(200);
        expect(replyText(answer?.body)).toBeUndefined();
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "stop stops the runtime but keeps the workload; stopping again is a no-op; start brings it back",
      async () => {
        const spec = newSpec();
        let ref = await create(spec);
        await waitUntilUp(ref);

        ref = await driver.stop(ref);
        await waitForState(ref, "stopped");
        await waitUntilDown(ref);
        expect((await driver.list()).some((workload) => workload.agentId === spec.agentId)).toBe(true);
        ref = await driver.stop(ref);
        expect((await driver.status(ref)).state).toBe("stopped");

        ref = await driver.start(ref);
        await waitUntilUp(ref);
        expect((await chat(baseUrl(ref), tokenOf(spec), "back again"))?.status).toBe(200);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "restart replaces the running runtime with a fresh one",
      async () => {
        const spec = newSpec();
        let ref = await create(spec);
        await waitUntilUp(ref);
        const before = await waitFor("startupz", () => startupInfo(baseUrl(ref), tokenOf(spec)), {
          timeoutMs: readyTimeoutMs(),
        });
        const bootedBefore = Date.now() - before.uptimeMs;

        ref = await driver.restart(ref);
        // The new runtime booted after the old one: its uptime started later.
        await waitFor(
          "a runtime booted after the restart",
          async () => {
            const after = await startupInfo(baseUrl(ref), tokenOf(spec));
            return after !== null && Date.now() - after.uptimeMs > bootedBefore + 50;
          },
          { timeoutMs: readyTimeoutMs() },
        );
        await waitUntilUp(ref);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "redeploy runs the new spec: another runtimeVersion and new environment on the same workload",
      async () => {
        const spec = newSpec();
        let ref = await create(spec);
        await waitUntilUp(ref);
        const first = await waitFor("startupz", () => startupInfo(baseUrl(ref), tokenOf(spec)), {
          timeoutMs: readyTimeoutMs(),
        });
        expect(first.version).toBe(spec.runtimeVersion);

        const nextVersion = harness.redeployRuntimeVersion ?? `${spec.runtimeVersion}-next`;
        const next = { ...newSpec({ agentId: spec.agentId, name: spec.name }), runtimeVersion: nextVersion };
        ref = await driver.redeploy(ref, next);
        expect(ref.agentId).toBe(spec.agentId);
        await waitFor(
          `version ${nextVersion} on /startupz`,
          async () => (await startupInfo(baseUrl(ref), tokenOf(next)))?.version === nextVersion,
          { timeoutMs: readyTimeoutMs() },
        );
        await waitUntilUp(ref);
        expect((await chat(baseUrl(ref), tokenOf(spec), "old token"))?.status).toBe(401);
        expect((await chat(baseUrl(ref), tokenOf(next), "new token"))?.status).toBe(200);
        expect((await driver.list()).filter((workload) => workload.agentId === spec.agentId)).toHaveLength(1);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "logs answers the most recent lines, oldest first, at most limit",
      async () => {
        const ref = await create(newSpec());
        await waitUntilUp(ref);
        const all = await waitFor(
          "the runtime's startup lines in logs()",
          async () => {
            const lines = await driver.logs(ref, { limit: 500 });
            return lines.some((line) => /listening/i.test(line.text)) ? lines : null;
          },
          { timeoutMs: readyTimeoutMs() },
        );
        for (const line of all) expectLogLine(line);
        expect(all.length).toBeLessThanOrEqual(500);

        const recent = await driver.logs(ref, { limit: 2 });
        expect(recent.length).toBeGreaterThanOrEqual(1);
        expect(recent.length).toBeLessThanOrEqual(2);
        expect(recent.map((line) => line.text)).toEqual(all.slice(-recent.length).map((line) => line.text));
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "followLogs yields lines written after it started, and ends when its signal aborts",
      async () => {
        let ref = await create(newSpec());
        await waitUntilUp(ref);
        const controller = new AbortController();
        const received: LogLine[] = [];
        let ended = false;
        const following = (async () => {
          for await (const line of driver.followLogs(ref, { signal: controller.signal })) received.push(line);
          ended = true;
        })();
        try {
          await sleep(500);
          const before = received.length;
          ref = await driver.restart(ref);
          await waitUntilUp(ref);
          await waitFor("new lines from followLogs", () => Promise.resolve(received.length > before), {
            timeoutMs: readyTimeoutMs(),
          });
          for (const line of received) expectLogLine(line);
        } finally {
          controller.abort();
        }
        await Promise.race([
          following,
          sleep(10_000).then(() => {
            throw new Error("followLogs did not end within 10 s of its signal aborting");
          }),
        ]);
        expect(ended).toBe(true);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "list includes every workload with its agentId",
      async () => {
        const specs = [newSpec(), newSpec()];
        const refs = await Promise.all(specs.map((spec) => create(spec)));
        const listed = await driver.list();
        for (const [index, spec] of specs.entries()) {
          const entry = listed.find((workload) => workload.agentId === spec.agentId);
          expect(entry, `list() entry for ${spec.agentId}`).toBeDefined();
          expect(entry?.ref.serviceId).toBe(refs[index]?.serviceId);
          expect(entry?.createdAt === null || entry?.createdAt instanceof Date).toBe(true);
        }
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "a runtime that crashes is reported as crashed, and start brings it back",
      async () => {
        let ref = await create(newSpec());
        await waitUntilUp(ref);
        await harness.crash(ref);
        const status = await waitForState(ref, "crashed");
        expect(status.detail === undefined || typeof status.detail === "string").toBe(true);
        ref = await driver.start(ref);
        await waitUntilUp(ref);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "delete removes the workload: status missing, gone from list, probes stop; deleting again is a no-op",
      async () => {
        const spec = newSpec();
        const ref = await create(spec);
        await waitUntilUp(ref);
        const url = baseUrl(ref);
        await driver.delete(ref);
        expect((await driver.status(ref)).state).toBe("missing");
        expect((await driver.list()).some((workload) => workload.agentId === spec.agentId)).toBe(false);
        await waitFor(`${spec.agentId} /healthz to stop answering`, async () => !(await isLive(url)), {
          timeoutMs: readyTimeoutMs(),
        });
        await driver.delete(ref);
        expect((await driver.status(ref)).state).toBe("missing");
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "a workload the driver never made is missing, and deleting it is a no-op",
      async () => {
        const spec = harness.makeSpec();
        const ref: WorkloadRef = { agentId: spec.agentId, serviceId: `never-created-${spec.agentId}`, data: {} };
        expect((await driver.status(ref)).state).toBe("missing");
        await driver.delete(ref);
        expect((await driver.list()).some((workload) => workload.agentId === spec.agentId)).toBe(false);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "a configuration the runtime refuses (exit 78) is reported, never left running",
      async () => {
        // Valid JSON that no OpenClaw accepts (no gateway section; an unknown key in a strict schema).
        const spec = { ...newSpec(), openclawConfig: JSON.stringify({ agentbotContractSuite: "refused" }) };
        let ref: WorkloadRef;
        try {
          ref = await create(spec);
        } catch (error) {
          expect(error).toBeInstanceOf(EngineError);
          expect((error as EngineError).code).toBe("invalid_config");
          expect((await driver.list()).some((workload) => workload.agentId === spec.agentId)).toBe(false);
          return;
        }
        const status = await waitForState(ref, "crashed");
        if (status.exitCode !== undefined) expect(status.exitCode).toBe(78);
        expect(await isLive(baseUrl(ref))).toBe(false);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "two workloads at once do not interfere",
      async () => {
        const [specA, specB] = [newSpec(), newSpec()] as const;
        let [refA, refB] = await Promise.all([create(specA), create(specB)]);
        await Promise.all([waitUntilUp(refA), waitUntilUp(refB)]);
        expect(baseUrl(refA)).not.toBe(baseUrl(refB));
        expect(refA.serviceId).not.toBe(refB.serviceId);

        expect((await chat(baseUrl(refA), tokenOf(specA), "to a"))?.status).toBe(200);
        expect((await chat(baseUrl(refB), tokenOf(specB), "to b"))?.status).toBe(200);
        expect((await chat(baseUrl(refA), tokenOf(specB), "b's token at a"))?.status).toBe(401);
        expect((await chat(baseUrl(refB), tokenOf(specA), "a's token at b"))?.status).toBe(401);

        refA = await driver.stop(refA);
        await waitForState(refA, "stopped");
        expect((await driver.status(refB)).state).toBe("running");
        expect(await isLive(baseUrl(refB))).toBe(true);

        await driver.delete(refA);
        expect((await driver.status(refA)).state).toBe("missing");
        refB = (await driver.list()).find((workload) => workload.agentId === specB.agentId)?.ref ?? refB;
        expect((await driver.status(refB)).state).toBe("running");
        expect((await chat(baseUrl(refB), tokenOf(specB), "still there"))?.status).toBe(200);
      },
      TEST_TIMEOUT_MS,
    );
  });
}

function expectLogLine(line: LogLine): void {
  expect(Number.isNaN(Date.parse(line.at))).toBe(false);
  expect(["stdout", "stderr", "engine"]).toContain(line.stream);
  expect(typeof line.text).toBe("string");
}
