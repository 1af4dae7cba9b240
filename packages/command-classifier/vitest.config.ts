import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "command-classifier", include: ["test/**/*.test.ts"] } });
