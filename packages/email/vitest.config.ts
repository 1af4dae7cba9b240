import { defineProject } from "vitest/config";

// Integration tests against real PostgreSQL (AGENTBOT_TEST_DATABASE_URL) and a local fake of Resend's API.
export default defineProject({
  test: { name: "email", include: ["test/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 60_000 },
});
