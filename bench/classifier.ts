import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { createCommandClassifier } from "@agentbot/command-classifier";
import { corpus, loadShellParser } from "@agentbot/command-classifier/testing";
import { machineInfo } from "./src/machine.ts";
import { describeMachine, writeResults } from "./src/results.ts";
import { summarize } from "./src/stats.ts";

/**
 * The command classifier over its corpus (290+ commands, bypass attempts included): throughput and per-command
 * latency of `classify`, against a baseline run in the same process: tree-sitter parsing the same commands and
 * nothing else (what any classifier that parses as a shell does must pay at least). Latencies are in microseconds,
 * per command, after a warm-up; rounds alternate baseline and classifier so load on the machine hits both alike.
 */

const { values } = parseArgs({
  options: { rounds: { type: "string", default: "20" }, warmup: { type: "string", default: "3" } },
});
const rounds = Number(values.rounds);
const warmup = Number(values.warmup);
const commands = corpus.map(([, command]) => command);

const classifier = await createCommandClassifier();
const parser = await loadShellParser();

function timeEach(run: (command: string) => void, samples: number[] | null): number {
  const started = performance.now();
  for (const command of commands) {
    const before = performance.now();
    run(command);
    samples?.push((performance.now() - before) * 1000);
  }
  return performance.now() - started;
}

const parseOnly = (command: string) => {
  parser.parse(command)?.delete();
};
const classify = (command: string) => {
  classifier.classify(command);
};

for (let index = 0; index < warmup; index += 1) {
  timeEach(parseOnly, null);
  timeEach(classify, null);
}
const baselineSamples: number[] = [];
const classifierSamples: number[] = [];
let baselineMs = 0;
let classifierMs = 0;
for (let round = 0; round < rounds; round += 1) {
  baselineMs += timeEach(parseOnly, baselineSamples);
  classifierMs += timeEach(classify, classifierSamples);
}

const total = commands.length * rounds;
const baseline = summarize(baselineSamples);
const classified = summarize(classifierSamples);
const classifierPerSecond = Math.round(total / (classifierMs / 1000));
const baselinePerSecond = Math.round(total / (baselineMs / 1000));
const machine = await machineInfo();
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

const summary = `# Command classifier

${describeMachine(machine)}

${commands.length} commands × ${rounds} rounds (after ${warmup} warm-up rounds), per command, in microseconds.

| | per second | p50 µs | p90 µs | p99 µs | max µs |
|---|---:|---:|---:|---:|---:|
| baseline: tree-sitter parse only | ${baselinePerSecond} | ${baseline.p50} | ${baseline.p90} | ${baseline.p99} | ${baseline.max} |
| classify (parse, walk, rules, nested shells) | ${classifierPerSecond} | ${classified.p50} | ${classified.p90} | ${classified.p99} | ${classified.max} |
| ratio classify / parse | ${ratio(baselinePerSecond, classifierPerSecond)}× slower | ${ratio(classified.p50, baseline.p50)} | ${ratio(classified.p90, baseline.p90)} | ${ratio(classified.p99, baseline.p99)} | |
`;

await writeResults(
  "classifier",
  {
    machine,
    rounds,
    warmup,
    commands: commands.length,
    baseline: { perSecond: baselinePerSecond, ...baseline },
    classifier: { perSecond: classifierPerSecond, ...classified },
  },
  summary,
);
