import { defineProject } from "vitest/config";

// Billing rules alone, and the Stripe and CDP paths against real PostgreSQL (AGENTBOT_TEST_DATABASE_URL) with local
// stand-ins that speak those providers' protocols (src/testing).
export default defineProject({
  test: { name: "billing", include: ["test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 },
});
