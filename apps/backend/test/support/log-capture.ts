import { Writable } from "node:stream";

/** Collects pino's JSON lines in memory so tests can assert on what was (and was not) logged. */
export class LogCapture {
  readonly lines: string[] = [];
  readonly stream = new Writable({
    write: (chunk: Buffer, _encoding, callback) => {
      this.lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      callback();
    },
  });

  entries(): Array<Record<string, unknown>> {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  text(): string {
    return this.lines.join("\n");
  }
}
