import { appendFile, open, rename, stat } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";
import { setTimeout as sleep } from "node:timers/promises";
import type { LogLine } from "../engine-driver.ts";

/**
 * The runtime's log file: its stdout and stderr (one file descriptor for both, so the two streams cannot be told
 * apart and are reported as "stdout") and the driver's own lines, marked `[agentbot-engine]`. One rotation
 * generation (`runtime.log.1`) when a (re)start finds the file larger than MAX_LOG_BYTES; nothing rotates a file
 * while its runtime runs.
 */
export const MAX_LOG_BYTES = 16 * 1024 * 1024;
const ENGINE_MARK = " [agentbot-engine] ";
const LEADING_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))\s/;
const TAIL_CHUNK_BYTES = 64 * 1024;
const FOLLOW_READ_BYTES = 1024 * 1024;

export async function appendEngineLine(path: string, text: string): Promise<void> {
  await appendFile(path, `${new Date().toISOString()}${ENGINE_MARK}${text}\n`, { mode: 0o600 });
}

export async function rotateLogIfLarge(path: string): Promise<void> {
  const size = await stat(path).then(
    (stats) => stats.size,
    () => 0,
  );
  if (size > MAX_LOG_BYTES) await rename(path, `${path}.1`);
}

/** A raw line as a LogLine: the line's own leading ISO timestamp when it has one, else `readAt`. */
export function toLogLine(raw: string, readAt: string): LogLine {
  const timestamp = LEADING_TIMESTAMP.exec(raw)?.[1];
  const at = timestamp && !Number.isNaN(Date.parse(timestamp)) ? new Date(timestamp).toISOString() : readAt;
  if (timestamp && raw.startsWith(ENGINE_MARK, timestamp.length)) {
    return { at, stream: "engine", text: raw.slice(timestamp.length + ENGINE_MARK.length) };
  }
  return { at, stream: "stdout", text: raw };
}

/** The last `limit` complete or trailing lines of the file, oldest first; [] when there is no file yet. */
export async function tailLines(path: string, limit: number): Promise<string[]> {
  if (limit <= 0) return [];
  const handle = await open(path, "r").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  if (!handle) return [];
  try {
    const { size } = await handle.stat();
    let position = size;
    let newlines = 0;
    const chunks: Buffer[] = [];
    // Read backwards until the chunks hold more than `limit` line breaks (or the file's start). Decoded once at
    // the end, so a character split between two chunks stays whole.
    while (position > 0 && newlines <= limit) {
      const length = Math.min(TAIL_CHUNK_BYTES, position);
      position -= length;
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, position);
      chunks.unshift(buffer);
      newlines += countNewlines(buffer);
    }
    const lines = Buffer.concat(chunks).toString("utf8").split("\n");
    if (lines.at(-1) === "") lines.pop();
    // Unless we reached the file's start, the first piece may be the end of a longer line: drop it.
    if (position > 0) lines.shift();
    return lines.slice(-limit);
  } finally {
    await handle.close();
  }
}

function countNewlines(buffer: Buffer): number {
  let count = 0;
  for (let index = buffer.indexOf(0x0a); index !== -1; index = buffer.indexOf(0x0a, index + 1)) count += 1;
  return count;
}

/**
 * Lines appended to the file from now on, polling every `pollMs` (fs.watch misses appends on some file systems),
 * until `signal` aborts; then it ends without throwing. Survives the file being rotated, truncated, removed and made
 * again. A line still being written is held back until its newline arrives.
 */
export async function* followLines(path: string, signal: AbortSignal, pollMs = 200): AsyncGenerator<string> {
  let identity = await fileIdentity(path);
  let offset = identity?.size ?? 0;
  let partial = "";
  let decoder = new StringDecoder("utf8");
  while (!signal.aborted) {
    const current = await fileIdentity(path);
    if (current === null || current.inode !== identity?.inode || current.size < offset) {
      // Rotated, truncated or gone: start over at the beginning of whatever is there now.
      offset = 0;
      partial = "";
      decoder = new StringDecoder("utf8");
    }
    identity = current;
    if (current !== null && current.size > offset) {
      const handle = await open(path, "r");
      try {
        const length = Math.min(current.size - offset, FOLLOW_READ_BYTES);
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, offset);
        offset += bytesRead;
        const pieces = (partial + decoder.write(buffer.subarray(0, bytesRead))).split("\n");
        partial = pieces.pop() ?? "";
        for (const line of pieces) yield line;
      } finally {
        await handle.close();
      }
      if (current.size > offset) continue;
    }
    try {
      await sleep(pollMs, undefined, { signal });
    } catch {
      return;
    }
  }
}

async function fileIdentity(path: string): Promise<{ inode: number; size: number } | null> {
  try {
    const stats = await stat(path);
    return { inode: stats.ino, size: stats.size };
  } catch {
    return null;
  }
}
