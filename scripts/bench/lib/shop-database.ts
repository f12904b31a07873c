// The shop's database for one benchmark run, migrated and seeded with the demo data by a first start of the shop
// itself (so the schema is whatever this branch's migrations make it), then stopped: the benchmark adds its
// fixtures before the measured server starts.
import path from "node:path";
import { createBenchDatabase, type Sql, withEmbeddedSql, withSql } from "./database";
import type { Run } from "./run";
import { startShop } from "./servers";

export type ShopDatabase = {
  /** The PostgreSQL URL, or null for the embedded database. */
  url: string | null;
  dataDir: string;
  /** SQL on the shop's database; for the embedded one, only while the shop is stopped. */
  sql: <T>(use: (sql: Sql) => Promise<T>) => Promise<T>;
};

export async function prepareShopDatabase(run: Run, label: string, { embedded = false } = {}): Promise<ShopDatabase> {
  const dataDir = path.join(run.dir, "data");
  let url: string | null = null;
  if (!embedded) {
    const database = await createBenchDatabase(label);
    run.defer(database.drop);
    url = database.url;
  }
  const first = await startShop({ databaseUrl: url ?? undefined, dataDir, logFile: run.logFile("shop-first-start") });
  await first.stop();
  return {
    url,
    dataDir,
    sql: (use) => (url ? withSql(url, use) : withEmbeddedSql(dataDir, use)),
  };
}
