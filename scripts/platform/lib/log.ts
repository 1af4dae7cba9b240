import { prettyFactory } from "pino-pretty";

/** Console output of the platform commands: `[agentbot]` lines like bootstrap.sh's, and prefixed child output. */

let color = process.stdout.isTTY;

export function setColor(enabled: boolean): void {
  color = enabled;
}

const codes = { cyan: 36, green: 32, red: 31, yellow: 33, dim: 2, bold: 1, magenta: 35, blue: 34 } as const;
export type Color = keyof typeof codes;

export function paint(text: string, colorName: Color): string {
  return color ? `\u001b[${codes[colorName]}m${text}\u001b[0m` : text;
}

const tag = (): string => paint("[agentbot]", "cyan");

export const log = {
  info: (message: string): void => void process.stdout.write(`${tag()} ${message}\n`),
  ok: (message: string): void => void process.stdout.write(`${tag()} ${paint("✓", "green")} ${message}\n`),
  warn: (message: string): void => void process.stdout.write(`${tag()} ${paint(message, "yellow")}\n`),
  error: (message: string): void => void process.stderr.write(`${tag()} ${paint(message, "red")}\n`),
};

/** A writer for one child's output lines: `name │ line`, the name padded and coloured. */
export function prefixed(name: string, colorName: Color, width = 8): (line: string) => void {
  const prefix = `${paint(name.padEnd(width), colorName)} │ `;
  return (line) => void process.stdout.write(`${prefix}${line}\n`);
}

/**
 * Turns the backend's pino JSON lines into one readable line each (`12:00:01 INFO GET /api/plans → 200 in 2 ms`),
 * with the request id when there is one. Lines that are not pino JSON pass through unchanged.
 */
export function prettyPinoLines(write: (line: string) => void): (line: string) => void {
  const pretty = prettyFactory({
    colorize: color,
    translateTime: "HH:MM:ss",
    ignore: "pid,hostname,service,version,req,res,responseTime,reqId",
    messageFormat: "{msg}{if reqId} (request {reqId}){end}",
    singleLine: true,
  });
  return (line) => {
    if (!line.startsWith("{")) return write(line);
    write(pretty(line).trimEnd());
  };
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Runs `fn`, then logs `done(result)` with how long it took. */
export async function timed<T>(fn: () => Promise<T>, done: (result: T) => string): Promise<T> {
  const started = performance.now();
  const result = await fn();
  log.ok(`${done(result)} (${seconds(performance.now() - started)})`);
  return result;
}

/** Hides the password of a connection URL for printing. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}
