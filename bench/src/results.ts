import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { MachineInfo } from "./machine.ts";

export const resultsDir = path.join(import.meta.dirname, "..", "results");

/**
 * Writes a benchmark's figures to `bench/results/<name>.json` (machine-readable, committed) and a human summary to
 * `bench/results/<name>.md`, and prints the summary.
 */
export async function writeResults(
  name: string,
  result: { readonly machine: MachineInfo } & Record<string, unknown>,
  summary: string,
): Promise<void> {
  await mkdir(resultsDir, { recursive: true });
  const jsonFile = path.join(resultsDir, `${name}.json`);
  const markdownFile = path.join(resultsDir, `${name}.md`);
  await writeFile(jsonFile, `${JSON.stringify({ benchmark: name, ...result }, null, 2)}\n`);
  await writeFile(markdownFile, `${summary.trim()}\n`);
  process.stdout.write(
    `\n${summary.trim()}\n\nwrote ${path.relative(process.cwd(), jsonFile)} and ${path.relative(process.cwd(), markdownFile)}\n`,
  );
}

/** The machine line every summary starts with. */
export function describeMachine(machine: MachineInfo): string {
  return `${machine.cores} × ${machine.cpuModel}, ${Math.round(machine.memoryMb / 1024)} GB RAM, Node ${machine.node}, ${machine.os}, commit ${machine.commit ?? "unknown"}, ${machine.measuredAt}`;
}
