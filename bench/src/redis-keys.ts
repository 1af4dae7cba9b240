import { once } from "node:events";
import { connect } from "node:net";

type Reply = string | number | null | Reply[];

/** Parses one RESP2 reply at `offset`; null when the buffer does not hold all of it yet. */
function parseReply(buffer: Buffer, offset: number): { value: Reply; next: number } | null {
  const lineEnd = buffer.indexOf("\r\n", offset);
  if (lineEnd === -1) return null;
  const kind = String.fromCharCode(buffer[offset]!);
  const line = buffer.toString("utf8", offset + 1, lineEnd);
  const next = lineEnd + 2;
  if (kind === "+") return { value: line, next };
  if (kind === "-") throw new Error(`redis: ${line}`);
  if (kind === ":") return { value: Number(line), next };
  if (kind === "$") {
    const length = Number(line);
    if (length === -1) return { value: null, next };
    if (buffer.length < next + length + 2) return null;
    return { value: buffer.toString("utf8", next, next + length), next: next + length + 2 };
  }
  if (kind === "*") {
    const count = Number(line);
    if (count === -1) return { value: null, next };
    const items: Reply[] = [];
    let position = next;
    for (let index = 0; index < count; index++) {
      const item = parseReply(buffer, position);
      if (item === null) return null;
      items.push(item.value);
      position = item.next;
    }
    return { value: items, next: position };
  }
  throw new Error(`redis: unexpected reply type ${kind}`);
}

/**
 * A minimal Redis connection (RESP2, one command at a time) for the benchmarks' cleanup: enough to find and delete
 * the keys a run wrote under its prefix without adding a Redis client to this package.
 */
async function openRedis(url: string) {
  const parsed = new URL(url);
  const socket = connect({ host: parsed.hostname, port: Number(parsed.port || 6379) });
  await once(socket, "connect");
  let buffer = Buffer.alloc(0);
  const waiting: ((reply: Reply | Error) => void)[] = [];
  socket.on("data", (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      let parsed: { value: Reply; next: number } | null;
      try {
        parsed = parseReply(buffer, 0);
      } catch (error) {
        const lineEnd = buffer.indexOf("\r\n");
        buffer = buffer.subarray(lineEnd + 2);
        waiting.shift()?.(error as Error);
        continue;
      }
      if (parsed === null) return;
      buffer = buffer.subarray(parsed.next);
      waiting.shift()?.(parsed.value);
    }
  });
  const command = (...args: string[]) =>
    new Promise<Reply>((resolve, reject) => {
      waiting.push((reply) => (reply instanceof Error ? reject(reply) : resolve(reply)));
      socket.write(`*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join("")}`);
    });
  if (parsed.password !== "") {
    const password = decodeURIComponent(parsed.password);
    await (parsed.username === ""
      ? command("AUTH", password)
      : command("AUTH", decodeURIComponent(parsed.username), password));
  }
  const database = parsed.pathname.replace(/^\//, "");
  if (database !== "") await command("SELECT", database);
  return {
    command,
    close() {
      socket.end();
    },
  };
}

/** Deletes every key under `prefix` (SCAN + DEL) and answers how many there were. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<number> {
  const redis = await openRedis(url);
  try {
    const pattern = `${prefix.replace(/[*?[\]\\]/g, "\\$&")}*`;
    let cursor = "0";
    let deleted = 0;
    do {
      const [nextCursor, keys] = (await redis.command("SCAN", cursor, "MATCH", pattern, "COUNT", "1000")) as [
        string,
        string[],
      ];
      cursor = nextCursor;
      if (keys.length > 0) deleted += (await redis.command("DEL", ...keys)) as number;
    } while (cursor !== "0");
    return deleted;
  } finally {
    redis.close();
  }
}
