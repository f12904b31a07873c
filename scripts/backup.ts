// npm run db:backup [file] — npm run db:restore <file>
//
// PostgreSQL (DATABASE_URL): pg_dump in its custom format, restored with pg_restore into emptied schemas in one
// transaction, so a failed restore leaves the database as it was. The client must be the server's major version.
// Embedded (no DATABASE_URL; stop the server first, PGlite is one process): pg_dump compiled to WebAssembly
// (pglite-tools) writes plain SQL with INSERTs, which restores into the embedded database and, through psql, into
// PostgreSQL too. The photos are in the database (StoredFile), and so are the job tables: one file holds everything.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pgDump } from "@electric-sql/pglite-tools/pg_dump";
import pg from "pg";
import { loadConfig } from "~/config.server";
import { embeddedDataDir } from "~/db/embedded.server";

const [command, fileArgument] = process.argv.slice(2);
const config = loadConfig();

function run(program: string, args: string[], input?: string) {
  const env = { ...process.env, PGOPTIONS: "-c client_min_messages=warning" };
  const result = spawnSync(program, args, { input, env, encoding: "utf8", maxBuffer: 1 << 30 });
  if (result.error) throw new Error(`${program} could not run: ${result.error.message} (install postgresql-client)`);
  if (result.status !== 0) throw new Error(`${program} failed:\n${result.stderr}`);
  return result.stdout;
}

async function assertClientMatchesServer(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ server_version_num: string }>("SHOW server_version_num");
  await client.end();
  const server = Math.floor(Number(rows[0]!.server_version_num) / 10_000);
  const tool = Number(/(\d+)\./.exec(run("pg_dump", ["--version"]))?.[1]);
  if (tool !== server) throw new Error(`pg_dump ${tool} cannot be used with PostgreSQL ${server}: install postgresql-client-${server}`);
}

/** Plain SQL from pg_dump 17 (PGlite) for an older server or for PGlite itself: without psql's meta-commands. */
function portableSql(sql: string) {
  return sql
    .split("\n")
    .filter((line) => !line.startsWith("\\") && !line.startsWith("SET transaction_timeout"))
    .join("\n");
}

const EMPTY_SCHEMAS = "DROP SCHEMA IF EXISTS pgboss CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;";

async function backup() {
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  if (config.databaseUrl) {
    const file = fileArgument ?? path.join("backups", `anshang-${stamp}.dump`);
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    await assertClientMatchesServer(config.databaseUrl);
    run("pg_dump", ["--format=custom", "--no-owner", "--file", file, config.databaseUrl]);
    return file;
  }
  const file = fileArgument ?? path.join("backups", `anshang-${stamp}.sql`);
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = await PGlite.create({ dataDir: embeddedDataDir(config) });
  try {
    const dump = await pgDump({ pg: database, args: ["--inserts", "--no-owner", "--no-privileges"] });
    writeFileSync(file, portableSql(await dump.text()));
  } finally {
    await database.close();
  }
  return file;
}

async function restore() {
  if (!fileArgument || !existsSync(fileArgument)) throw new Error("Usage: npm run db:restore -- <backup file>");
  const custom = readFileSync(fileArgument).subarray(0, 5).toString() === "PGDMP";
  if (config.databaseUrl) {
    await assertClientMatchesServer(config.databaseUrl);
    // pg_restore's SQL carries the data as COPY blocks for psql; an embedded backup is already portable.
    const sql = custom ? run("pg_restore", ["--no-owner", "--file=-", fileArgument]) : readFileSync(fileArgument, "utf8");
    run(
      "psql",
      ["--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "--single-transaction", "--dbname", config.databaseUrl],
      `${EMPTY_SCHEMAS}\n${sql}`,
    );
    return;
  }
  if (custom) throw new Error("A PostgreSQL backup (custom format) restores into PostgreSQL: set DATABASE_URL");
  const dataDir = embeddedDataDir(config);
  const aside = `${dataDir}.before-restore-${Date.now()}`;
  if (existsSync(dataDir)) renameSync(dataDir, aside);
  const database = await PGlite.create({ dataDir });
  try {
    await database.exec(`${EMPTY_SCHEMAS}\n${readFileSync(fileArgument, "utf8")}`);
  } catch (error) {
    await database.close();
    renameSync(dataDir, `${dataDir}.failed-restore-${Date.now()}`);
    if (existsSync(aside)) renameSync(aside, dataDir);
    throw error;
  }
  await database.close();
  if (existsSync(aside)) console.log(`The data it replaced is kept in ${aside}.`);
}

try {
  const started = performance.now();
  if (command === "backup") console.log(`Backed up to ${await backup()} in ${Math.round(performance.now() - started)} ms.`);
  else if (command === "restore") {
    await restore();
    console.log(`Restored ${fileArgument} in ${Math.round(performance.now() - started)} ms.`);
  } else throw new Error("Usage: tsx scripts/backup.ts backup [file] | restore <file>");
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
