// Approval request → approvals page: how long after the runtime's `exec.approval.requested` reaches the backend the
// request is on the live stream the approvals page renders from. Run: ./agentbot node bench/approval-latency.ts
// [--runs 200] [--warmup 20]
import "./src/env.ts";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { recordExecApprovalRequest } from "../apps/backend/src/approvals/record-approval-request.ts";
import { startAgentsBackend } from "../apps/backend/test/support/agents-backend.ts";
import { createApprovalAgent, execRequest } from "../apps/backend/test/support/approvals.ts";
import { describeLoad, machineInfo, startLoadMonitor } from "./src/machine.ts";
import { productionSettings } from "./src/platform-settings.ts";
import { describeMachine, writeResults } from "./src/results.ts";
import { describeSummary, round, summarize } from "./src/stats.ts";

/**
 * What is measured, per request, in one process on the real backend (fresh PostgreSQL database, Redis, the real
 * Express app, the typed client reading the SSE route the web app's approvals page proxies):
 *
 * - **baseline**: `recordExecApprovalRequest` alone, the approver's handler for `exec.approval.requested`
 *   (classify, policy, insert the row, publish): the request is stored and could be read by a reload of the page.
 * - **live**: the same call → the `created` event for that row read off `GET /api/approvals/stream` (Redis pub/sub →
 *   the stream route → HTTP → the client's SSE parser, validated against the contract).
 *
 * Not covered: the WebSocket hop from the runtime to the approver (loopback, one frame), the web app's proxy of the
 * stream, and the browser's rendering of the card. The agent's policy is `strict`, so every request waits for a human.
 */

const { values: cli } = parseArgs({
  options: { runs: { type: "string", default: "200" }, warmup: { type: "string", default: "20" } },
});
const RUNS = Number(cli.runs);
const WARMUP = Number(cli.warmup);

const backend = await startAgentsBackend({ ...productionSettings(), startWorkers: false });
const abort = new AbortController();
try {
  const userId = await backend.createUser();
  const agent = await createApprovalAgent(backend, userId, { execPolicy: "strict" });
  const stream = await backend.client.streamApprovals(userId, { signal: abort.signal });

  // The stream is read in the background: each created event's arrival time by approval id, and a waiter per awaited id.
  const arrivals = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  let snapshotSeen: () => void = () => {};
  const snapshot = new Promise<void>((resolve) => (snapshotSeen = resolve));
  const reading = (async () => {
    for await (const event of stream) {
      if (event.type === "snapshot") snapshotSeen();
      if (event.type !== "created") continue;
      arrivals.set(event.approval.id, performance.now());
      waiters.get(event.approval.id)?.();
    }
  })().catch((error: unknown) => {
    if (!abort.signal.aborted) throw error;
  });
  await snapshot;

  async function once(index: number): Promise<{ recordMs: number; liveMs: number }> {
    const started = performance.now();
    const recorded = await recordExecApprovalRequest(backend.approvals, {
      agentId: agent.id,
      request: execRequest(`touch /tmp/agentbot-bench-approval-${index}`),
    });
    const stored = performance.now();
    if (!recorded) throw new Error("the request was not recorded");
    const id = recorded.approval.id;
    if (!arrivals.has(id)) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no created event for ${id} within 30 s`)), 30_000);
        waiters.set(id, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      waiters.delete(id);
    }
    return { recordMs: stored - started, liveMs: arrivals.get(id)! - started };
  }

  for (let index = 0; index < WARMUP; index += 1) await once(-index - 1);
  const stopLoadMonitor = await startLoadMonitor();
  const samples: { recordMs: number; liveMs: number }[] = [];
  for (let index = 0; index < RUNS; index += 1) samples.push(await once(index));
  const load = await stopLoadMonitor();

  const record = summarize(samples.map((sample) => sample.recordMs));
  const live = summarize(samples.map((sample) => sample.liveMs));
  const ratio = (a: number, b: number) => round(a / b, 2);
  const machine = await machineInfo();
  const summary = `# Approval request → approvals page (live stream)

${describeMachine(machine)}

${describeLoad(load)}

${RUNS} requests one after another (after ${WARMUP} warm-up requests) on one agent with the \`strict\` policy, in one
process: the real backend on a fresh database, Redis, the typed client reading the approvals SSE route.

| | p50 ms | p90 ms | p99 ms | max ms |
|---|---:|---:|---:|---:|
| baseline: request recorded (classify, policy, row, publish) | ${record.p50} | ${record.p90} | ${record.p99} | ${record.max} |
| live: request → \`created\` on the stream the page reads | ${live.p50} | ${live.p90} | ${live.p99} | ${live.max} |
| ratio live / baseline | ${ratio(live.p50, record.p50)} | ${ratio(live.p90, record.p90)} | ${ratio(live.p99, record.p99)} | |

Baseline: ${describeSummary(record)}
Live: ${describeSummary(live)}

Not covered: the runtime → approver WebSocket frame, the web app's proxy of the stream and the browser's rendering.
`;
  await writeResults(
    "approval-latency",
    { machine, load, runs: RUNS, warmup: WARMUP, baseline: record, live, samples },
    summary,
  );
  abort.abort();
  await reading;
} finally {
  abort.abort();
  await backend.close();
}
