// Runs before each test file: gives the file a database of its own, copied from the migrated template, and points
// the app's Prisma client at it before any test touches `db`.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { configureDatabase, disconnectDatabase } from "~/db/client.server";
import { startEmbeddedDatabase } from "~/db/embedded.server";

const testDatabase = inject("testDatabase");

// PostgreSQL refuses to copy a template that another CREATE DATABASE is copying at that moment, so test files
// (running in parallel workers) take turns under an advisory lock.
const TEMPLATE_LOCK = 7_420_161;

async function adminQuery(adminUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [TEMPLATE_LOCK]);
    await client.query(sql);
  } finally {
    await client.end();
  }
}

if (testDatabase.kind === "postgres") {
  const name = `anshang_t_${randomBytes(6).toString("hex")}`;
  await adminQuery(testDatabase.adminUrl, `CREATE DATABASE "${name}" TEMPLATE "${testDatabase.template}"`);
  const url = new URL(testDatabase.adminUrl);
  url.pathname = `/${name}`;
  configureDatabase(url.toString(), { poolMax: 20 });
  afterAll(async () => {
    await disconnectDatabase();
    await adminQuery(testDatabase.adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
} else {
  const dump = await readFile(testDatabase.dumpPath);
  const database = await startEmbeddedDatabase({ loadDataDir: new Blob([dump]) });
  configureDatabase(database.url, { poolMax: 4 });
  afterAll(async () => {
    await disconnectDatabase();
    await database.stop();
  });
}
