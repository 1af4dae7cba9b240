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
