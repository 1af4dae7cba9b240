import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "plans", include: ["test/**/*.test.ts"] } });
