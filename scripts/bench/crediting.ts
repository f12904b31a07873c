// npm run bench:crediting [-- --orders 2000 --samples 5 --old-samples 3]
//
// Crediting a unit's settlement (DOMAIN §5.2, §8: ~2,000 orders in a peach-season group order): the set-based pass
// (confirmOrderPayments, one INSERT … SELECT) against the per-order path it replaced (confirmOrderPayment once per
// order, all in one transaction). The same batch of unit-paid orders — a third of them split over two households'
// lots — is credited by each path and put back between samples; each sample's time includes the commit. Both paths
// must leave the same ledger rows (keys, accounts, fen), which is checked after the first sample of each.
import os from "node:os";
import { randomUUID } from "node:crypto";
import { configureDatabase, db, disconnectDatabase } from "~/db/client.server";
import { migrateDatabase } from "~/db/setup.server";
import { confirmOrderPayments } from "~/domain/ledger/batch-crediting.server";
import { confirmOrderPayment } from "~/domain/ledger/ledger.server";
import { auditLedger } from "~/domain/ledger/audit.server";
import { createBenchDatabase } from "./lib/database";
import { fmtSpread, spread } from "./lib/stats";
import { createEmployee, createLot, createShop } from "../../tests/integration/fixtures";

function option(name: string, fallback: number) {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a whole number, got ${process.argv[index + 1]}`);
  return value;
}

// The slow-query warnings would bury the figures: the per-order path is a stream of them on a busy machine.
process.env.LOG_LEVEL ??= "error";

const ORDERS = option("orders", 2_000);
const SAMPLES = option("samples", 5);
const OLD_SAMPLES = option("old-samples", 3);
const PRICE_FEN = 8_800;
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

async function seed() {
  const shop = await createShop({ priceFen: PRICE_FEN, feeRateBp: 800 });
  const buyer = await createEmployee(shop.unit.id);
  // Three households' lots with different best-before dates: the split's lot order matters.
  const lots = [await createLot(shop, ORDERS * 4, 10), await createLot(shop, ORDERS * 4, 11), await createLot(shop, ORDERS * 4, 12)];
  const orders = Array.from({ length: ORDERS }, (_, i) => ({ id: randomUUID(), quantity: (i % 3) + 1 }));
  await db.order.createMany({
    data: orders.map((order, i) => ({
      id: order.id,
      number: `AS-BENCH-${i}`,
      userId: buyer.id,
      unitId: shop.unit.id,
      fulfilment: "group_pickup" as const,
      paymentMethod: "unit_settlement" as const,
      subtotalFen: order.quantity * PRICE_FEN,
      totalFen: order.quantity * PRICE_FEN,
      idempotencyKey: randomUUID(),
    })),
  });
  const lines = orders.map((order) => ({
    id: randomUUID(),
    orderId: order.id,
    skuId: shop.sku.id,
    quantity: order.quantity,
    unitPriceFen: PRICE_FEN,
    lineTotalFen: order.quantity * PRICE_FEN,
    feeRateBp: 800,
  }));
  await db.orderLine.createMany({ data: lines });
  // Every third order of three units is split over two lots: 2 + 1, so shares have remainders to hand out.
  const allocations = lines.flatMap((line, i) =>
    line.quantity === 3
      ? [
          { orderLineId: line.id, lotId: lots[i % 3]!.id, quantity: 2 },
          { orderLineId: line.id, lotId: lots[(i + 1) % 3]!.id, quantity: 1 },
        ]
      : [{ orderLineId: line.id, lotId: lots[i % 3]!.id, quantity: line.quantity }],
  );
  await db.allocation.createMany({ data: allocations });
  for (const lot of lots) {
    const allocated = await db.allocation.aggregate({ where: { lotId: lot.id }, _sum: { quantity: true } });
    await db.stockLot.update({ where: { id: lot.id }, data: { quantityAllocated: allocated._sum.quantity ?? 0 } });
  }
  const payments = orders.map((order) => ({
    id: randomUUID(),
    orderId: order.id,
    method: "unit_settlement" as const,
    status: "succeeded" as const,
    amountFen: order.quantity * PRICE_FEN,
    succeededAt: new Date(),
  }));
  await db.payment.createMany({ data: payments });
  return payments.map((p) => ({ orderId: p.orderId, paymentId: p.id }));
}

async function putBack() {
  // The ledger refuses DELETE (append-only); a benchmark database may start it over.
  await db.$executeRaw`TRUNCATE "LedgerEntry"`;
  await db.$executeRaw`UPDATE "Order" SET "status" = 'pending_payment', "paidAt" = NULL`;
}

function ledgerRows() {
  return db.$queryRaw<{ row: string }[]>`
    SELECT concat_ws('|', "entryKey", "kind", "householdId", "cooperativeId", "amountFen", "orderId", "allocationId", "paymentId") AS "row"
    FROM "LedgerEntry" ORDER BY "entryKey"`.then((rows) => rows.map((r) => r.row));
}

async function sample(label: string, credit: () => Promise<void>) {
  await putBack();
  const started = performance.now();
  await credit();
  const ms = performance.now() - started;
  console.log(`  ${label}: ${ms.toFixed(0)} ms (load ${load()})`);
  return ms;
}

const database = await createBenchDatabase("crediting");
try {
  configureDatabase(database.url);
  await migrateDatabase(database.url);
  console.log(`Crediting ${ORDERS} unit-paid orders on PostgreSQL (${database.name}); load average before: ${load()}`);
  const orders = await seed();
  const now = new Date();

  const setBased = [];
  let setRows: string[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    setBased.push(
      await sample(`set-based ${i + 1}/${SAMPLES}`, async () => {
        const outcome = await db.$transaction((tx) => confirmOrderPayments(tx, orders, now), { timeout: 300_000 });
        if (outcome.credited !== ORDERS) throw new Error(`credited ${outcome.credited} of ${ORDERS}`);
      }),
    );
    if (i === 0) setRows = await ledgerRows();
  }
  const audit = await auditLedger();

  const perOrder = [];
  let oldRows: string[] = [];
  for (let i = 0; i < OLD_SAMPLES; i++) {
    perOrder.push(
      await sample(`per-order ${i + 1}/${OLD_SAMPLES}`, async () => {
        await db.$transaction(
          async (tx) => {
            for (const order of orders) await confirmOrderPayment(tx, order.orderId, order.paymentId, now);
          },
          { timeout: 300_000 },
        );
      }),
    );
    if (i === 0) oldRows = await ledgerRows();
  }

  const same = setRows.length === oldRows.length && setRows.every((row, i) => row === oldRows[i]);
  const s = spread(setBased);
  const o = spread(perOrder);
  console.log(`\n${ORDERS} orders, ${setRows.length} ledger rows; load average after: ${load()} (2 cores)`);
  console.log(`set-based  (after):  min / median / max ${fmtSpread(s, 0)} ms over ${SAMPLES} samples`);
  console.log(`per-order (before):  min / median / max ${fmtSpread(o, 0)} ms over ${OLD_SAMPLES} samples`);
  console.log(`speed-up (medians): ${(o.median / s.median).toFixed(1)}×; goal < 1000 ms: ${s.median < 1000 ? "met" : "NOT met"}`);
  console.log(
    `same ledger rows from both paths: ${same ? "yes" : "NO"}; audit after the set-based pass: ${audit.differences.length} difference(s)`,
  );
  if (!same || audit.differences.length) process.exitCode = 1;
} finally {
  await disconnectDatabase();
  await database.drop();
}
