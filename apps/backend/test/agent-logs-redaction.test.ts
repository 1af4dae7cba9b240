import { describe, expect, it } from "vitest";
import { createLogRedactor, REDACTED } from "../src/agents/log-redaction.ts";

// Runtime log lines leave the backend (logs API, live follow) only through this redactor.
describe("agent log redaction", () => {
  const gatewayToken = "QmFzZTY0VXJsR2F0ZXdheVRva2VuMDEyMzQ1Njc4OWFi";
  const providerKey = "my-own-provider-key-without-a-known-shape";
  const redact = createLogRedactor([gatewayToken, providerKey, "short"]);

  it("removes the agent's own secrets wherever they appear", () => {
    const line = `{"msg":"auth ok","token":"${gatewayToken}","key":"${providerKey}x"}`;
    const redacted = redact(line);
    expect(redacted).not.toContain(gatewayToken);
    expect(redacted).not.toContain(providerKey);
    expect(redacted).toContain(REDACTED);
    expect(redacted).toContain('"msg":"auth ok"');
  });

  it("removes credentials the runtime may print that the platform did not give it", () => {
    const samples = [
      "Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345",
      "calling https://api.example.com with sk-proj-abcdefghijklmnopqrstuvwx",
      "anthropic sk-ant-api03-abcdefghijklmnopqrstuvwxyz",
      "gemini AIzaSyA-abcdefghijklmnopqrstuvwxyz0123456",
      "telegram 123456789:AAH-abcdefghijklmnopqrstuvwxyz0123456",
      "platform agb_abcdefghijklmnopqrstuvwxyz and agm_abcdefghijklmnopqrstuvwxyz",
      "opened http://127.0.0.1:20000/#token=secretvalue&x=1",
    ];
    for (const sample of samples) {
      const redacted = redact(sample);
      expect(redacted, sample).toContain(REDACTED);
      expect(redacted, sample).not.toMatch(/abcdefghijklmnopqrstuvwx|secretvalue/);
    }
    expect(redact("Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345")).toBe(`Authorization: Bearer ${REDACTED}`);
  });

  it("leaves ordinary lines alone, and ignores secrets too short to match safely", () => {
    expect(redact("gateway listening on port 18789 (short words stay)")).toBe(
      "gateway listening on port 18789 (short words stay)",
    );
  });
});
