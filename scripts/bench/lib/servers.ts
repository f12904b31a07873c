// The servers a benchmark measures, each a process of its own with its output in a log file: the shop's production
// build (server.ts, as `npm run serve` runs it), the minimal Remix app, an Express route and bare node:http.
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "../../free-port";
import { processTree, treeCpuMs } from "./proc";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");

/** The shop's secrets in every benchmark: the cookies the benchmarks sign must be the ones the server accepts. */
export const SHOP_SECRETS = {
  SESSION_SECRET: "bench-session-secret-0123456789abcdef",
  ID_HASH_KEY: "bench-id-hash-key-0123456789abcdefgh",
};

export type Server = {
  name: string;
  baseUrl: string;
  pid: number;
  /** The process and everything it started (an app with several workers). */
  processes: () => number[];
  /** CPU milliseconds the whole process tree has used so far. */
  cpuMs: () => number;
  /** The end of what the server wrote (its request log and errors). */
  logTail: (chars?: number) => string;
  /** What the server wrote since it was ready, other than its request log: how many messages, the first lines. */
  logProblems: () => { count: number; first: string[] };
  stop: () => Promise<void>;
};

/**
 * A line of a request log: pino's JSON line at level info with the message "request" (the shop's and the floors'),
 * or morgan's "combined" `127.0.0.1 - - [date] "GET / HTTP/1.1" 200 …`.
 */
const ACCESS_LOG_LINE = /^\{"level":30,.*"msg":"request"\}$|^\S+ - \S+ \[[^\]]+\] "/;

/** Says what each server wrote besides its request log (an error behind a 500, a warning), so no answer goes unexplained. */
export function printServerProblems(servers: Pick<Server, "name" | "logProblems">[]) {
  for (const server of servers) {
    const { count, first } = server.logProblems();
    if (!count) continue;
    console.log(`
${server.name} wrote ${count} lines besides its request log; the first:`);
    for (const line of first) console.log(`  ${line.slice(0, 400)}`);
  }
}

type Start = {
  name: string;
  args: string[];
  env: Record<string, string | undefined>;
  logFile: string;
  timeoutMs?: number;
  cwd?: string;
};

async function startServer({ name, args, env, logFile, timeoutMs = 120_000, cwd = REPO_ROOT }: Start): Promise<Server> {
  const port = await freePort();
  const log = openSync(logFile, "a");
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", ...env },
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  const logTail = (chars = 3000) => {
    const size = statSync(logFile).size;
    const tail = Buffer.alloc(Math.min(size, chars));
    const fd = openSync(logFile, "r");
    try {
      readSync(fd, tail, 0, tail.length, size - tail.length);
    } finally {
      closeSync(fd);
    }
    return tail.toString();
  };
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${logTail()}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${name} not healthy after ${timeoutMs} ms:\n${logTail()}`);
    }
    const healthy = await fetch(`${baseUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) break;
    await sleep(250);
  }
  const pid = child.pid!;
  const readyAt = statSync(logFile).size;
  const logProblems = () => {
    const lines = readFileSync(logFile).subarray(readyAt).toString().split("\n");
    const problems = lines.filter((line) => line.trim() && !ACCESS_LOG_LINE.test(line));
    // A message's first line starts at the margin; a stack trace's lines are indented.
    return { count: problems.filter((line) => !/^\s/.test(line)).length, first: problems.slice(0, 5) };
  };
  return {
    name,
    baseUrl,
    pid,
    processes: () => processTree(pid),
    cpuMs: () => treeCpuMs(pid),
    logTail,
    logProblems,
    stop: async () => {
      const tree = processTree(pid);
      child.kill("SIGTERM");
      const done = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
      // Whatever of the tree outlived the server's own shutdown (workers it did not stop) was started by us.
      for (const leftover of done ? tree.slice(1) : tree.reverse()) {
        try {
          process.kill(leftover, "SIGKILL");
        } catch {
          // already gone
        }
      }
      if (!done) await exited;
    },
  };
}

export type ShopOptions = {
  /** A PostgreSQL URL, or the embedded database kept in `dataDir` (DATABASE_URL unset, as the demo runs). */
  databaseUrl?: string;
  dataDir: string;
  logFile: string;
  /** App processes; passed as `--workers N` (see `npm run serve`). A server that ignores it runs one process. */
  workers?: number;
  env?: Record<string, string>;
  /** Another checkout (built, with its dependencies) to start instead of this one: a baseline measured beside it. */
  cwd?: string;
  name?: string;
};

/**
 * The production build, started as `npm run serve` starts it: NODE_ENV=production, request logging on, the demo data
 * seeded into an empty database. BENCH_NODE_ARGS adds Node flags (e.g. `--cpu-prof`).
 */
export async function startShop({ databaseUrl, dataDir, logFile, workers = 1, env = {}, cwd, name = "shop" }: ShopOptions) {
  const server = await startServer({
    name,
    cwd,
    args: [
      ...(process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
      "--import",
      "tsx",
      "server.ts",
      ...(workers > 1 ? ["--workers", String(workers)] : []),
    ],
    env: {
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl ?? "",
      DATA_DIR: dataDir,
      SEED_DEMO: "true",
      LOG_REQUESTS: "true",
      ...SHOP_SECRETS,
      ...env,
    },
    logFile,
  });
  // Workers start after the first one answers; wait until the tree stops growing (or holds what was asked for).
  let count = server.processes().length;
  if (workers > 1) {
    const deadline = Date.now() + 30_000;
    let stableSince = Date.now();
    while (count < workers + 1 && Date.now() < deadline && Date.now() - stableSince < 5_000) {
      await sleep(250);
      const now = server.processes().length;
      if (now !== count) stableSince = Date.now();
      count = now;
    }
  }
  return { ...server, workersAsked: workers, processCount: count };
}

export type Shop = Awaited<ReturnType<typeof startShop>>;

/** How the app ran, for the report: one process, or the workers `--workers` gave it. */
export function describeProcesses(shop: Shop) {
  if (shop.workersAsked <= 1) return "1 app process";
  if (shop.processCount <= 1) return `1 app process (asked for ${shop.workersAsked}: this server.ts ignores --workers)`;
  return `${shop.processCount} processes for --workers ${shop.workersAsked} (CPU summed over all of them)`;
}

export type FloorKind = "remix" | "express" | "bare";

/** One floor, as its own process, on the same database as the shop. */
export function startFloor(
  kind: FloorKind,
  { databaseUrl, logFile, pagesDir }: { databaseUrl: string; logFile: string; pagesDir?: string },
) {
  const script = kind === "bare" ? "scripts/bench/floor/bare.ts" : "scripts/bench/floor/server.ts";
  return startServer({
    name: `floor-${kind}`,
    args: ["--import", "tsx", script],
    env: { NODE_ENV: "production", DATABASE_URL: databaseUrl, FLOOR: kind, BARE_PAGES_DIR: pagesDir },
    logFile,
  });
}
