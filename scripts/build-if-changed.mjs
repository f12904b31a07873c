// `npm start` builds only when the sources changed since the last build: a hash of every file the build reads is
// kept beside it (build/.sources), and the build's own output is shown only when it fails. Plain JavaScript, so
// that the check costs one Node start and not tsx's two.
import { spawnSync } from "node:child_process";
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

const started = performance.now();
const hash = sourcesHash();
const built = existsSync(STAMP) && existsSync("build/server/index.js") ? readFileSync(STAMP, "utf8") : "";
if (built === hash) {
  console.log(`Build is up to date (checked in ${Math.round(performance.now() - started)} ms).`);
} else {
  const build = spawnSync("npx", ["remix", "vite:build"], { encoding: "utf8", env: { ...process.env, NODE_ENV: "production" } });
  if (build.status !== 0) {
    process.stdout.write(build.stdout);
    process.stderr.write(build.stderr);
    console.error("The build failed.");
    process.exit(build.status ?? 1);
  }
  writeFileSync(STAMP, hash);
  console.log(`Built in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}
