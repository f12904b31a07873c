// `npm start` builds only when the sources changed since the last build: a hash of every file the build reads is
// kept beside it (build/.sources), and the build's own output is shown only when it fails. Plain JavaScript, so
// that the check costs one Node start and not tsx's two. On a fresh machine the embedded database is created,
// migrated and given the demo meanwhile, in a process of its own (the build keeps one core busy for ~40 s and that
// work ~12 s), so the server finds it ready.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const SOURCES = ["app", "public", "vite.config.ts", "remix.config.js", "tsconfig.json", "package-lock.json"];
const STAMP = path.join("build", ".sources");

/** @param {string} entry @returns {Generator<string>} */
function* files(entry) {
  if (!existsSync(entry)) return;
  if (statSync(entry).isDirectory()) {
    for (const name of readdirSync(entry).sort()) yield* files(path.join(entry, name));
  } else {
    yield entry;
  }
}

function sourcesHash() {
  const hash = createHash("sha256");
  for (const source of SOURCES) for (const file of files(source)) hash.update(file).update("\0").update(readFileSync(file));
  return hash.digest("hex");
}

/** @param {string} command @param {string[]} args @returns {Promise<{ status: number | null; output: string }>} */
function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, NODE_ENV: "production" } });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (status) => resolve({ status, output }));
  });
}

/** The server would create the embedded database and seed the demo: no DATABASE_URL, and no database there yet. */
function freshEmbeddedDatabase() {
  return !process.env.DATABASE_URL && !existsSync(path.join(process.env.DATA_DIR ?? "data", "pglite"));
}

const started = performance.now();
const hash = sourcesHash();
const built = existsSync(STAMP) && existsSync("build/server/index.js") ? readFileSync(STAMP, "utf8") : "";
if (built === hash) {
  console.log(`Build is up to date (checked in ${Math.round(performance.now() - started)} ms).`);
} else {
  const [build, database] = await Promise.all([
    run("npx", ["remix", "vite:build"]),
    freshEmbeddedDatabase() ? run("node", ["--import", "tsx", "scripts/db.ts", "prepare"]) : null,
  ]);
  if (database && database.status !== 0) {
    // The server prepares the database itself, and says what is wrong if it still is.
    process.stderr.write(database.output);
    console.error("Preparing the embedded database beside the build failed; the server will try again.");
  }
  if (build.status !== 0) {
    process.stdout.write(build.output);
    console.error("The build failed.");
    process.exit(build.status ?? 1);
  }
  writeFileSync(STAMP, hash);
  console.log(`Built in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}
