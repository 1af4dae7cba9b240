import { defineProject } from "vitest/config";

// Integration tests against real PostgreSQL (AGENTBOT_TEST_DATABASE_URL); the schema-engine ones take a few seconds.
export default defineProject({
  test: { name: "db", include: ["test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 },
});
