import { defineConfig } from "vitest/config";

// One vitest run for the whole monorepo: each workspace package with tests is a project.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/backend", "scripts"],
    passWithNoTests: false,
  },
});
