// The production build as a child process with the demo data, for the journeys: on a fresh PostgreSQL database when
// TEST_DATABASE_URL is set (as in CI), otherwise on an embedded PGlite in a temporary data folder. The run's main
// server (global-setup.ts) is one; a journey that needs the shop configured otherwise (no Stripe) starts its own.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

export type ShopServer = {
  baseUrl: string;
  /** The environment it runs with (its database), for scripts that must reach the same data afterwards. */
  env: NodeJS.ProcessEnv;
  where: string;
  stop: () => Promise<void>;
  /** Drops its database and data folder; after stop(). */
  remove: () => Promise<void>;
};

async function waitForHealthy(baseUrl: string, server: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`The app server exited with code ${server.exitCode}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The app server did not become healthy within ${timeoutMs} ms`);
}

async function adminQuery(adminUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Starts a shop on `port` with the demo data; `env` adds to (or, with undefined, removes from) this process's. */
export async function startShopServer(port: number, env: Record<string, string | undefined> = {}): Promise<ShopServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "anshang-e2e-"));
  const baseUrl = `http://localhost:${port}`;
  const serverEnv: NodeJS.ProcessEnv = {
    ...process.env,
    // The production build, with the test-only settings a production server refuses (STRIPE_API_BASE).
    NODE_ENV: "test",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    LOG_REQUESTS: "false",
    APP_URL: baseUrl,
    ...env,
  };
  let dropDatabase = async () => {};

  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const name = `anshang_e2e_${process.pid}_${port}_${Date.now()}`;
    await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    Object.assign(serverEnv, {
      DATABASE_URL: url.toString(),
      SEED_DEMO: "true",
      SESSION_SECRET: "e2e-session-secret-0123456789abcdef",
      ID_HASH_KEY: "e2e-id-hash-key-0123456789abcdef",
    });
    dropDatabase = () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } else {
    delete serverEnv.DATABASE_URL;
  }
  for (const [key, value] of Object.entries(serverEnv)) if (value === undefined) delete serverEnv[key];

  const remove = async () => {
    await dropDatabase();
    await rm(dataDir, { recursive: true, force: true });
  };
  const server = spawn(process.execPath, ["--import", "tsx", "server.ts"], { env: serverEnv, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  server.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  server.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const stop = async () => {
    if (server.exitCode !== null) return;
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  };
  try {
    await waitForHealthy(baseUrl, server, 90_000);
  } catch (error) {
    server.kill("SIGKILL");
    await remove();
    throw new Error(`${(error as Error).message}\n${output.join("")}`);
  }
  return { baseUrl, env: serverEnv, where: adminUrl ? "PostgreSQL" : "embedded PGlite", stop, remove };
}
