import { describe, expect, it } from "vitest";
import {
  ensureRedisServerBinary,
  findFreePort,
  isProcessAlive,
  pingRedis,
  processGroupMembers,
  startRedisServer,
} from "../src/index.ts";

describe("startRedisServer", () => {
  it("starts a redis-server that answers PING and stops leaving no process", async () => {
    const binary = await ensureRedisServerBinary({ onProgress: () => undefined });
    const server = await startRedisServer({ port: await findFreePort(), binary });
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(await pingRedis(server.port)).toBe(true);
    expect(processGroupMembers(server.pid)).toContain(server.pid);

    await server.stop();
    expect(isProcessAlive(server.pid)).toBe(false);
    expect(processGroupMembers(server.pid)).toEqual([]);
    expect(await pingRedis(server.port)).toBe(false);
    expect(await server.exited).toBeDefined();
  });

  it("refuses a port that is already in use", async () => {
    const server = await startRedisServer({ port: await findFreePort() });
    await expect(startRedisServer({ port: server.port })).rejects.toThrow(/already in use/);
    await server.stop();
  });
});
