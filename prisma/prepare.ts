// What a database needs before the shop's first request: server.ts runs it once per start (in the cluster's primary).
import type { AppConfig } from "~/config.server";
import { importLegacyUploads } from "~/db/files.server";
import { isDatabaseEmpty, migrateDatabase } from "~/db/setup.server";
import { logger } from "~/utils/logger.server";
import { seedDemoData } from "./seed";

/** Migrations, the demo seed and photos left in the data folder by older versions, on the configured database. */
export async function prepareDatabase(config: Pick<AppConfig, "seedDemo" | "dataDir">, databaseUrl: string) {
  const applied = await migrateDatabase(databaseUrl);
  if (applied.length) logger().info({ migrations: applied }, `applied ${applied.length} migration(s)`);
  if (config.seedDemo && (await isDatabaseEmpty())) {
    await seedDemoData();
    logger().info("seeded the demo data");
  }
  const imported = await importLegacyUploads(config.dataDir);
  if (imported) logger().info({ files: imported }, "moved uploaded photos from the data folder into the database");
}
