// Prisma CLI configuration. Only `prisma generate` runs through the CLI here (scripts/generate.ts): migrations are
// created with the WebAssembly schema engine (src/migrations/create.ts) and applied by src/migrations/apply.ts, so no
// database URL is configured for the CLI.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "../../prisma/schema.prisma",
  migrations: { path: "../../prisma/migrations" },
});
