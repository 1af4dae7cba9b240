import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "kv", include: ["test/**/*.test.ts"] } });
