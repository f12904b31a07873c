// Database chores without the Prisma CLI's native engine: `migrate`, `migration <name>`, `seed`, `reset`, and
// `template` (the migrated embedded database a first start loads: `npm install` makes it beside the build).
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { config as loadedConfig } from "~/config.server";
import { lockDataDir, startEmbeddedDatabase } from "~/db/embedded.server";
import { LOCKFILE_CONTENT, MIGRATIONS_DIR, diffMigrationsToSchema } from "~/db/schema-engine.server";
import { makeTemplate } from "~/db/embedded-template.server";
import { embeddedDataDir, migrateDatabase, openDatabase } from "~/db/setup.server";
import { printDemoLogins, seedDemoData } from "../prisma/seed";

const [command, ...args] = process.argv.slice(2);

async function migrate() {
  const config = loadedConfig();
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
