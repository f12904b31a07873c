// A new embedded database costs ~4–5 s of initdb in WebAssembly and ~2 s of migrations before anything else runs.
// A dump of one already migrated, with the job queue's tables, loads in ~1 s: the test setup loads it for every test
// file, and a first `npm start` loads it into the data folder (the install makes it beside the build).
import { createHash } from "node:crypto";
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { installJobSchema } from "~/jobs/queue.server";
import { startEmbeddedDatabase } from "./embedded.server";
import { applyPendingMigrations, readMigrationsList } from "./schema-engine.server";

export const TEMPLATE_CACHE_DIR = path.resolve("node_modules/.cache/anshang-pglite");

/** The migrations and the job queue's version: what a migrated database holds, as a short hash and a count. */
export async function migrationsKey() {
  const dirs = (await readMigrationsList()).migrationDirectories;
  const hash = createHash("sha256");
  for (const dir of dirs) hash.update(dir.path).update(dir.migrationFile.content.value);
  hash.update(JSON.parse(await readFile(path.resolve("node_modules/pg-boss/package.json"), "utf8")).version);
  return { count: dirs.length, hash: hash.digest("hex").slice(0, 8) };
}

/** Where the dump for these migrations is kept: a dump only loads into the PGlite build that wrote it. */
async function templatePath() {
  const { version } = JSON.parse(await readFile(path.resolve("node_modules/@electric-sql/pglite/package.json"), "utf8"));
  return path.join(TEMPLATE_CACHE_DIR, `pglite-${version}-${(await migrationsKey()).hash}.tar`);
}

/** The migrated dump, if one for the current migrations and PGlite has been made. */
export async function existingTemplate(): Promise<Blob | undefined> {
  const file = await templatePath();
  return (await stat(file).catch(() => null)) ? new Blob([await readFile(file)]) : undefined;
}

/** Makes the migrated dump unless it exists; returns its path. Dumps of other migrations are removed. */
export async function makeTemplate(): Promise<string> {
  const file = await templatePath();
  if (await stat(file).catch(() => null)) return file;

  // startEmbeddedDatabase keeps PGlite on disk or loads a dump; a dump of a blank instance gives one in memory.
  const blank = await PGlite.create();
  const blankDump = await blank.dumpDataDir("none");
  await blank.close();
  const database = await startEmbeddedDatabase({ loadDataDir: blankDump });
  try {
    await applyPendingMigrations(database.url);
    await installJobSchema(database.url);
    const dump = await database.db.dumpDataDir("none");
    await mkdir(TEMPLATE_CACHE_DIR, { recursive: true });
    for (const name of await readdir(TEMPLATE_CACHE_DIR)) {
      if (!name.startsWith(path.basename(file))) await rm(path.join(TEMPLATE_CACHE_DIR, name), { force: true });
    }
    // Renamed into place when complete, so a process killed mid-write leaves no truncated dump behind.
    await writeFile(`${file}.${process.pid}`, Buffer.from(await dump.arrayBuffer()));
    await rename(`${file}.${process.pid}`, file);
  } finally {
    await database.stop();
  }
  return file;
}
