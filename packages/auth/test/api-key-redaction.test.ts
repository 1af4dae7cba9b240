// API keys (and passwords) never reach a log line or the audit log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAuditEvent, redactSecrets } from "../src/index.ts";
import { apiRequest, createHarness, STRONG_PASSWORD } from "./harness.ts";
import type { Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

describe("redaction", () => {
  it("keeps raw keys and passwords out of every log line and audit event", async () => {
    const { cookie, email } = await h.user();
    const me = await h.app.authenticateRequest(apiRequest("/x", { cookie }));
    const { key, id } = await h.app.apiKeys.create(me, { name: "secret script", scopes: ["agents:read"] });
    const nearMiss = `${key.slice(0, -1)}${key.endsWith("Q") ? "R" : "Q"}`;
    await h.app.authenticateRequest(apiRequest("/x", { key }));
    await h.app.authenticateRequest(apiRequest("/x", { key: nearMiss }));
    await h.app.apiKeys.revoke(me, { keyId: id });
    await h.app.authenticateRequest(apiRequest("/x", { key }));
    // A key pasted where a password goes, and a failed login with a password.
    await h.signIn(email, key);
    await h.signIn(email, `${STRONG_PASSWORD}-wrong`);
    await h.app.settled();

    expect(h.logs.length).toBeGreaterThan(0); // the capture works: failed verifications are logged
    const logText = h.logs.join("\n");
    for (const secret of [key, key.slice(4), nearMiss, STRONG_PASSWORD]) expect(logText).not.toContain(secret);

    const events = JSON.stringify(await h.tdb.db.auditEvent.findMany());
    for (const secret of [key, key.slice(4), nearMiss, STRONG_PASSWORD]) expect(events).not.toContain(secret);
  });

  it("scrubs anything shaped like a key from a log line", () => {
    const key = `agb_${"Ab".repeat(32)}`;
    expect(redactSecrets(`verify failed for ${key} (x-api-key: ${key})`)).toBe(
      "verify failed for agb_[redacted] (x-api-key: agb_[redacted])",
    );
  });

  it("redacts secret-looking metadata handed to recordAuditEvent", async () => {
    const event = await recordAuditEvent(h.tdb.db, {
      action: "test.redaction.checked",
      metadata: {
        password: "hunter2hunter2",
        apiKey: "agb_whatever",
        nested: { token: "t0k3n", sessionToken: "s", note: "kept" },
        scopes: ["agents:read"],
      },
    });
    expect(event.metadata).toEqual({
      password: "[redacted]",
      apiKey: "[redacted]",
      nested: { token: "[redacted]", sessionToken: "[redacted]", note: "kept" },
      scopes: ["agents:read"],
    });
  });
});
