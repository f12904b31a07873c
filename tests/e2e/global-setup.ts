// Starts the production build on a free port (app-server.ts): on a fresh PostgreSQL database when TEST_DATABASE_URL
// is set (as in CI), otherwise on an embedded PGlite in a temporary data folder. Either way with the demo data.
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { TEST_STRIPE_SECRET_KEY, TEST_WEBHOOK_SECRET } from "../mocks/stripe";
import { axeTotals } from "./accessibility";
import { startShopServer, type ShopServer } from "./app-server";
import { startFakeStripe } from "./fake-stripe";
import { freePort } from "../../scripts/free-port";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    fakeStripe: { url: string };
    /** Where the journeys' axe checks claim the paths they check and leave their counts (accessibility.ts). */
    axeDir: string;
  }
}

export default async function setup(project: TestProject) {
  const port = await freePort();
  // Card payment goes through the fake Stripe; its webhook calls reach the app on the address it listens on.
  const fakeStripe = await startFakeStripe({ webhookUrl: `http://127.0.0.1:${port}/webhooks/stripe`, webhookSecret: TEST_WEBHOOK_SECRET });
  const started = Date.now();
  let server: ShopServer;
  try {
    server = await startShopServer(port, {
      STRIPE_SECRET_KEY: TEST_STRIPE_SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      STRIPE_API_BASE: fakeStripe.url,
    });
  } catch (error) {
    await fakeStripe.close();
    throw error;
  }
  console.log(`e2e: app server healthy on ${server.baseUrl} in ${Date.now() - started} ms (${server.where})`);
  project.provide("baseUrl", server.baseUrl);
  project.provide("fakeStripe", { url: fakeStripe.url });
  const axeDir = await mkdtemp(path.join(tmpdir(), "anshang-axe-"));
  project.provide("axeDir", axeDir);

  return async () => {
    await server.stop();
    await fakeStripe.close();
    // Whatever the journeys bought, paid or refunded, the ledger must agree with the orders to the fen.
    const audit = spawnSync(process.execPath, ["--import", "tsx", "scripts/audit-ledger.ts"], { env: server.env, encoding: "utf8" });
    await server.remove();
    console.log(`e2e: ${audit.stdout.trim()}`);
    console.log(`e2e: ${axeTotals(axeDir)}`);
    await rm(axeDir, { recursive: true, force: true });
    if (audit.status !== 0) throw new Error(`The ledger audit after the journeys failed:\n${audit.stdout}${audit.stderr}`);
  };
}
