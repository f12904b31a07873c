// Migrates one template database per run; each test file then copies it (tests/setup/database.ts), which is far
// cheaper than migrating per file: CREATE DATABASE … TEMPLATE on PostgreSQL, a data-dir dump on PGlite.
import { createHash } from "node:crypto";
import { readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedDatabase } from "~/db/embedded.server";
import { MIGRATIONS_DIR, applyPendingMigrations } from "~/db/schema-engine.server";

declare module "vitest" {
  export interface ProvidedContext {
    testDatabase: { kind: "postgres"; adminUrl: string; template: string } | { kind: "pglite"; dumpPath: string };
  }
}

async function migrationsHash() {
  const hash = createHash("sha256");
  const dirs = (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  for (const dir of dirs) hash.update(dir).update(await readFile(path.join(MIGRATIONS_DIR, dir, "migration.sql")));
  return hash.digest("hex").slice(0, 8);
}

function databaseUrl(adminUrl: string, name: string) {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function preparePostgresTemplate(adminUrl: string) {
  const template = `anshang_tpl_${await migrationsHash()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // Databases of earlier runs that were killed before their own cleanup.
    const stale = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'anshang_t\\_%' OR (datname LIKE 'anshang_tpl_%' AND datname <> $1)`, [template]);
    for (const { datname } of stale.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [template]);
    if (exists.rowCount === 0) {
      // Built under another name and renamed when complete, so a run killed mid-migration leaves no half template.
      const building = `${template}_building`;
      await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${building}"`);
      await applyPendingMigrations(databaseUrl(adminUrl, building));
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
    }
  } finally {
    await admin.end();
  }
  return template;
}

async function preparePgliteDump() {
  const { PGlite } = await import("@electric-sql/pglite");
  const empty = await PGlite.create();
  const blank = await empty.dumpDataDir("none");
  await empty.close();
  const database = await startEmbeddedDatabase({ loadDataDir: blank });
  try {
    await applyPendingMigrations(database.url);
    const dump = await database.db.dumpDataDir("none");
    const dumpPath = path.join(tmpdir(), `anshang-test-${process.pid}.tar`);
    await writeFile(dumpPath, Buffer.from(await dump.arrayBuffer()));
    return dumpPath;
  } finally {
    await database.stop();
  }
}

export default async function setup(project: TestProject) {
  const started = Date.now();
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const template = await preparePostgresTemplate(adminUrl);
    project.provide("testDatabase", { kind: "postgres", adminUrl, template });
    console.log(`test databases: PostgreSQL, template ${template} ready in ${Date.now() - started} ms`);
    return;
  }
  const dumpPath = await preparePgliteDump();
  project.provide("testDatabase", { kind: "pglite", dumpPath });
  console.log(`test databases: PGlite, migrated dump ready in ${Date.now() - started} ms`);
  return async () => {
    await rm(dumpPath, { force: true });
  };
}
