import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBackend } from "./support/test-backend.ts";
import type { TestBackend } from "./support/test-backend.ts";

let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(async () => {
  await backend.close();
});

describe("request ids and log redaction", () => {
  it("gives every response an x-request-id and every request log line the same id", async () => {
    const response = await backend.authedFetch("/api/plans");
    const requestId = response.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    // The completion line is written when the response finishes, which can be just after the client has it.
    await expect
      .poll(() => backend.logs.entries().filter((entry) => entry["reqId"] === requestId).length)
      .toBeGreaterThan(0);
  });

  it("keeps a caller's plain request id and replaces one that could inject into logs", async () => {
    const kept = await backend.authedFetch("/api/plans", { headers: { "x-request-id": "web-1234.abc" } });
    expect(kept.headers.get("x-request-id")).toBe("web-1234.abc");
    const replaced = await backend.authedFetch("/api/plans", {
      headers: { "x-request-id": "evil\tvalue" + "x".repeat(200) },
    });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("never writes the service token or cookies to the log, on success or failure", async () => {
    await backend.authedFetch("/api/plans", { headers: { cookie: "session=very-secret-cookie" } });
    await fetch(`${backend.baseUrl}/api/plans`, {
      headers: { authorization: "Bearer wrong-but-secret-looking-token-1234567890" },
    });
    const text = backend.logs.text();
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain(backend.token);
    expect(text).not.toContain("very-secret-cookie");
    expect(text).not.toContain("wrong-but-secret-looking-token");
    expect(text).toContain("[redacted]");
  });
});
