import { classifyCommand } from "./classify.ts";
import type { Classification } from "./classify.ts";
import { loadShellParser } from "./shell-parser.ts";

export { commandClasses, classRank, highestClass } from "./classes.ts";
export type { CommandClass } from "./classes.ts";
export type { Classification, ClassificationReason } from "./classify.ts";
export { rules } from "./rules.ts";
export type { CommandRule } from "./rules.ts";

export interface CommandClassifier {
  /** Classifies one command line (it may hold several commands, newlines included). Never throws on its input. */
  classify(command: string): Classification;
}

/** Loads the shell grammar (once per process) and answers a classifier that works synchronously. */
export async function createCommandClassifier(): Promise<CommandClassifier> {
  const parser = await loadShellParser();
  return { classify: (command) => classifyCommand(parser, command) };
}

/** One line of `./agentbot classify`: the class, a tab, and the reasons (`part: reason`, most severe first). */
export function formatClassification(classification: Classification): string {
  const order = { destructive: 0, dangerous: 1, safe: 2 } as const;
  const reasons = [...classification.reasons]
    .sort((a, b) => order[a.class] - order[b.class])
    .map((reason) => `${reason.class} [${reason.rule}] \`${reason.part}\`: ${reason.reason}`);
  return `${classification.class}\t${[...new Set(reasons)].join("; ")}`;
}
