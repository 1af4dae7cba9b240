import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InsufficientScopeError, requireScope } from "../src/index.ts";
import { apiRequest, createHarness } from "./harness.ts";
import type { Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

const sessionPrincipal = async (cookie: string) => h.app.authenticateRequest(apiRequest("/api/v1/me", { cookie }));
const keyPrincipal = (key: string, header: "bearer" | "x-api-key" = "bearer") =>
  h.app.authenticateRequest(
    header === "bearer"
      ? apiRequest("/api/v1/agents", { key })
      : apiRequest("/api/v1/agents", { headers: { "x-api-key": key } }),
  );

describe("API keys", () => {
  it("shows the raw key once; the database holds only its SHA-256 hash and first characters", async () => {
    const { cookie } = await h.user();
    const me = await sessionPrincipal(cookie);
    const created = await h.app.apiKeys.create(me, { name: "deploy script", scopes: ["agents:read", "agents:write"] });
    expect(created.key).toMatch(/^agb_[A-Za-z]{64}$/);
    expect(created.id).toMatch(/^key_/);
    expect(created.start).toBe(created.key.slice(0, 10));

    const row = await h.tdb.db.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.key).toBe(createHash("sha256").update(created.key).digest("base64url"));
    expect(JSON.stringify(row)).not.toContain(created.key);
    expect(JSON.stringify(row)).not.toContain(created.key.slice(10));

    const listed = await h.app.apiKeys.list(me);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: created.id, name: "deploy script", start: created.start });
    expect(listed[0]?.scopes.sort()).toEqual(["agents:read", "agents:write"]);
    expect(JSON.stringify(listed)).not.toContain(created.key);
    expect(listed[0]).not.toHaveProperty("key");
  });

  it("authenticates by Bearer or x-api-key with the key's scopes, and records the last use", async () => {
    const { cookie } = await h.user();
    const me = await sessionPrincipal(cookie);
    const { key, id } = await h.app.apiKeys.create(me, { name: "reader", scopes: ["agents:read"] });
    expect((await h.app.apiKeys.list(me))[0]?.lastUsedAt).toBeNull();
    for (const header of ["bearer", "x-api-key"] as const) {
      const principal = await keyPrincipal(key, header);
      expect(principal).toMatchObject({ via: "api_key", apiKeyId: id, user: { id: me!.user.id } });
      expect([...principal!.scopes]).toEqual(["agents:read"]);
    }
    expect((await h.app.apiKeys.list(me))[0]?.lastUsedAt).toBeInstanceOf(Date);
  });

  it("a key with agents:read cannot pass an agents:write check", async () => {
    const { cookie } = await h.user();
    const { key } = await h.app.apiKeys.create(await sessionPrincipal(cookie), { name: "ro", scopes: ["agents:read"] });
    const principal = await keyPrincipal(key);
    expect(() => requireScope(principal, "agents:read")).not.toThrow();
    expect(() => requireScope(principal, "agents:write")).toThrow(InsufficientScopeError);
    try {
      requireScope(principal, "agents:write");
    } catch (error) {
      expect(error).toMatchObject({ code: "insufficient_scope", status: 403 });
    }
    expect(() => requireScope(null, "agents:read")).toThrow(expect.objectContaining({ status: 401 }));
  });

  it("a revoked key stops working at once", async () => {
    const { cookie } = await h.user();
    const me = await sessionPrincipal(cookie);
    const { key, id } = await h.app.apiKeys.create(me, { name: "temp", scopes: ["billing:read"] });
    expect(await keyPrincipal(key)).not.toBeNull();
    await h.app.apiKeys.revoke(me, { keyId: id });
    expect(await keyPrincipal(key)).toBeNull();
    expect(await h.app.apiKeys.list(me)).toEqual([]);
    const actions = (await h.tdb.db.auditEvent.findMany({ where: { targetId: id } })).map((e) => e.action).sort();
    expect(actions).toEqual(["api_key.created", "api_key.revoked"]);
  });

  it("an expired key is refused", async () => {
    const { cookie } = await h.user();
    const me = await sessionPrincipal(cookie);
    const created = await h.app.apiKeys.create(me, { name: "short", scopes: ["agents:read"], expiresInDays: 1 });
    expect(created.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expect(await keyPrincipal(created.key)).not.toBeNull();
    await h.tdb.db.apiKey.update({ where: { id: created.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await keyPrincipal(created.key)).toBeNull();
  });

  it("refuses malformed, unknown and near-miss keys without falling back to the cookie", async () => {
    const { cookie } = await h.user();
    const { key } = await h.app.apiKeys.create(await sessionPrincipal(cookie), { name: "k", scopes: ["agents:read"] });
    const flipped = `${key.slice(0, -1)}${key.endsWith("a") ? "b" : "a"}`;
    for (const candidate of [flipped, "agb_short", key.replace("agb_", "xyz_"), `${key} extra`]) {
      expect(await keyPrincipal(candidate)).toBeNull();
    }
    const both = apiRequest("/api/v1/agents", { cookie, headers: { authorization: "Bearer not-a-key" } });
    expect(await h.app.authenticateRequest(both)).toBeNull();
  });

  it("a non-admin cannot create a key with the admin scope", async () => {
    const { cookie } = await h.user();
    const me = await sessionPrincipal(cookie);
    await expect(h.app.apiKeys.create(me, { name: "sneaky", scopes: ["agents:read", "admin"] })).rejects.toMatchObject({
      code: "forbidden",
      fields: [{ path: "scopes.1" }],
    });
    expect(await h.app.apiKeys.list(me)).toEqual([]);
  });

  it("an admin's admin key loses admin as soon as the admin is demoted", async () => {
    const admin = await h.user();
    const other = await h.user();
    await h.tdb.db.user.updateMany({ where: { id: { in: [admin.id, other.id] } }, data: { role: "admin" } });
    const adminPrincipal = await sessionPrincipal(admin.cookie);
    const { key } = await h.app.apiKeys.create(adminPrincipal, { name: "ops", scopes: ["admin", "agents:read"] });
    expect([...(await keyPrincipal(key))!.scopes].sort()).toEqual(["admin", "agents:read"]);

    await h.app.admin.setRole(await sessionPrincipal(other.cookie), { userId: admin.id, role: "user" });
    const demoted = await keyPrincipal(key);
    expect([...demoted!.scopes]).toEqual(["agents:read"]);
    expect(() => requireScope(demoted, "admin")).toThrow(InsufficientScopeError);
  });

  it("validates input and names the fields", async () => {
    const { cookie } = await h.user();
    const me = await sessionPrincipal(cookie);
    await expect(
      h.app.apiKeys.create(me, { name: "", scopes: ["agents:read", "agents:read"], expiresInDays: 400 }),
    ).rejects.toMatchObject({
      code: "validation_failed",
      status: 400,
      fields: expect.arrayContaining([
        expect.objectContaining({ path: "name" }),
        expect.objectContaining({ path: "scopes" }),
        expect.objectContaining({ path: "expiresInDays" }),
      ]) as unknown,
    });
    await expect(
      h.app.apiKeys.create(me, { name: "x", scopes: ["agents:delete" as "agents:read"] }),
    ).rejects.toMatchObject({ fields: [expect.objectContaining({ path: "scopes.0" })] });
  });

  it("keys cannot mint keys", async () => {
    const { cookie } = await h.user();
    const { key } = await h.app.apiKeys.create(await sessionPrincipal(cookie), { name: "k", scopes: ["agents:write"] });
    await expect(
      h.app.apiKeys.create(await keyPrincipal(key), { name: "child", scopes: ["agents:write"] }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});
