import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "bot-check", include: ["test/**/*.test.ts"] } });
