// Database chores without the Prisma CLI's native engine: `migrate`, `migration <name>`, `seed`, `reset`, and
// `template` (the migrated embedded database a first start loads: `npm install` makes it beside the build).
// The Prisma client, the schema engine and the seed are imported by the commands that use them, after the embedded
// database's folder lock is checked: refusing because a server holds it should not first load the whole app.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { config as loadedConfig } from "~/config.server";
import { embeddedDataDir, lockDataDir, startEmbeddedDatabase } from "~/db/embedded.server";

const [command, ...args] = process.argv.slice(2);

/** Refuses at once, naming the holder, when a running server holds the embedded database's folder. */
async function checkDataDirFree(config: { databaseUrl?: string; dataDir: string }) {
  if (!config.databaseUrl) await (await lockDataDir(embeddedDataDir(config)))();
}

async function migrate() {
  const config = loadedConfig();
  await checkDataDirFree(config);
  const { migrateDatabase, openDatabase } = await import("~/db/setup.server");
  const database = await openDatabase(config);
  try {
    const applied = await migrateDatabase(database.url);
    console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "No pending migrations.");
  } finally {
    await database.close();
  }
}

async function createMigration(name: string | undefined) {
  if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error("Usage: npm run db:migration -- <name in snake_case>");
  const { LOCKFILE_CONTENT, MIGRATIONS_DIR, diffMigrationsToSchema } = await import("~/db/schema-engine.server");
  // The diff is computed on a scratch in-memory database, never on the real one.
  const scratch = await startEmbeddedDatabase({ loadDataDir: await emptyDump() });
  try {
    const sql = await diffMigrationsToSchema(scratch.url);
    if (!sql.trim()) {
      console.log("The schema matches the migrations: nothing to create.");
      return;
    }
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "migration.sql"), sql);
    const lockfile = path.join(MIGRATIONS_DIR, "migration_lock.toml");
    await readFile(lockfile).catch(() => writeFile(lockfile, LOCKFILE_CONTENT));
    console.log(`Created ${path.relative(process.cwd(), dir)}/migration.sql`);
  } finally {
    await scratch.stop();
  }
}

async function emptyDump() {
  const { PGlite } = await import("@electric-sql/pglite");
  const empty = await PGlite.create();
  const dump = await empty.dumpDataDir("none");
  await empty.close();
  return dump;
}

async function seed() {
  const config = loadedConfig();
  await checkDataDirFree(config);
  const { migrateDatabase, openDatabase } = await import("~/db/setup.server");
  const { printDemoLogins, seedDemoData } = await import("../prisma/seed");
  const database = await openDatabase(config);
  try {
    await migrateDatabase(database.url);
    const seeded = await seedDemoData();
    console.log(seeded ? "Demo data seeded." : "Demo data already present: nothing changed.");
    printDemoLogins();
  } finally {
    await database.close();
  }
}

async function template() {
  const { makeTemplate } = await import("~/db/embedded-template.server");
  const started = Date.now();
  const file = await makeTemplate();
  console.log(`Migrated embedded database template: ${path.relative(process.cwd(), file)} (${Date.now() - started} ms)`);
}

async function reset() {
  const config = loadedConfig();
  if (config.databaseUrl) {
    if (config.isProduction && !args.includes("--force")) {
      throw new Error("Refusing to reset a production database without --force.");
    }
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    await client.query("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
    await client.end();
  } else {
    const unlock = await lockDataDir(embeddedDataDir(config));
    await rm(embeddedDataDir(config), { recursive: true, force: true });
    await unlock();
  }
  console.log("Database emptied.");
  await seed();
}

const commands: Record<string, () => Promise<void>> = {
  migrate,
  migration: () => createMigration(args[0]),
  seed,
  reset,
  template,
};

const run = command ? commands[command] : undefined;
if (!run) {
  console.error(`Usage: tsx scripts/db.ts <${Object.keys(commands).join("|")}>`);
  process.exit(2);
}
run().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
