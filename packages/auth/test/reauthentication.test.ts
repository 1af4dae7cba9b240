import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthError } from "../src/index.ts";
import { apiRequest, createHarness, STRONG_PASSWORD } from "./harness.ts";
import type { Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

const principalFor = (cookie: string) => h.app.authenticateRequest(apiRequest("/api/v1/me", { cookie }));
const reauthenticatedAt = async (id: string) =>
  (await h.tdb.db.user.findUniqueOrThrow({ where: { id }, select: { reauthenticatedAt: true } })).reauthenticatedAt;

async function failure(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
}

describe("password re-authentication", () => {
  it("stamps reauthenticated_at for the right password, audited", async () => {
    const { cookie, id } = await h.user();
    expect(await reauthenticatedAt(id)).toBeNull();
    const before = Date.now();
    const result = await h.app.reauthenticate(await principalFor(cookie), { password: STRONG_PASSWORD });
    expect(result.reauthenticatedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect((await reauthenticatedAt(id))?.getTime()).toBe(result.reauthenticatedAt.getTime());
    expect(
      await h.tdb.db.auditEvent.count({ where: { action: "auth.reauthentication.succeeded", subjectUserId: id } }),
    ).toBe(1);
  });

  it("refuses a wrong password naming the field, leaves the timestamp alone, audited", async () => {
    const { cookie, id } = await h.user();
    const error = await failure(h.app.reauthenticate(await principalFor(cookie), { password: "not-my-password" }));
    expect(error.code).toBe("validation_failed");
    expect(error.fields).toEqual([{ path: "password", message: "is not right" }]);
    expect(await reauthenticatedAt(id)).toBeNull();
    expect(
      await h.tdb.db.auditEvent.count({ where: { action: "auth.reauthentication.failed", subjectUserId: id } }),
    ).toBe(1);
  });

  it("names an empty password", async () => {
    const { cookie } = await h.user();
    const error = await failure(h.app.reauthenticate(await principalFor(cookie), { password: "" }));
    expect(error.code).toBe("validation_failed");
    expect(error.fields[0]?.path).toBe("password");
  });

  it("an API key cannot re-authenticate, even with the right password", async () => {
    const { cookie, id } = await h.user();
    const { key } = await h.app.apiKeys.create(await principalFor(cookie), { name: "script", scopes: ["agents:read"] });
    const viaKey = await h.app.authenticateRequest(apiRequest("/api/v1/me", { key }));
    expect(viaKey?.via).toBe("api_key");
    const error = await failure(h.app.reauthenticate(viaKey, { password: STRONG_PASSWORD }));
    expect(error.code).toBe("forbidden");
    expect(await reauthenticatedAt(id)).toBeNull();
  });

  it("locks guessing after 5 consecutive wrong passwords: even the right one waits", async () => {
    const { cookie, id } = await h.user();
    const me = await principalFor(cookie);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await failure(h.app.reauthenticate(me, { password: `guess-${attempt}` }))).code).toBe(
        "validation_failed",
      );
    }
    const locked = await failure(h.app.reauthenticate(me, { password: STRONG_PASSWORD }));
    expect(locked.code).toBe("rate_limited");
    expect(await reauthenticatedAt(id)).toBeNull();
  });
});
