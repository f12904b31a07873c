// Migrates one template per set of migrations; each test file then copies it (database.ts), which is far cheaper
// than migrating per file: CREATE DATABASE … TEMPLATE on PostgreSQL, loading a data-dir dump on PGlite. Both are
// keyed by a hash of the migrations and kept between runs, so a run pays for migrating only after they change.
import { createHash } from "node:crypto";
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedDatabase } from "~/db/embedded.server";
import { applyPendingMigrations, readMigrationsList } from "~/db/schema-engine.server";
import { installJobSchema } from "~/jobs/queue.server";
import { FILE_DATABASE_PREFIX, TEMPLATE_LOCK, TEMPLATE_PREFIX, databaseUrl, markInUse } from "./test-database";

const STALE_AFTER_MS = 60 * 60 * 1000;
const PGLITE_CACHE_DIR = path.resolve("node_modules/.cache/anshang-test");

async function migrations() {
  const dirs = (await readMigrationsList()).migrationDirectories;
  const hash = createHash("sha256");
  for (const dir of dirs) hash.update(dir.path).update(dir.migrationFile.content.value);
  // The job queue's tables are part of the template too, as pg-boss's version installs them.
  hash.update(JSON.parse(await readFile(path.resolve("node_modules/pg-boss/package.json"), "utf8")).version);
  return { count: dirs.length, hash: hash.digest("hex").slice(0, 8) };
}

/** Our databases no run has taken into use for a while: left by killed runs, or templates of other migrations. */
async function dropLeftovers(admin: pg.Client, template: string) {
  const { rows } = await admin.query<{ datname: string; stamp: string | null }>(
    `SELECT datname, shobj_description(oid, 'pg_database') AS stamp FROM pg_database
     WHERE (datname LIKE $1 OR datname LIKE $2) AND datname <> $3`,
    [...[TEMPLATE_PREFIX, FILE_DATABASE_PREFIX].map((prefix) => `${prefix.replaceAll("_", "\\_")}%`), template],
  );
  for (const { datname, stamp } of rows) {
    if (Date.now() - Date.parse(stamp ?? "") < STALE_AFTER_MS) continue;
    // Without FORCE: one that something still uses fails to drop and is left for a later run.
    await admin.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => {});
  }
}

/** Whether the template exists and records every migration as applied. */
async function isComplete(templateUrl: string, migrationCount: number) {
  const client = new pg.Client({ connectionString: templateUrl });
  try {
    await client.connect();
    const { rows } = await client.query<{ applied: number }>(
      `SELECT count(*)::int AS applied FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    return rows[0]!.applied === migrationCount;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function preparePostgresTemplate(serverUrl: string) {
  const { count, hash } = await migrations();
  const template = `${TEMPLATE_PREFIX}${hash}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query("SELECT pg_advisory_lock($1)", [TEMPLATE_LOCK]);
    await dropLeftovers(admin, template);
    if (!(await isComplete(databaseUrl(serverUrl, template), count))) {
      // Built under another name and renamed when complete, so a run killed mid-migration leaves no half template.
      const building = `${template}_building`;
      await admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
      await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${building}"`);
      await applyPendingMigrations(databaseUrl(serverUrl, building));
      await installJobSchema(databaseUrl(serverUrl, building));
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
    }
    await markInUse(admin, template);
  } finally {
    await admin.end();
  }
  return template;
}

async function preparePgliteDump() {
  // A dump only loads into the PostgreSQL build that wrote it, so the PGlite version is part of the key.
  const { version } = JSON.parse(await readFile(path.resolve("node_modules/@electric-sql/pglite/package.json"), "utf8"));
  const dumpPath = path.join(PGLITE_CACHE_DIR, `pglite-${version}-${(await migrations()).hash}.tar`);
  if (await stat(dumpPath).catch(() => null)) return dumpPath;

  // startEmbeddedDatabase keeps PGlite on disk or loads a dump; a dump of a blank instance gives one in memory.
  const blank = await PGlite.create();
  const blankDump = await blank.dumpDataDir("none");
  await blank.close();
  const database = await startEmbeddedDatabase({ loadDataDir: blankDump });
  try {
    await applyPendingMigrations(database.url);
    await installJobSchema(database.url);
    const dump = await database.db.dumpDataDir("none");
    await mkdir(PGLITE_CACHE_DIR, { recursive: true });
    for (const file of await readdir(PGLITE_CACHE_DIR)) {
      if (!file.startsWith(path.basename(dumpPath))) await rm(path.join(PGLITE_CACHE_DIR, file), { force: true });
    }
    // Renamed into place when complete, so a run killed mid-write leaves no truncated dump behind.
    await writeFile(`${dumpPath}.${process.pid}`, Buffer.from(await dump.arrayBuffer()));
    await rename(`${dumpPath}.${process.pid}`, dumpPath);
  } finally {
    await database.stop();
  }
  return dumpPath;
}

export default async function setup(project: TestProject) {
  const started = Date.now();
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const template = await preparePostgresTemplate(serverUrl);
    project.provide("testDatabase", { kind: "postgres", serverUrl, template });
    console.log(`test databases: PostgreSQL, template ${template} ready in ${Date.now() - started} ms`);
  } else {
    const dumpPath = await preparePgliteDump();
    project.provide("testDatabase", { kind: "pglite", dumpPath });
    console.log(`test databases: PGlite, migrated dump ready in ${Date.now() - started} ms`);
  }
}
