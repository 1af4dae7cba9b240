// Proof-of-work solve time in Chromium: how long the sign-up page's bot check (the `altcha` widget, the same version
// the web app ships) takes a real browser to solve at the configured cost, on an idle machine and with CPU-bound
// processes competing for the cores (a slow device, or a busy CI machine). Baseline in the same process: altcha-lib's
// own solver in Node on the very challenge the browser just solved (same counter, so the same work).
// Run: ./agentbot node bench/pow-solve.ts [--runs 30] [--loads 0,2,4] [--max-number N] [--cost N]
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createPowBotCheck, powDefaults } from "@agentbot/bot-check";
import type { AltchaChallenge } from "@agentbot/bot-check";
import { createInProcessStore } from "@agentbot/kv";
import { solveChallenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { chromium } from "playwright-core";
import { describeLoad, machineInfo, startLoadMonitor } from "./src/machine.ts";
import type { LoadReport } from "./src/machine.ts";
import { describeMachine, writeResults } from "./src/results.ts";
import { round, summarize } from "./src/stats.ts";
import type { Summary } from "./src/stats.ts";
import { benchChromiumPath } from "./src/env.ts";
import { chromiumLaunchArgs } from "../apps/web/testing/chromium.ts";

const { values: cli } = parseArgs({
  options: {
    runs: { type: "string", default: "30" },
    loads: { type: "string", default: "0,2,4" },
    "max-number": { type: "string", default: String(powDefaults.maxNumber) },
    cost: { type: "string", default: String(powDefaults.cost) },
  },
});
const RUNS = Number(cli.runs);
const LOADS = cli.loads.split(",").map(Number);
const MAX_NUMBER = Number(cli["max-number"]);
const COST = Number(cli.cost);

const botCheck = createPowBotCheck({
  hmacKey: "bench-bench-bench-bench-bench-bench-bench",
  kv: createInProcessStore(),
  maxNumber: MAX_NUMBER,
  cost: COST,
});

const altchaBundle = await readFile(
  path.join(path.dirname(createRequire(import.meta.url).resolve("altcha")), "altcha.js"),
  "utf8",
);

// The widget as the sign-up page uses it (PBKDF2 in Web Workers, one per core), solved on demand.
const page = `<!doctype html><html><body><form><altcha-widget id="w" challenge="/challenge" auto="off" name="altcha">
</altcha-widget></form><script type="module">
import "/altcha.js";
await customElements.whenDefined("altcha-widget");
window.solveOnce = async () => {
  const widget = document.getElementById("w");
  widget.reset();
  const started = performance.now();
  const result = await widget.verify();
  return { widgetMs: performance.now() - started, payload: result?.payload ?? null, state: widget.getState() };
};
window.benchReady = true;
</script></body></html>`;

/** The challenge the browser fetched last: the Node baseline solves the same one. */
let lastChallenge: AltchaChallenge | null = null;

const server = createServer((request, response) => {
  const send = (type: string, body: string) => {
    response.writeHead(200, { "content-type": type, "cache-control": "no-store" });
    response.end(body);
  };
  if (request.url === "/") send("text/html", page);
  else if (request.url === "/altcha.js") send("text/javascript", altchaBundle);
  else if (request.url === "/challenge") {
    void botCheck.createChallenge().then((challenge) => {
      lastChallenge = challenge;
      send("application/json", JSON.stringify(challenge));
    });
  } else {
    response.writeHead(404);
    response.end();
  }
});
server.listen(0, "127.0.0.1");
await new Promise((resolve) => server.once("listening", resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

interface BrowserSample {
  /** widget.verify() called → payload: what a person waits for (includes the widget's 500 ms minimum). */
  readonly widgetMs: number;
  /** The workers' own solve time, as the widget reports it in the payload. */
  readonly solveMs: number;
  readonly counter: number;
  /** The server accepted the payload. */
  readonly verified: boolean;
}

/** CPU-bound processes that compete with the browser for the cores while a series runs. */
function startBurners(count: number): ChildProcess[] {
  return Array.from({ length: count }, () => spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
}

async function nodeSolveMs(challenge: AltchaChallenge | null): Promise<number> {
  if (challenge === null) throw new Error("the browser fetched no challenge");
  const started = performance.now();
  const solution = await solveChallenge({ challenge, deriveKey, timeout: 600_000 });
  if (solution === null) throw new Error("altcha-lib found no solution");
  return performance.now() - started;
}

const browser = await chromium.launch({
  executablePath: benchChromiumPath,
  args: [...chromiumLaunchArgs],
});

interface Series {
  readonly burners: number;
  readonly browser: { readonly widgetMs: Summary; readonly solveMs: Summary; readonly failures: number };
  readonly node: Summary;
  /** Median of the per-challenge ratios browser (workers' solve) / Node, same challenge. */
  readonly ratioBrowserToNodeP50: number;
  readonly load: LoadReport;
  readonly samples: readonly BrowserSample[];
  readonly nodeSamples: readonly number[];
}

const series: Series[] = [];
const workers = await (async () => {
  const context = await browser.newContext();
  const tab = await context.newPage();
  const count = await tab.evaluate(() => navigator.hardwareConcurrency);
  await context.close();
  return count;
})();

try {
  for (const burners of LOADS) {
    const burning = startBurners(burners);
    const stopLoad = await startLoadMonitor();
    try {
      const context = await browser.newContext();
      const tab = await context.newPage();
      await tab.goto(origin);
      await tab.waitForFunction(() => (globalThis as unknown as { benchReady?: boolean }).benchReady === true);
      const samples: BrowserSample[] = [];
      const nodeSamples: number[] = [];
      let failures = 0;
      for (let run = 0; run < RUNS; run++) {
        // Interleaved: browser then the Node baseline, under the same load.
        const result = await tab.evaluate(() =>
          (
            globalThis as unknown as {
              solveOnce: () => Promise<{ widgetMs: number; payload: string | null; state: string }>;
            }
          ).solveOnce(),
        );
        if (result.payload === null) {
          failures++;
          process.stderr.write(`  load ${burners}: run ${run + 1} failed (widget state ${result.state})\n`);
        } else {
          const decoded = JSON.parse(Buffer.from(result.payload, "base64").toString("utf8")) as {
            solution: { counter: number; time?: number };
          };
          const verdict = await botCheck.verify({ payload: result.payload, headers: new Headers() });
          samples.push({
            widgetMs: result.widgetMs,
            solveMs: decoded.solution.time ?? Number.NaN,
            counter: decoded.solution.counter,
            verified: verdict.ok,
          });
          nodeSamples.push(await nodeSolveMs(lastChallenge));
        }
        process.stderr.write(
          `  load ${burners}: ${run + 1}/${RUNS} browser ${round(samples.at(-1)?.widgetMs ?? Number.NaN)} ms, node ${round(nodeSamples.at(-1) ?? Number.NaN)} ms\n`,
        );
      }
      await context.close();
      const load = await stopLoad();
      const widgetMs = summarize(samples.map((sample) => sample.widgetMs));
      const node = summarize(nodeSamples);
      series.push({
        burners,
        browser: { widgetMs, solveMs: summarize(samples.map((sample) => sample.solveMs)), failures },
        node,
        ratioBrowserToNodeP50: round(
          summarize(samples.map((sample, index) => sample.solveMs / (nodeSamples[index] ?? Number.NaN))).p50,
        ),
        load,
        samples,
        nodeSamples,
      });
    } finally {
      for (const burner of burning) burner.kill("SIGKILL");
    }
  }
} finally {
  await browser.close();
  server.close();
}

const machine = await machineInfo();
const ms = (value: number) => `${round(value)} ms`;
const rows = series.map(
  (entry) =>
    `| ${entry.burners} | ${ms(entry.browser.widgetMs.p50)} | ${ms(entry.browser.widgetMs.p99)} | ${ms(entry.browser.widgetMs.max)} | ${ms(entry.browser.solveMs.p50)} | ${ms(entry.node.p50)} | ${entry.ratioBrowserToNodeP50}× | ${entry.browser.failures} | ${entry.load.machineBusyPercent ?? "?"} % |`,
);
const unverified = series.flatMap((entry) => entry.samples).filter((sample) => !sample.verified).length;
const summary = `# Proof-of-work solve time in Chromium (\`pow-solve.ts\`)

${describeMachine(machine)}. Chromium ${browser.version()}, ${workers} workers (navigator.hardwareConcurrency).
Challenge: PBKDF2/SHA-256, cost ${COST} iterations per attempt, counter drawn from 1..${MAX_NUMBER} (a browser derives
${MAX_NUMBER / 2} keys on average). ${RUNS} solves per row, each a fresh challenge from \`createPowBotCheck\`; every
payload was checked by the server's \`verify\` (${unverified} refused). "Burners" are CPU-bound processes competing
with the browser for the ${os.cpus().length} cores.

| burners | widget p50 | widget p99 | widget max | workers' solve p50 | Node solve p50 (baseline) | browser / Node, same challenge (median) | failed | all cores busy |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join("\n")}

"widget" is \`verify()\` → payload, what a person waits for; it includes the widget's 500 ms minimum. The Node
baseline is altcha-lib's \`solveChallenge\` in this process (one thread) on the same challenge right after the
browser solved it, under the same load; the ratio compares the workers' own solve time with it. p99 of ${RUNS}
samples is close to the maximum.

${series.map((entry) => `- ${entry.burners} burners: ${describeLoad(entry.load)}`).join("\n")}
`;

await writeResults(
  "pow-solve",
  { machine, parameters: { maxNumber: MAX_NUMBER, cost: COST, runs: RUNS, workers }, series },
  summary,
);
