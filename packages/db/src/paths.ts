// Where the repository keeps the schema and the committed migrations (prisma/ at the repository root).
import { fileURLToPath } from "node:url";

/** prisma/schema.prisma */
export const schemaPath = fileURLToPath(new URL("../../../prisma/schema.prisma", import.meta.url));
/** prisma/migrations: one `<timestamp>_<name>/migration.sql` per migration, plus migration_lock.toml. */
export const migrationsDir = fileURLToPath(new URL("../../../prisma/migrations", import.meta.url));
