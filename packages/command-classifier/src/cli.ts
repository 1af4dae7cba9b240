#!/usr/bin/env node
import { createInterface } from "node:readline";
import { createCommandClassifier, formatClassification } from "./index.ts";

/**
 * `./agentbot classify`: one command per line on standard input; per line, its class in lower case (`safe`,
 * `dangerous`, `destructive`), a tab, and the reasons. Operators use it to check a policy before deploying. A line
 * is one command (a command with newlines in it is written here with `\n` escapes only if the shell would read it
 * so; each input line is classified on its own).
 */
const classifier = await createCommandClassifier();
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  process.stdout.write(`${formatClassification(classifier.classify(line))}\n`);
}
