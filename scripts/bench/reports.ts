// The work team's reports on 1,000,000 ledger entries: 300 households, three years (2023–2025), 160,000 paid orders
// from 30 units, each credited to three households with the cooperative's fee beside each credit, one order in 25
// refunded (reversals of both), and payouts for the rest. Seeded with INSERT … SELECT generate_series on a fresh
// PostgreSQL database, vacuumed and analyzed (as autovacuum leaves a table of that age); then the household income
// report for 2025, the unit purchases and the 2025 dashboard are timed through the app's own functions (Prisma, as a
// request runs them). The goal: the report under 300 ms. BENCH_CANDIDATE_INDEX=1 then adds a covering index on
// the ledger and times everything again, to show what it would buy.
import pg from "pg";
import { configureDatabase, disconnectDatabase } from "~/db/client.server";
import { migrateDatabase } from "~/db/setup.server";
import { householdIncomeReport, teamDashboard, unitPurchases, yearPeriod } from "~/domain/households/reports.server";
import { createBenchDatabase } from "./lib/database";
import { timeRepeated } from "./lib/stats";

const ENTRIES = 1_000_000;
const HOUSEHOLDS = 300;
const UNITS = 30;
const ORDERS = 160_000;
const CREDITS_PER_ORDER = 3;
const REFUND_EVERY = 25;
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const GOAL_MS = 300;
const YEAR = 2025;
const CANDIDATE_INDEX = `CREATE INDEX "LedgerEntry_occurredAt_report_idx" ON "LedgerEntry" ("occurredAt") INCLUDE ("householdId", "kind", "amountFen")`;

const refundedOrders = Math.floor(ORDERS / REFUND_EVERY);
const payouts = ENTRIES - 2 * ORDERS * CREDITS_PER_ORDER - 2 * refundedOrders * CREDITS_PER_ORDER;

// Ids are deterministic text, so the statements below can join on them without looking anything up.
const SEED = [
  `INSERT INTO "Village" ("id", "name", "nameEn", "county") VALUES ('v1', '岸上村', 'Anshang', '魏县')`,
  `INSERT INTO "Cooperative" ("id", "villageId", "name", "nameEn", "deliveryFeeFen") VALUES ('c1', 'v1', '合作社', 'Co-op', 1200)`,
  `INSERT INTO "Product" ("id", "cooperativeId", "slug", "nameZh", "nameEn", "descriptionZh", "descriptionEn", "feeRateBp", "seasonZh", "seasonEn", "updatedAt")
   VALUES ('p1', 'c1', 'peaches', '无公害桃', 'Peaches', '桃', 'Peaches', 800, '7–10月', 'July–October', now()),
          ('p2', 'c1', 'noodles', '手工粉条', 'Noodles', '粉条', 'Noodles', 800, '全年', 'All year', now())`,
  `INSERT INTO "Sku" ("id", "productId", "code", "nameZh", "nameEn", "priceFen", "weightGrams", "updatedAt")
   VALUES ('s1', 'p1', 'PEACH-5KG', '5公斤礼盒', '5 kg box', 8800, 5000, now()), ('s2', 'p2', 'NOODLE-2.5KG', '2.5公斤', '2.5 kg', 2500, 2500, now())`,
  `INSERT INTO "Unit" ("id", "code", "name", "nameEn") SELECT 'u' || n, 'U' || n, '单位' || n, 'Unit ' || n FROM generate_series(1, ${UNITS}) n`,
  `INSERT INTO "User" ("id", "email", "passwordHash", "name", "unitId", "updatedAt")
   SELECT 'e' || n, 'e' || n || '@bench.example', 'x', '职工' || n, 'u' || (1 + n % ${UNITS}), now() FROM generate_series(1, 2000) n`,
  `INSERT INTO "Household" ("id", "villageId", "code", "headName", "memberCount", "villageGroup", "status", "updatedAt")
   SELECT 'h' || n, 'v1', 'AS-' || lpad(n::text, 3, '0'), '户主' || n, 1 + n % 6, (1 + n % 8) || '组',
     (CASE WHEN n % 8 = 0 THEN 'registered_poor' WHEN n % 8 = 1 THEN 'low_income' ELSE 'other' END)::"HouseholdStatus", now()
   FROM generate_series(1, ${HOUSEHOLDS}) n`,
  `INSERT INTO "HouseholdIncome" ("id", "householdId", "year", "source", "amountFen")
   SELECT 'i' || n || '-' || y || '-' || s, 'h' || n, y, s::"IncomeSource", 300000 + (n * 7919 + y) % 2000000
   FROM generate_series(1, ${HOUSEHOLDS}) n, generate_series(2023, 2025) y, unnest(ARRAY['wages', 'subsidy']) s`,
  // Paid times spread evenly over the three years (in UTC; the shop's days start 8 hours earlier).
  `INSERT INTO "Order" ("id", "number", "userId", "unitId", "fulfilment", "paymentMethod", "status", "subtotalFen", "totalFen", "idempotencyKey", "paidAt", "createdAt", "updatedAt")
   SELECT 'o' || n, 'B' || n, 'e' || (1 + n % 2000), 'u' || (1 + n % ${UNITS}), 'group_pickup', 'unit_settlement',
     (CASE WHEN n % ${REFUND_EVERY} = 0 THEN 'refunded' ELSE 'paid' END)::"OrderStatus",
     (1 + n % 3) * (CASE WHEN n % 2 = 0 THEN 8800 ELSE 2500 END), (1 + n % 3) * (CASE WHEN n % 2 = 0 THEN 8800 ELSE 2500 END), 'k' || n,
     t, t, t
   FROM generate_series(1, ${ORDERS}) n, LATERAL (SELECT timestamp '2023-01-01' + (n::float8 / ${ORDERS}) * interval '1095 days' AS t) paid`,
  `INSERT INTO "OrderLine" ("id", "orderId", "skuId", "quantity", "unitPriceFen", "lineTotalFen", "feeRateBp", "refundedQuantity")
   SELECT 'l' || o."number", o."id", CASE WHEN o."subtotalFen" % 8800 = 0 THEN 's1' ELSE 's2' END, q, o."subtotalFen" / q, o."subtotalFen", 800,
     CASE WHEN o."status" = 'refunded' THEN q ELSE 0 END
   FROM "Order" o, LATERAL (SELECT o."subtotalFen" / (CASE WHEN o."subtotalFen" % 8800 = 0 THEN 8800 ELSE 2500 END) AS q) qty`,
  `INSERT INTO "Payment" ("id", "orderId", "method", "status", "amountFen", "succeededAt", "updatedAt")
   SELECT 'pay' || o."number", o."id", 'unit_settlement', 'refunded', o."totalFen", o."paidAt", now() FROM "Order" o WHERE o."status" = 'refunded'`,
  `INSERT INTO "Refund" ("id", "orderId", "paymentId", "amountFen", "reason", "idempotencyKey", "createdAt")
   SELECT 'r' || o."number", o."id", 'pay' || o."number", o."totalFen", 'bench', 'rk' || o."number", o."paidAt" + interval '3 days' FROM "Order" o WHERE o."status" = 'refunded'`,
  `INSERT INTO "RefundLine" ("refundId", "orderLineId", "quantity", "amountFen")
   SELECT 'r' || o."number", 'l' || o."number", l."quantity", l."lineTotalFen" FROM "Order" o JOIN "OrderLine" l ON l."orderId" = o."id" WHERE o."status" = 'refunded'`,
  // Each order: three households' credits (92% of the line in three nearly equal parts) and the fee beside each.
  `INSERT INTO "LedgerEntry" ("entryKey", "kind", "householdId", "cooperativeId", "amountFen", "orderId", "occurredAt")
   SELECT 'credit:' || o."id" || ':' || k, 'sale_credit', 'h' || (1 + (o."number_n" * 7 + k * 101) % ${HOUSEHOLDS}), 'c1', o."totalFen" * 92 / 100 / ${CREDITS_PER_ORDER}, o."id", o."paidAt"
   FROM (SELECT *, substr("number", 2)::int AS "number_n" FROM "Order") o, generate_series(1, ${CREDITS_PER_ORDER}) k`,
  `INSERT INTO "LedgerEntry" ("entryKey", "kind", "householdId", "cooperativeId", "amountFen", "orderId", "occurredAt")
   SELECT 'fee:' || o."id" || ':' || k, 'fee', NULL, 'c1', o."totalFen" * 8 / 100 / ${CREDITS_PER_ORDER}, o."id", o."paidAt"
   FROM "Order" o, generate_series(1, ${CREDITS_PER_ORDER}) k`,
  `INSERT INTO "LedgerEntry" ("entryKey", "kind", "householdId", "cooperativeId", "amountFen", "orderId", "refundId", "occurredAt")
   SELECT 'reversal:' || c."entryKey", 'sale_reversal', c."householdId", 'c1', -c."amountFen", c."orderId", 'r' || o."number", c."occurredAt" + interval '3 days'
   FROM "LedgerEntry" c JOIN "Order" o ON o."id" = c."orderId" WHERE c."kind" = 'sale_credit' AND o."status" = 'refunded'`,
  `INSERT INTO "LedgerEntry" ("entryKey", "kind", "householdId", "cooperativeId", "amountFen", "orderId", "refundId", "occurredAt")
   SELECT 'fee-reversal:' || f."entryKey", 'fee_reversal', NULL, 'c1', -f."amountFen", f."orderId", 'r' || o."number", f."occurredAt" + interval '3 days'
   FROM "LedgerEntry" f JOIN "Order" o ON o."id" = f."orderId" WHERE f."kind" = 'fee' AND o."status" = 'refunded'`,
  `INSERT INTO "Payout" ("id", "householdId", "amountFen", "method", "reference", "paidOn", "idempotencyKey", "createdById", "createdAt")
   SELECT 'po' || n, 'h' || (1 + n % ${HOUSEHOLDS}), 5000 + n % 20000, 'bank_transfer', 'PO-' || n, (timestamp '2023-01-15' + (n::float8 / ${payouts}) * interval '1080 days')::date, 'pk' || n, 'e1',
     timestamp '2023-01-15' + (n::float8 / ${payouts}) * interval '1080 days'
   FROM generate_series(1, ${payouts}) n`,
  `INSERT INTO "LedgerEntry" ("entryKey", "kind", "householdId", "cooperativeId", "amountFen", "payoutId", "occurredAt")
   SELECT 'payout:' || p."id", 'payout', p."householdId", 'c1', -p."amountFen", p."id", p."createdAt" FROM "Payout" p`,
];

async function timeAll() {
  const { median: report } = await timeRepeated(
    `household income report ${YEAR} (300 rows)`,
    () => householdIncomeReport("v1", yearPeriod(YEAR)),
    RUNS,
    44,
  );
  await timeRepeated(`unit purchases ${YEAR}`, () => unitPurchases("v1", yearPeriod(YEAR)), RUNS, 44);
  await timeRepeated(`dashboard ${YEAR} (5 queries in parallel)`, () => teamDashboard("v1", YEAR), RUNS, 44);
  console.log(
    report < GOAL_MS
      ? `goal met: the report's median is under ${GOAL_MS} ms`
      : `goal NOT met: the report's median is ${report.toFixed(0)} ms (≥ ${GOAL_MS} ms)`,
  );
  return report;
}

async function main() {
  const database = await createBenchDatabase("reports");
  const client = new pg.Client({ connectionString: database.url });
  try {
    configureDatabase(database.url);
    await migrateDatabase(database.url);
    await client.connect();
    const started = performance.now();
    for (const statement of SEED) await client.query(statement);
    await client.query("VACUUM ANALYZE");
    const { rows } = await client.query<{ kind: string; count: string }>(
      `SELECT "kind"::text, COUNT(*) FROM "LedgerEntry" GROUP BY 1 ORDER BY 1`,
    );
    const total = rows.reduce((sum, r) => sum + Number(r.count), 0);
    console.log(
      `seeded ${total.toLocaleString("en")} ledger entries (${rows.map((r) => `${r.kind} ${Number(r.count).toLocaleString("en")}`).join(", ")}) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    if (total !== ENTRIES) throw new Error(`expected ${ENTRIES} entries, seeded ${total}`);

    await timeAll();
    if (process.env.BENCH_CANDIDATE_INDEX === "1") {
      await client.query(CANDIDATE_INDEX);
      await client.query(`ANALYZE "LedgerEntry"`);
      console.log(`\nwith the candidate index (${CANDIDATE_INDEX}):`);
      await timeAll();
    }
  } finally {
    await disconnectDatabase();
    await client.end();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
