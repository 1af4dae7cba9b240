import { setTimeout as sleep } from "node:timers/promises";
import type { LogLine } from "@agentbot/engine";
import type { RailwayLogLine } from "./railway-answers.ts";

export interface FollowLogsInput {
  readonly signal: AbortSignal;
  readonly pollIntervalMs: number;
  /** The service's latest deployment id; null when it has none yet, undefined when the service is gone. */
  readonly latestDeploymentId: () => Promise<string | null | undefined>;
  /** The deployment's most recent lines, oldest first (a window of a few hundred). */
  readonly fetchLines: (deploymentId: string) => Promise<RailwayLogLine[]>;
  readonly toLogLine: (line: RailwayLogLine) => LogLine;
  readonly onError: (error: Error) => void;
}

/**
 * Follows a service's logs by polling Railway's `deploymentLogs` (Railway also offers a GraphQL subscription over
 * WebSocket, not used: polling needs no long-lived connection). Yields only lines written after it started: the
 * first poll marks what exists as seen. A line is recognised by its timestamp and text within the window of recent
 * lines; when a new deployment appears (restart by redeploy, start), all its lines are new. Not covered: more lines
 * than the window between two polls (the oldest of them are skipped). Transient polling errors are reported and the
 * loop goes on; it ends when the signal aborts (promptly, even mid-request) or the service is gone.
 */
export async function* followDeploymentLogs(input: FollowLogsInput): AsyncGenerator<LogLine> {
  const { signal } = input;
  const aborted = new Promise<undefined>((resolve) => {
    if (signal.aborted) resolve(undefined);
    signal.addEventListener("abort", () => resolve(undefined), { once: true });
  });
  const untilAborted = <T>(work: Promise<T>): Promise<T | undefined> => Promise.race([work, aborted]);
  const key = (line: RailwayLogLine) => `${line.timestamp}\n${line.message}`;

  let followed: string | null = null;
  let seen = new Set<string>();
  let first = true;
  while (!signal.aborted) {
    try {
      const deploymentId = await untilAborted(input.latestDeploymentId());
      if (signal.aborted) return;
      if (deploymentId === undefined) return; // the service is gone
      if (deploymentId !== null) {
        const lines = (await untilAborted(input.fetchLines(deploymentId))) ?? [];
        if (signal.aborted) return;
        const fresh = first ? [] : deploymentId === followed ? lines.filter((line) => !seen.has(key(line))) : lines;
        followed = deploymentId;
        seen = new Set(lines.map(key));
        for (const line of fresh) yield input.toLogLine(line);
      }
      first = false;
    } catch (error) {
      if (signal.aborted) return;
      input.onError(error as Error);
    }
    try {
      await sleep(input.pollIntervalMs, undefined, { signal });
    } catch {
      return;
    }
  }
}
