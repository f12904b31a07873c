import type { AppConfig } from "~/config.server";
import { logger } from "~/utils/logger.server";
import { configureDatabase, db, disconnectDatabase } from "./client.server";
import { EMBEDDED_POOL, embeddedDataDir, startEmbeddedDatabase } from "./embedded.server";
import { existingTemplate } from "./embedded-template.server";
import { applyPendingMigrations, readMigrationsList } from "./schema-engine.server";

export type OpenDatabase = { url: string; embedded: boolean; close: () => Promise<void> };

/** Connects this process to PostgreSQL (DATABASE_URL) or to the embedded PGlite kept in the data folder. */
export async function openDatabase(config: Pick<AppConfig, "databaseUrl" | "dataDir">): Promise<OpenDatabase> {
  if (config.databaseUrl) {
    configureDatabase(config.databaseUrl);
    return { url: config.databaseUrl, embedded: false, close: disconnectDatabase };
  }
  const started = Date.now();
  const embedded = await startEmbeddedDatabase({ dataDir: embeddedDataDir(config), template: existingTemplate });
  if (embedded.fromTemplate) {
    logger().info({ ms: Date.now() - started }, "created the embedded database from the migrated template");
  }
  configureDatabase(embedded.url, EMBEDDED_POOL);
  return {
    url: embedded.url,
    embedded: true,
    close: async () => {
      await disconnectDatabase();
      await embedded.stop();
    },
  };
}

/**
 * Applies pending migrations. Most starts have none: that is seen from `_prisma_migrations` with one query, and
 * only otherwise is the schema engine (WebAssembly, a second or two to load) started.
 */
export async function migrateDatabase(url: string) {
  if (await migrationsUpToDate()) return [];
  return applyPendingMigrations(url);
}

async function migrationsUpToDate() {
  const wanted = (await readMigrationsList()).migrationDirectories.map((dir) => dir.path);
  const applied = await db.$queryRaw<{ name: string }[]>`
    SELECT migration_name AS "name" FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`.catch(() => []);
  const names = new Set(applied.map((row) => row.name));
  return wanted.every((name) => names.has(name));
}

export async function isDatabaseEmpty() {
  return (await db.village.count()) === 0;
}
