// Two app processes on one PostgreSQL (DOMAIN §8, issue 12): the production build started twice on the same
// database, as two hosts behind a load balancer would run it. A checkout rush goes to both — each buyer's steps
// alternate between the processes — for fewer boxes than buyers; then some of the orders lapse unpaid and expiry
// jobs are queued in a burst while both processes work jobs. Nothing may be oversold, every lapsed order must be
// expired once (its stock given back once), and every job must have run in exactly one process, once.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBuyers, createGroupOrder, createSku, createUnit, readSold, seedRefs, type Buyer } from "../../scripts/bench/lib/fixtures";
import { documentHeaders, formPostHeaders } from "../../scripts/bench/lib/load-generator";
import { startShop, type Shop } from "../../scripts/bench/lib/servers";

const adminUrl = process.env.TEST_DATABASE_URL;
const BUYERS = 90;
const UNITS = 30;
const LAPSED = 12;
const EXPIRY_JOBS = 10;

let folder = "";
let databaseUrl = "";
let databaseName = "";
const shops: Shop[] = [];
let sql: pg.Client;

async function onServer(statement: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  if (!adminUrl) return;
  folder = await mkdtemp(path.join(tmpdir(), "anshang-two-"));
  databaseName = `anshang_two_${process.pid}_${Date.now()}`;
  await onServer(`CREATE DATABASE "${databaseName}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  databaseUrl = url.toString();
  // The first migrates and seeds; the second starts on the database as the first left it.
  for (const name of ["a", "b"]) {
    shops.push(
      await startShop({
        databaseUrl,
        dataDir: path.join(folder, name),
        logFile: path.join(folder, `${name}.log`),
        env: { LOG_REQUESTS: "false" },
      }),
    );
  }
  sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
}, 240_000);

afterAll(async () => {
  await sql?.end();
  for (const shop of shops) await shop.stop();
  if (databaseName) await onServer(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** One buyer's checkout as the browser makes it, each step on the other process than the one before. */
async function checkout(buyer: Buyer, skuId: string, groupOrderId: string, first: Shop, second: Shop) {
  const added = await fetch(`${first.baseUrl}/cart.data`, {
    method: "POST",
    headers: formPostHeaders(first.baseUrl, buyer.cookie),
    body: `intent=add&skuId=${encodeURIComponent(skuId)}&quantity=1`,
  });
  expect(added.status).toBe(202);
  const page = await fetch(`${second.baseUrl}/checkout`, { headers: documentHeaders(buyer.cookie) });
  expect(page.status).toBe(200);
  const key = /name="idempotencyKey"[^>]*value="([0-9a-f-]{36})"|value="([0-9a-f-]{36})"[^>]*name="idempotencyKey"/.exec(await page.text());
  const idempotencyKey = key?.[1] ?? key?.[2];
  expect(idempotencyKey).toBeTruthy();
  const placed = await fetch(`${first.baseUrl}/checkout.data`, {
    method: "POST",
    headers: formPostHeaders(first.baseUrl, buyer.cookie),
    body: `idempotencyKey=${idempotencyKey}&fulfilment=${encodeURIComponent(`group:${groupOrderId}`)}&paymentMethod=unit_settlement`,
  });
  const body = await placed.text();
  expect([202, 409], body.slice(0, 300)).toContain(placed.status);
  return placed.status === 202 && body.includes("/orders/AS");
}

/** `job done` lines of both processes' JSON logs: which process ran which job. */
async function jobRuns() {
  const runs: { jobId: string; pid: number; job: string }[] = [];
  for (const name of ["a", "b"]) {
    for (const line of (await readFile(path.join(folder, `${name}.log`), "utf8")).split("\n")) {
      if (!line.startsWith("{")) continue;
      const entry = JSON.parse(line) as { msg?: string; jobId?: string; pid: number; job?: string };
      if (entry.msg === "job done" && entry.jobId && entry.job) runs.push({ jobId: entry.jobId, pid: entry.pid, job: entry.job });
    }
  }
  return runs;
}

describe.runIf(adminUrl)("two app processes on one PostgreSQL", () => {
  it("sell no box twice in a rush to both, expire each lapsed order once, and run each job once", async () => {
    const [a, b] = shops as [Shop, Shop];
    expect(a.pid).not.toBe(b.pid);
    const refs = await seedRefs(sql);
    const unitId = await createUnit(sql, "TWO");
    const sku = await createSku(sql, refs, "TWO", UNITS);
    const groupOrderId = await createGroupOrder(sql, refs, "TWO", sku.id, unitId, 1);
    const buyers = await createBuyers(sql, "two", BUYERS, unitId);

    const outcomes = await Promise.all(
      buyers.map((buyer, i) => (i % 2 ? checkout(buyer, sku.id, groupOrderId, a, b) : checkout(buyer, sku.id, groupOrderId, b, a))),
    );
    const sold = await readSold(sql, sku.id, groupOrderId);
    expect(outcomes.filter(Boolean)).toHaveLength(UNITS);
    expect(sold).toMatchObject({
      orders: UNITS,
      sold: UNITS,
      allocated: UNITS,
      received: UNITS,
      oversold: 0,
      overLimit: 0,
      allocationMismatch: 0,
    });

    // Some of the orders lapse unpaid, as a card order whose payment window closed does.
    const { rows: lapsed } = await sql.query<{ id: string }>(
      `UPDATE "Order" SET "paymentMethod" = 'card', "expiresAt" = (now() AT TIME ZONE 'UTC') - interval '1 minute'
       WHERE "id" IN (SELECT "id" FROM "Order" WHERE "groupOrderId" = $1 ORDER BY "id" LIMIT $2) RETURNING "id"`,
      [groupOrderId, LAPSED],
    );
    expect(lapsed).toHaveLength(LAPSED);
    const boss = new PgBoss({ connectionString: databaseUrl, schema: "pgboss", max: 2, supervise: false, schedule: false, migrate: false });
    await boss.start();
    let sent: string[];
    try {
      sent = (await Promise.all(Array.from({ length: EXPIRY_JOBS }, () => boss.send("orders.expire", {})))).filter(
        (id): id is string => !!id,
      );
    } finally {
      await boss.stop({ graceful: false, close: true });
    }
    expect(sent).toHaveLength(EXPIRY_JOBS);
    const deadline = Date.now() + 60_000;
    let pending = sent.length;
    while (pending > 0 && Date.now() < deadline) {
      await sleep(500);
      const { rows } = await sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pgboss.job WHERE id = ANY($1::uuid[]) AND state <> 'completed'`,
        [sent],
      );
      pending = rows[0]!.n;
    }
    expect(pending).toBe(0);

    const { rows: statuses } = await sql.query<{ status: string; n: number }>(
      `SELECT "status"::text AS "status", count(*)::int AS n FROM "Order" WHERE "id" = ANY($1::text[]) GROUP BY 1`,
      [lapsed.map((o) => o.id)],
    );
    expect(statuses).toEqual([{ status: "expired", n: LAPSED }]);
    // Every expiry job (ours and the per-minute schedule's) says how many orders it expired: together, each once.
    const { rows: expiredByJobs } = await sql.query<{ n: number }>(
      `SELECT COALESCE(SUM((output->>'expired')::int), 0)::int AS n FROM pgboss.job WHERE name = 'orders.expire' AND state = 'completed'`,
    );
    expect(expiredByJobs[0]!.n).toBe(LAPSED);
    expect(await readSold(sql, sku.id, groupOrderId)).toMatchObject({
      orders: UNITS - LAPSED,
      allocated: UNITS - LAPSED,
      allocationMismatch: 0,
    });

    const runs = await jobRuns();
    const timesRun = new Map<string, number>();
    for (const run of runs) timesRun.set(run.jobId, (timesRun.get(run.jobId) ?? 0) + 1);
    expect([...timesRun.values()].every((n) => n === 1)).toBe(true);
    for (const id of sent) expect(timesRun.get(id)).toBe(1);
    const byProcess = new Map<number, number>();
    for (const run of runs) byProcess.set(run.pid, (byProcess.get(run.pid) ?? 0) + 1);
    console.info(`[two processes] ${runs.length} jobs run, by process: ${JSON.stringify(Object.fromEntries(byProcess))}`);
  }, 180_000);
});
