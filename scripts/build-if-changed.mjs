// Builds only when the sources changed since the last build: a hash of every file the build reads is kept beside it
// (build/.sources), and the build's own output is shown only when it fails. `npm install` runs it (so the first
// `npm start` finds the build made), and so do `npm start` and the browser tests. Plain JavaScript, so that the
// check costs one Node start and not tsx's two. While it builds, the migrated embedded database a first start loads
// is made in a process of its own (the build keeps one core busy for ~40 s, that ~7 s): `tsx scripts/db.ts template`.
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

const started = performance.now();
const hash = sourcesHash();
const built = existsSync(STAMP) && existsSync("build/server/index.js") ? readFileSync(STAMP, "utf8") : "";
if (built === hash) {
  console.log(`Build is up to date (checked in ${Math.round(performance.now() - started)} ms).`);
} else {
  const [build, template] = await Promise.all([
    run("npx", ["remix", "vite:build"]),
    run("node", ["--import", "tsx", "scripts/db.ts", "template"]),
  ]);
  if (template.status !== 0) {
    // Without it a first start creates and migrates the embedded database itself, only slower.
    process.stderr.write(template.output);
    console.error("Making the embedded database template failed; a first start will create the database instead.");
  }
  if (build.status !== 0) {
    process.stdout.write(build.output);
    console.error("The build failed.");
    process.exit(build.status ?? 1);
  }
  writeFileSync(STAMP, hash);
  console.log(`Built in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}
