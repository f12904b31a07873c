// Migrates one template per set of migrations; each test file then copies it (database.ts), which is far cheaper
// than migrating per file: CREATE DATABASE … TEMPLATE on PostgreSQL, loading a data-dir dump on PGlite. Both are
// keyed by a hash of the migrations and kept between runs, so a run pays for migrating only after they change.
import pg from "pg";
import type { TestProject } from "vitest/node";
import { makeTemplate, migrationsKey } from "~/db/embedded-template.server";
import { applyPendingMigrations } from "~/db/schema-engine.server";
import { installJobSchema } from "~/jobs/queue.server";
import { FILE_DATABASE_PREFIX, TEMPLATE_LOCK, TEMPLATE_PREFIX, databaseUrl, markInUse } from "./test-database";

const STALE_AFTER_MS = 60 * 60 * 1000;

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
  const { count, hash } = await migrationsKey();
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

export default async function setup(project: TestProject) {
  const started = Date.now();
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const template = await preparePostgresTemplate(serverUrl);
    project.provide("testDatabase", { kind: "postgres", serverUrl, template });
    console.log(`test databases: PostgreSQL, template ${template} ready in ${Date.now() - started} ms`);
  } else {
    const dumpPath = await makeTemplate();
    project.provide("testDatabase", { kind: "pglite", dumpPath });
    console.log(`test databases: PGlite, migrated dump ready in ${Date.now() - started} ms`);
  }
}
