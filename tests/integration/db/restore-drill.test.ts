// The restore drill (issue 12): a shop with sales, refunds, payouts and a photo is backed up with `npm run db:backup`,
// then changed and broken — a forged ledger entry, edited households, photos deleted, a whole table dropped — and
// restored with `npm run db:restore`. Every row of every table must be back as it was, and the ledger audit must
// find nothing. On PostgreSQL (pg_dump/pg_restore, custom format, with the job tables) and on the embedded database
// (pg_dump compiled to WebAssembly, plain SQL), and an embedded backup restored into PostgreSQL.
import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { db } from "~/db/client.server";
import { migrateDatabase, openDatabase, type OpenDatabase } from "~/db/setup.server";
import { auditLedger } from "~/domain/ledger/audit.server";
import { refundOrder } from "~/domain/cooperative/refunds.server";
import { recordPayout } from "~/domain/cooperative/payouts.server";
import { confirmOrderPayment } from "~/domain/ledger/ledger.server";
import { placeOrder } from "~/domain/shop/checkout.server";
import { installJobSchema } from "~/jobs/queue.server";
import { createEmployee, createGroupOrder, createLot, createShop } from "../fixtures";

const run = promisify(execFile);
const testDatabase = inject("testDatabase");
const serverUrl = testDatabase.kind === "postgres" ? testDatabase.serverUrl : null;
const folders: string[] = [];
const databases: string[] = [];

afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
  if (serverUrl) for (const name of databases) await onServer((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
});

async function onServer<T>(use: (client: pg.Client) => Promise<T>) {
  const client = new pg.Client({ connectionString: serverUrl! });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

type Target = { env: Record<string, string>; open: () => Promise<OpenDatabase> };

async function postgresTarget(): Promise<Target> {
  const name = `anshang_drill_${randomBytes(6).toString("hex")}`;
  databases.push(name);
  await onServer((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl!);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return { env: { DATABASE_URL: databaseUrl }, open: () => openDatabase({ databaseUrl, dataDir: "unused" }) };
}

async function embeddedTarget(): Promise<Target> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "anshang-drill-"));
  folders.push(dataDir);
  return { env: { DATA_DIR: dataDir, DATABASE_URL: "" }, open: () => openDatabase({ databaseUrl: undefined, dataDir }) };
}

async function withDatabase<T>(target: Target, use: (database: OpenDatabase) => Promise<T>) {
  const database = await target.open();
  try {
    return await use(database);
  } finally {
    await database.close();
  }
}

/** npm run db:backup / db:restore, as an operator runs them; answers the milliseconds the script reports. */
async function script(target: Target, ...args: string[]) {
  const { stdout } = await run(path.resolve("node_modules/.bin/tsx"), ["scripts/backup.ts", ...args], {
    env: { ...process.env, ...target.env },
    maxBuffer: 1 << 26,
  });
  return Number(/in (\d+) ms/.exec(stdout)?.[1]);
}

/** Every table's row count and a hash of all its rows. */
async function snapshot() {
  const tables = await db.$queryRaw<{ name: string }[]>`
    SELECT table_name::text AS "name" FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`;
  const result: Record<string, { rows: number; hash: string }> = {};
  for (const { name } of tables) {
    const [row] = await db.$queryRawUnsafe<{ rows: number; hash: string }[]>(
      `SELECT count(*)::int AS "rows", md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS "hash" FROM "${name}" t`,
    );
    result[name] = row!;
  }
  return result;
}

/** A shop with unit-paid orders over two households' lots, a partial refund, a payout and a photo. */
async function trade() {
  const shop = await createShop({ feeRateBp: 800, priceFen: 4_321 });
  const lot = await createLot(shop, 5, 2);
  await createLot(shop, 30, 5);
  const organizer = await createEmployee(shop.unit.id);
  const group = await createGroupOrder(shop, organizer.id);
  const orders = [];
  for (const quantity of [3, 4, 2, 6]) {
    const buyer = await createEmployee(shop.unit.id);
    const { order } = await placeOrder({
      userId: buyer.id,
      idempotencyKey: randomUUID(),
      lines: [{ skuId: shop.sku.id, quantity, expectedUnitPriceFen: shop.sku.priceFen }],
      fulfilment: { kind: "group_pickup", groupOrderId: group.id },
      paymentMethod: "unit_settlement",
      cardPaymentConfigured: false,
      paymentTtlMinutes: 30,
    });
    const payment = await db.payment.create({
      data: { orderId: order.id, method: "unit_settlement", status: "succeeded", amountFen: order.totalFen, succeededAt: new Date() },
    });
    await db.$transaction((tx) => confirmOrderPayment(tx, order.id, payment.id, new Date()));
    orders.push(order);
  }
  const coop = { id: organizer.id, villageId: shop.village.id };
  const line = await db.orderLine.findFirstOrThrow({ where: { orderId: orders[1]!.id } });
  await refundOrder({
    orderId: orders[1]!.id,
    actorId: coop.id,
    villageId: coop.villageId,
    idempotencyKey: "drill",
    reason: "坏果",
    lines: [{ orderLineId: line.id, quantity: 1 }],
  });
  await recordPayout({
    householdId: lot.householdId,
    amountFen: 1_000,
    method: "cash",
    reference: "D-1",
    paidOn: new Date(),
    idempotencyKey: randomUUID(),
    actor: coop,
  });
  await db.storedFile.create({ data: { key: `products/${randomUUID()}.png`, contentType: "image/png", bytes: randomBytes(4_096) } });
  return shop;
}

async function breakThings(shop: { cooperative: { id: string } }) {
  const allocation = await db.allocation.findFirstOrThrow();
  await db.ledgerEntry.create({
    data: { entryKey: "forged", kind: "fee", cooperativeId: shop.cooperative.id, amountFen: 99_999, allocationId: allocation.id },
  });
  await db.household.updateMany({ data: { headName: "改坏了" } });
  await db.storedFile.deleteMany();
  expect((await auditLedger()).differences.length).toBeGreaterThan(0);
  await db.$executeRawUnsafe(`DROP TABLE "Payout" CASCADE`);
}

/** Trades on `source`, backs it up, breaks it, restores the backup into `into` (the same database by default). */
async function drill(label: string, source: Target, into: Target = source, { jobTables = false } = {}) {
  const folder = await mkdtemp(path.join(tmpdir(), "anshang-backup-"));
  folders.push(folder);
  const file = path.join(folder, `${label}.backup`);
  const { shop, before } = await withDatabase(source, async (database) => {
    await migrateDatabase(database.url);
    if (jobTables) await installJobSchema(database.url);
    const shop = await trade();
    expect((await auditLedger()).differences).toEqual([]);
    return { shop, before: await snapshot() };
  });
  expect(before.LedgerEntry!.rows).toBeGreaterThan(10);
  expect(before.StoredFile!.rows).toBe(1);
  const backupMs = await script(source, "backup", file);
  if (into === source) await withDatabase(source, () => breakThings(shop));
  const started = performance.now();
  const restoreMs = await script(into, "restore", file);
  const drillMs = performance.now() - started;
  const after = await withDatabase(into, async () => {
    expect((await auditLedger()).differences).toEqual([]);
    return snapshot();
  });
  expect(after).toEqual(before);
  console.info(
    `[restore drill] ${label}: backup ${backupMs} ms, restore ${restoreMs} ms (${Math.round(drillMs)} ms with the script's start)`,
  );
  return { backupMs, restoreMs };
}

describe("the restore drill", () => {
  it.runIf(serverUrl)(
    "PostgreSQL (custom format, with the job tables): every row back and the audit clean",
    async () => {
      await drill("postgres", await postgresTarget(), undefined, { jobTables: true });
    },
    180_000,
  );

  it("embedded database: every row back and the audit clean", async () => {
    await drill("embedded", await embeddedTarget());
  }, 180_000);

  it.runIf(serverUrl)(
    "a backup of the embedded database restores into PostgreSQL",
    async () => {
      await drill("embedded-into-postgres", await embeddedTarget(), await postgresTarget());
    },
    180_000,
  );
});
