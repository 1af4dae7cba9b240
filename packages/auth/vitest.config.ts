import { defineProject } from "vitest/config";

// Every test hashes passwords with scrypt and solves a proof of work, on two cores alongside the other projects:
// generous timeouts keep a loaded machine from failing tests that are only slow.
export default defineProject({
  test: { name: "auth", include: ["test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 120_000 },
});
