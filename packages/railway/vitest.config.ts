import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "railway", include: ["test/**/*.test.ts"] } });
