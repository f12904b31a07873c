// Starts the production build on a free port: on a fresh PostgreSQL database when TEST_DATABASE_URL is set
// (as in CI), otherwise on an embedded PGlite in a temporary data folder. Either way with the demo data.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { TEST_STRIPE_SECRET_KEY, TEST_WEBHOOK_SECRET } from "../mocks/stripe";
import { startFakeStripe } from "./fake-stripe";
import { freePort } from "../../scripts/free-port";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    fakeStripe: { url: string };
  }
}

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

export default async function setup(project: TestProject) {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(tmpdir(), "anshang-e2e-"));
  const baseUrl = `http://localhost:${port}`;
  // Card payment goes through the fake Stripe; its webhook calls reach the app on the address it listens on.
  const fakeStripe = await startFakeStripe({ webhookUrl: `http://127.0.0.1:${port}/webhooks/stripe`, webhookSecret: TEST_WEBHOOK_SECRET });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    LOG_REQUESTS: "false",
    APP_URL: baseUrl,
    STRIPE_SECRET_KEY: TEST_STRIPE_SECRET_KEY,
    STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    STRIPE_API_BASE: fakeStripe.url,
  };
  let dropDatabase: (() => Promise<void>) | undefined;

  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const name = `anshang_e2e_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    Object.assign(env, {
      DATABASE_URL: url.toString(),
      SEED_DEMO: "true",
      SESSION_SECRET: "e2e-session-secret-0123456789abcdef",
      ID_HASH_KEY: "e2e-id-hash-key-0123456789abcdef",
    });
    dropDatabase = async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    };
  } else {
    delete env.DATABASE_URL;
  }

  const started = Date.now();
  const server = spawn(process.execPath, ["--import", "tsx", "server.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  server.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  server.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  try {
    await waitForHealthy(baseUrl, server, 90_000);
  } catch (error) {
    server.kill("SIGKILL");
    await fakeStripe.close();
    throw new Error(`${(error as Error).message}\n${output.join("")}`);
  }
  console.log(`e2e: app server healthy on ${baseUrl} in ${Date.now() - started} ms (${adminUrl ? "PostgreSQL" : "embedded PGlite"})`);
  project.provide("baseUrl", baseUrl);
  project.provide("fakeStripe", { url: fakeStripe.url });

  return async () => {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
    await fakeStripe.close();
    // Whatever the journeys bought, paid or refunded, the ledger must agree with the orders to the fen.
    const audit = spawnSync(process.execPath, ["--import", "tsx", "scripts/audit-ledger.ts"], { env, encoding: "utf8" });
    await dropDatabase?.();
    await rm(dataDir, { recursive: true, force: true });
    console.log(`e2e: ${audit.stdout.trim()}`);
    if (audit.status !== 0) throw new Error(`The ledger audit after the journeys failed:\n${audit.stdout}${audit.stderr}`);
  };
}
