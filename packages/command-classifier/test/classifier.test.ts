import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { classRank } from "../src/classes.ts";
import { createCommandClassifier } from "../src/index.ts";
import type { CommandClassifier } from "../src/index.ts";
import { corpus } from "./corpus.ts";

let classifier: CommandClassifier;
beforeAll(async () => {
  classifier = await createCommandClassifier();
});

describe("command classifier: the corpus", () => {
  it("holds at least 200 commands of every class", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    for (const value of ["safe", "dangerous", "destructive"] as const) {
      expect(corpus.filter(([expected]) => expected === value).length).toBeGreaterThan(30);
    }
  });

  it.each(corpus.map(([expected, command]) => ({ expected, command })))(
    "$expected: $command",
    ({ expected, command }) => {
      const result = classifier.classify(command);
      expect(result.class, JSON.stringify(result.reasons, null, 1)).toBe(expected);
      // Every decision says why: at least one reason of the class it gives.
      expect(result.reasons.some((reason) => reason.class === result.class)).toBe(true);
    },
  );
});

describe("command classifier: reasons", () => {
  it("names the part and the rule that decided", () => {
    const result = classifier.classify("ls; rm -rf ~");
    expect(result.class).toBe("destructive");
    expect(result.reasons).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ part: "rm -rf ~", rule: "rm-recursive", class: "destructive" }),
        expect.objectContaining({ part: "ls", rule: "read-only", class: "safe" }),
      ]),
    );
  });

  it("says when a command is unknown and when input does not parse", () => {
    expect(classifier.classify("frobnicate")).toMatchObject({
      class: "dangerous",
      reasons: [expect.objectContaining({ rule: "unknown-command" })],
    });
    expect(classifier.classify("echo 'open")).toMatchObject({
      class: "destructive",
      reasons: [expect.objectContaining({ rule: "parse" })],
    });
  });
});

describe("command classifier: combining never lowers the class (property)", () => {
  // Text that does not parse is Destructive on its own, but wrapped in other text it may parse into something else
  // (an unclosed quote closed by what follows): the property is about commands, so those are left out.
  const parses = (command: string) => !classifier.classify(command).reasons.some((reason) => reason.rule === "parse");
  // A comment turns the rest of its line into text, so `ls # x; rm -rf ~` really is only `ls`: commands with a
  // comment are left out too.
  const candidates = corpus
    .map(([, command]) => command)
    .filter((command) => command !== "" && !/(^|\s)#/.test(command));
  const wraps: ((a: string, b: string) => string)[] = [
    (a, b) => `${a}; ${b}`,
    (a, b) => `${b}; ${a}`,
    (a, b) => `${a} && ${b}`,
    (a, b) => `${b} || ${a}`,
    (a, b) => `${b} | ${a}`,
    (a, b) => `${a} | ${b}`,
    (a, b) => `${b}\n${a}`,
    (a) => `(${a})`,
    (a) => `{ ${a}\n}`,
    (a, b) => `echo "$(${a})" ${b.length}`,
    (a) => `if true; then ${a}\nfi`,
    (a) => `for x in 1; do ${a}\ndone`,
  ];
  // Wrappers take a simple command (words), not a list or a group: `timeout 5 { rm x; }` runs a command named `{`.
  const wrappers: ((a: string) => string)[] = [(a) => `timeout 5 ${a}`, (a) => `nohup ${a}`, (a) => `env FOO=1 ${a}`];
  const isSimple = (command: string) =>
    /^[^;&|(){}<>\n`$!#]*$/.test(command) && !/^\s*(if|for|while|case)\b/.test(command);

  it("the class of a combination is at least the class of each part", () => {
    const commands = candidates.filter(parses);
    expect(commands.length).toBeGreaterThan(200);
    fc.assert(
      fc.property(
        fc.constantFrom(...commands),
        fc.constantFrom(...commands),
        fc.integer({ min: 0, max: wraps.length + wrappers.length - 1 }),
        (a, b, wrap) => {
          if (wrap >= wraps.length && !isSimple(a)) return;
          const combined = wrap < wraps.length ? wraps[wrap]!(a, b) : wrappers[wrap - wraps.length]!(a);
          const whole = classRank(classifier.classify(combined).class);
          expect(whole, combined).toBeGreaterThanOrEqual(classRank(classifier.classify(a).class));
        },
      ),
      { numRuns: 1500 },
    );
  });
});
