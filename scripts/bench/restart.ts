// npm run bench:restart [-- --samples 5] [-- --postgres]
//
// How long a restart takes: `npm start` on a data folder (or PostgreSQL database) that a first start already built,
// migrated and seeded, timed from the command to the first healthy /healthz, SAMPLES times. Also says where the time
// goes — the build check (build-if-changed.mjs), the server's own start up to listening (migrations check, seed check,
// loading the build, opening the database), the rest (Node and tsx starting) — and how many lines `npm start` printed.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "../free-port";
import { createBenchDatabase } from "./lib/database";
import { REPO_ROOT, SHOP_SECRETS } from "./lib/servers";
import { fmtSpread, spread } from "./lib/stats";

const samplesIndex = process.argv.indexOf("--samples");
const SAMPLES = samplesIndex >= 0 ? Number(process.argv[samplesIndex + 1]) : 5;
const postgres = process.argv.includes("--postgres");
const GOAL_MS = 10_000;
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

type Start = { healthyMs: number; buildCheckMs: number; listenMs: number; lines: number; output: string };

async function start(env: Record<string, string>): Promise<Start> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn("npm", ["start", "--silent"], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", LOG_REQUESTS: "false" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let healthyMs = NaN;
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) {
      healthyMs = performance.now() - started;
      break;
    }
    await sleep(100);
  }
  // npm starts a shell that starts the server: the whole group is stopped, as Ctrl-C would.
  process.kill(-child.pid!, "SIGTERM");
  await Promise.race([exited, sleep(20_000)]);
  if (Number.isNaN(healthyMs)) throw new Error(`npm start did not become healthy:\n${output.slice(-3000)}`);
  const buildCheckMs = Number(/checked in (\d+) ms/.exec(output)?.[1] ?? NaN);
  const listenLine = output.split("\n").find((line) => line.includes('"Anshang shop on'));
  const listenMs = listenLine ? Number((JSON.parse(listenLine) as { ms: number }).ms) : NaN;
  return { healthyMs, buildCheckMs, listenMs, lines: output.trimEnd().split("\n").length, output };
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), "anshang-restart-"));
const database = postgres ? await createBenchDatabase("restart") : null;
const env: Record<string, string> = { DATA_DIR: dataDir, DATABASE_URL: database?.url ?? "", SEED_DEMO: "true", ...SHOP_SECRETS };
try {
  console.log(`npm start on ${postgres ? "PostgreSQL" : "the embedded database"}; load average before: ${load()}`);
  const first = await start(env);
  console.log(
    `first start (build check, migrations, demo seed): healthy in ${(first.healthyMs / 1000).toFixed(1)} s, ${first.lines} lines printed`,
  );
  const restarts: Start[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const restart = await start(env);
    restarts.push(restart);
    console.log(
      `restart ${i + 1}/${SAMPLES}: healthy in ${Math.round(restart.healthyMs)} ms (build check ${restart.buildCheckMs} ms, server listening after ${restart.listenMs} ms), ${restart.lines} lines printed (load ${load()})`,
    );
  }
  const healthy = spread(restarts.map((r) => r.healthyMs));
  console.log(
    `\nrestart to healthy: min / median / max ${fmtSpread(healthy, 0)} ms over ${SAMPLES} restarts; goal ≤ ${GOAL_MS} ms: ${healthy.median <= GOAL_MS ? "met" : "NOT met"}`,
  );
  console.log(`  build check:        ${fmtSpread(spread(restarts.map((r) => r.buildCheckMs)), 0)} ms`);
  console.log(
    `  server start → listening (database, migrations check, seed check, build loaded): ${fmtSpread(spread(restarts.map((r) => r.listenMs)), 0)} ms`,
  );
  console.log(`lines printed by a restart: ${fmtSpread(spread(restarts.map((r) => r.lines)), 0)}; the last restart printed:`);
  for (const line of restarts.at(-1)!.output.trimEnd().split("\n")) console.log(`  | ${line.slice(0, 200)}`);
  console.log(`load average after: ${load()} (2 cores)`);
  if (healthy.median > GOAL_MS) process.exitCode = 1;
} finally {
  await rm(dataDir, { recursive: true, force: true });
  await database?.drop();
}
