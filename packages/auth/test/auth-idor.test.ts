// A second user's session or API key cannot read or change the first user's sessions, keys or audit events.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "../src/index.ts";
import { apiRequest, createHarness } from "./harness.ts";
import type { Harness } from "./harness.ts";

let h: Harness;
let alice: { cookie: string; id: string; principal: Principal; keyId: string; key: string; sessionId: string };
let mallory: { session: Principal; key: Principal };

beforeAll(async () => {
  h = await createHarness();
  const a = await h.user();
  const aPrincipal = (await h.app.authenticateRequest(apiRequest("/x", { cookie: a.cookie })))!;
  const aKey = await h.app.apiKeys.create(aPrincipal, { name: "alice key", scopes: ["agents:read"] });
  alice = { ...a, principal: aPrincipal, keyId: aKey.id, key: aKey.key, sessionId: aPrincipal.sessionId! };

  const m = await h.user();
  const mSession = (await h.app.authenticateRequest(apiRequest("/x", { cookie: m.cookie })))!;
  const mKey = await h.app.apiKeys.create(mSession, {
    name: "mallory key",
    scopes: ["agents:read", "agents:write", "billing:read"],
  });
  mallory = { session: mSession, key: (await h.app.authenticateRequest(apiRequest("/x", { key: mKey.key })))! };
});
afterAll(async () => {
  await h.close();
});

describe("IDOR", () => {
  it("cannot see the first user's sessions or keys", async () => {
    const sessions = await h.app.sessions.list(mallory.session);
    expect(sessions.map((s) => s.id)).not.toContain(alice.sessionId);
    const keys = await h.app.apiKeys.list(mallory.session);
    expect(keys.map((k) => k.id)).not.toContain(alice.keyId);
  });

  it("cannot revoke the first user's session, by session or by key", async () => {
    for (const principal of [mallory.session, mallory.key]) {
      await expect(h.app.sessions.revoke(principal, { sessionId: alice.sessionId })).rejects.toMatchObject({
        code: principal.via === "session" ? "not_found" : "forbidden",
      });
    }
    expect(await h.app.authenticateRequest(apiRequest("/x", { cookie: alice.cookie }))).not.toBeNull();
  });

  it("cannot revoke the first user's API key", async () => {
    for (const principal of [mallory.session, mallory.key]) {
      await expect(h.app.apiKeys.revoke(principal, { keyId: alice.keyId })).rejects.toMatchObject({
        status: principal.via === "session" ? 404 : 403,
      });
    }
    expect(await h.app.authenticateRequest(apiRequest("/x", { key: alice.key }))).not.toBeNull();
  });

  it("cannot read the first user's audit events, whatever the filters say", async () => {
    for (const principal of [mallory.session, mallory.key]) {
      const all = await h.app.listAuditEvents(principal, { limit: 200 });
      expect(all.events.length).toBeGreaterThan(0); // their own
      for (const event of all.events) {
        expect([event.actorUserId, event.subjectUserId]).toContain(principal.user.id);
      }
      const targeted = await h.app.listAuditEvents(principal, {
        filters: { subjectUserId: alice.id, actorEmail: alice.principal.user.email },
      });
      expect(targeted.events).toEqual([]);
    }
    const own = await h.app.listAuditEvents(alice.principal, { filters: { subjectUserId: alice.id } });
    expect(own.events.length).toBeGreaterThan(0);
  });

  it("cannot use admin operations on anyone", async () => {
    for (const principal of [mallory.session, mallory.key]) {
      await expect(h.app.admin.listUsers(principal)).rejects.toMatchObject({ code: "insufficient_scope" });
      await expect(h.app.admin.disableUser(principal, { userId: alice.id })).rejects.toMatchObject({
        code: "insufficient_scope",
      });
      await expect(h.app.admin.setRole(principal, { userId: principal.user.id, role: "admin" })).rejects.toMatchObject({
        code: "insufficient_scope",
      });
    }
    expect((await h.tdb.db.user.findUniqueOrThrow({ where: { id: mallory.session.user.id } })).role).toBe("user");
  });
});
