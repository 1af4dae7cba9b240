// Bad input at the auth endpoints: malformed JSON, missing, oversized and wrongly typed fields, unknown fields, and
// routes that are not served.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_AUTH_BODY_BYTES } from "../src/index.ts";
import { createHarness, STRONG_PASSWORD, uniqueEmail } from "./harness.ts";
import type { Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

type Problem = { code: string; message: string; fields?: { path: string; message: string }[] };
const paths = (problem: Problem) => (problem.fields ?? []).map((f) => f.path).sort();

describe("input validation", () => {
  it("answers malformed JSON with 400 invalid_json", async () => {
    const response = await h.call("/sign-in/email", { body: '{"email": "a@b.c",', method: "POST" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "invalid_json" });
  });

  it("refuses a JSON body that is not an object", async () => {
    const response = await h.call("/sign-in/email", { body: "[1,2]", method: "POST" });
    expect(response.status).toBe(400);
  });

  it("names every missing field", async () => {
    const response = await h.call("/sign-in/email", { body: {} });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as Problem;
    expect(problem.code).toBe("validation_failed");
    expect(paths(problem)).toEqual(["email", "password"]);
  });

  it("names wrongly typed fields", async () => {
    const response = await h.call("/sign-in/email", { body: { email: 42, password: ["x"] } });
    expect(response.status).toBe(400);
    expect(paths((await response.json()) as Problem)).toEqual(["email", "password"]);
  });

  it("names oversized fields", async () => {
    const response = await h.signUp({ email: uniqueEmail(), name: "n".repeat(101) });
    expect(response.status).toBe(400);
    expect(paths((await response.json()) as Problem)).toEqual(["name"]);
  });

  it("refuses unknown fields such as a self-assigned role", async () => {
    const email = uniqueEmail("role");
    const response = await h.call("/sign-up/email", {
      body: { name: "Mallory", email, password: STRONG_PASSWORD, role: "admin" },
      headers: { "x-bot-check": await h.solveBotCheck() },
    });
    expect(response.status).toBe(400);
    expect((await response.json()) as Problem).toMatchObject({ fields: [{ path: "(root)" }] });
    expect(await h.tdb.db.user.count({ where: { email } })).toBe(0);
  });

  it("refuses a body over the size limit with 413", async () => {
    const response = await h.call("/sign-in/email", {
      body: { email: "a@example.com", password: "x".repeat(MAX_AUTH_BODY_BYTES) },
    });
    expect(response.status).toBe(413);
  });

  it("does not serve better-auth endpoints outside the allowlist", async () => {
    const { cookie } = await h.user();
    for (const [method, path] of [
      ["POST", "/admin/set-role"],
      ["POST", "/admin/impersonate-user"],
      ["GET", "/admin/list-users"],
      ["POST", "/api-key/create"],
      ["GET", "/api-key/list"],
      ["GET", "/list-sessions"],
      ["POST", "/delete-user"],
    ] as const) {
      const response = await h.call(path, { method, cookie, ...(method === "POST" ? { body: {} } : {}) });
      expect(response.status, `${method} ${path}`).toBe(404);
    }
  });
});
