import { defineProject } from "vitest/config";

// The orchestrator's own tests: they run ./agentbot start as a real process.
export default defineProject({
  test: { name: "scripts", include: ["test/**/*.test.ts"], testTimeout: 180_000, hookTimeout: 180_000 },
});
