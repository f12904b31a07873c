import path from "node:path";
import type { AppConfig } from "~/config.server";
import { configureDatabase, db, disconnectDatabase } from "./client.server";
import { EMBEDDED_POOL_MAX, startEmbeddedDatabase } from "./embedded.server";
import { applyPendingMigrations } from "./schema-engine.server";

export type OpenDatabase = { url: string; embedded: boolean; close: () => Promise<void> };

export function embeddedDataDir(config: Pick<AppConfig, "dataDir">) {
  return path.join(config.dataDir, "pglite");
}

/** Connects this process to PostgreSQL (DATABASE_URL) or to the embedded PGlite kept in the data folder. */
export async function openDatabase(config: Pick<AppConfig, "databaseUrl" | "dataDir">): Promise<OpenDatabase> {
  if (config.databaseUrl) {
    configureDatabase(config.databaseUrl);
    return { url: config.databaseUrl, embedded: false, close: disconnectDatabase };
  }
  const embedded = await startEmbeddedDatabase({ dataDir: embeddedDataDir(config) });
  configureDatabase(embedded.url, { poolMax: EMBEDDED_POOL_MAX });
  return {
    url: embedded.url,
    embedded: true,
    close: async () => {
      await disconnectDatabase();
      await embedded.stop();
    },
  };
}

export async function migrateDatabase(url: string) {
  return applyPendingMigrations(url);
}

export async function isDatabaseEmpty() {
  return (await db.village.count()) === 0;
}
