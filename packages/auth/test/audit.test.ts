import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditEvents, recordAuditEvent } from "../src/index.ts";
import { createHarness } from "./harness.ts";
import type { Harness } from "./harness.ts";

let h: Harness;
let alice: { id: string };
let bob: { id: string };
beforeAll(async () => {
  h = await createHarness();
  const make = (email: string) =>
    h.tdb.db.user.create({ data: { id: `usr_${email.slice(0, 8)}`, email, name: email, emailVerified: true } });
  alice = await make("alice000@example.com");
  bob = await make("bob00000@example.com");
  for (let i = 0; i < 7; i++) {
    await recordAuditEvent(h.tdb.db, { action: "test.thing.done", actorUserId: alice.id, subjectUserId: alice.id });
  }
  await recordAuditEvent(h.tdb.db, { action: "test.other.done", actorUserId: bob.id, subjectUserId: bob.id });
  // Bob acted on Alice: both see it.
  await recordAuditEvent(h.tdb.db, { action: "admin.role.changed", actorUserId: bob.id, subjectUserId: alice.id });
});
afterAll(async () => {
  await h.close();
});

describe("listAuditEvents", () => {
  it("pages newest first with a cursor", async () => {
    const viewer = { id: alice.id, role: "user" };
    const first = await listAuditEvents(h.tdb.db, { viewer, limit: 5 });
    expect(first.events).toHaveLength(5);
    expect(first.events[0]?.action).toBe("admin.role.changed");
    const second = await listAuditEvents(h.tdb.db, { viewer, limit: 5, cursor: first.nextCursor! });
    expect(second.events).toHaveLength(3);
    expect(second.nextCursor).toBeNull();
    const ids = [...first.events, ...second.events].map((e) => e.id);
    expect(new Set(ids).size).toBe(8);
    expect([...ids].sort().reverse()).toEqual(ids);
  });

  it("shows a user what they did or what concerns them; an admin everything", async () => {
    const bobSees = await listAuditEvents(h.tdb.db, { viewer: { id: bob.id, role: "user" } });
    expect(bobSees.events.map((e) => e.action).sort()).toEqual(["admin.role.changed", "test.other.done"]);
    const adminSees = await listAuditEvents(h.tdb.db, { viewer: { id: "usr_admin", role: "admin" } });
    expect(adminSees.events).toHaveLength(9);
    const bannedAdmin = await listAuditEvents(h.tdb.db, { viewer: { id: "usr_admin", role: "admin", banned: true } });
    expect(bannedAdmin.events).toHaveLength(0);
  });

  it("filters by action, exactly or by prefix", async () => {
    const admin = { id: "usr_admin", role: "admin" };
    expect(
      (await listAuditEvents(h.tdb.db, { viewer: admin, filters: { action: "test.thing.done" } })).events,
    ).toHaveLength(7);
    expect((await listAuditEvents(h.tdb.db, { viewer: admin, filters: { action: "test.*" } })).events).toHaveLength(8);
  });

  it("refuses bad input naming the field", async () => {
    await expect(
      listAuditEvents(h.tdb.db, {
        viewer: { id: alice.id },
        limit: 0,
        filters: { from: "not a date" as unknown as Date },
      }),
    ).rejects.toMatchObject({
      code: "validation_failed",
      fields: expect.arrayContaining([
        expect.objectContaining({ path: "limit" }),
        expect.objectContaining({ path: "filters.from" }),
      ]) as unknown,
    });
  });
});
