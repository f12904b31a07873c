// The bureau coordinator's view over 30 units (5 of them sub-units) and 50,000 orders of one year: 50,000 paid group
// orders of one line each, 90% received (by the buyer, or delivered over a week ago), one in 20 partly refunded, and a
// target per unit. Seeded with INSERT … SELECT on a fresh PostgreSQL database, then bureauYear() — what GET /bureau
// runs — is timed through the app's own code, with the load average, for the median and the slowest of the runs.
import { loadavg } from "node:os";
import pg from "pg";
import { configureDatabase, disconnectDatabase } from "~/db/client.server";
import { migrateDatabase } from "~/db/setup.server";
import { bureauYear } from "~/domain/purchases/counted.server";
import { createBenchDatabase } from "./lib/database";

const UNITS = 30;
const ORDERS = 50_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const YEAR = 2026;
const NOW = new Date("2026-12-31T15:00:00Z");

const SEED = [
  `INSERT INTO "Village" ("id", "name", "nameEn", "county") VALUES ('v1', '岸上村', 'Anshang', '魏县')`,
  `INSERT INTO "Cooperative" ("id", "villageId", "name", "nameEn", "deliveryFeeFen") VALUES ('c1', 'v1', '合作社', 'Co-op', 1200)`,
  `INSERT INTO "Product" ("id", "cooperativeId", "slug", "nameZh", "nameEn", "descriptionZh", "descriptionEn", "feeRateBp", "seasonZh", "seasonEn", "updatedAt")
   VALUES ('p1', 'c1', 'peaches', '无公害桃', 'Peaches', '桃', 'Peaches', 800, '7–10月', 'July–October', now())`,
  `INSERT INTO "Sku" ("id", "productId", "code", "nameZh", "nameEn", "priceFen", "weightGrams", "updatedAt")
   VALUES ('s1', 'p1', 'PEACH-5KG', '5公斤礼盒', '5 kg box', 8800, 5000, now())`,
  `INSERT INTO "Unit" ("id", "code", "name", "nameEn", "memberCount", "parentId")
   SELECT 'u' || n, 'U' || lpad(n::text, 2, '0'), '单位' || n, 'Unit ' || n, 60 + n, CASE WHEN n > 25 THEN 'u' || (n - 25) END FROM generate_series(1, ${UNITS}) n`,
  `INSERT INTO "UnitTarget" ("unitId", "year", "targetFen", "setById", "updatedAt") SELECT 'u' || n, ${YEAR}, 50000 * (60 + n), 'bench', now() FROM generate_series(1, ${UNITS}) n`,
  `INSERT INTO "User" ("id", "email", "passwordHash", "name", "unitId", "updatedAt")
   SELECT 'e' || n, 'e' || n || '@bench.example', 'x', '职工' || n, 'u' || (1 + n % ${UNITS}), now() FROM generate_series(1, 2000) n`,
  `INSERT INTO "Order" ("id", "number", "userId", "unitId", "fulfilment", "paymentMethod", "status", "fulfilmentStatus", "subtotalFen", "totalFen", "idempotencyKey", "paidAt", "deliveredAt", "receivedAt", "receivedBy", "updatedAt")
   SELECT 'o' || n, 'B' || n, 'e' || (1 + n % 2000), 'u' || (1 + (1 + n % 2000) % ${UNITS}), 'group_pickup', 'unit_settlement', 'paid', 'delivered', 8800 * (1 + n % 3), 8800 * (1 + n % 3), 'k' || n,
     timestamp '${YEAR}-01-01 00:00' + (n % 360) * interval '1 day',
     timestamp '${YEAR}-01-01 00:00' + (n % 360 + 2) * interval '1 day',
     CASE WHEN n % 10 < 5 THEN timestamp '${YEAR}-01-01 00:00' + (n % 360 + 3) * interval '1 day' END,
     CASE WHEN n % 10 < 5 THEN 'buyer'::"ReceiptConfirmer" END, now()
   FROM generate_series(1, ${ORDERS}) n`,
  `INSERT INTO "OrderLine" ("id", "orderId", "skuId", "quantity", "unitPriceFen", "lineTotalFen", "feeRateBp", "refundedQuantity")
   SELECT 'l' || n, 'o' || n, 's1', 1 + n % 3, 8800, 8800 * (1 + n % 3), 800, CASE WHEN n % 20 = 0 AND n % 3 > 0 THEN 1 ELSE 0 END FROM generate_series(1, ${ORDERS}) n`,
  `INSERT INTO "Payment" ("id", "orderId", "method", "status", "amountFen", "updatedAt")
   SELECT 'pay' || n, 'o' || n, 'unit_settlement', 'succeeded', 8800 * (1 + n % 3), now() FROM generate_series(1, ${ORDERS}) n WHERE n % 20 = 0 AND n % 3 > 0`,
  `INSERT INTO "Refund" ("id", "orderId", "paymentId", "amountFen", "reason", "idempotencyKey")
   SELECT 'r' || n, 'o' || n, 'pay' || n, 8800, 'bench', 'rk' || n FROM generate_series(1, ${ORDERS}) n WHERE n % 20 = 0 AND n % 3 > 0`,
  `INSERT INTO "RefundLine" ("refundId", "orderLineId", "quantity", "amountFen")
   SELECT 'r' || n, 'l' || n, 1, 8800 FROM generate_series(1, ${ORDERS}) n WHERE n % 20 = 0 AND n % 3 > 0`,
];

async function main() {
  const database = await createBenchDatabase("bureau");
  const client = new pg.Client({ connectionString: database.url });
  try {
    configureDatabase(database.url);
    await migrateDatabase(database.url);
    await client.connect();
    for (const statement of SEED) await client.query(statement);
    await client.query("VACUUM ANALYZE");
    const times: number[] = [];
    let rows = 0;
    let counted = 0;
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      const view = await bureauYear(YEAR, "progress", NOW);
      times.push(performance.now() - started);
      rows = view.rows.length;
      counted = view.totals.countedFen;
    }
    times.sort((a, b) => a - b);
    console.log(
      `bureau view, ${UNITS} units, ${ORDERS.toLocaleString("en")} orders (${rows} rows, counted ¥${(counted / 100).toLocaleString("en")}): ` +
        `min ${times[0]!.toFixed(0)} ms, median ${times[Math.floor(times.length / 2)]!.toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms over ${RUNS} runs; ` +
        `load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(" ")}`,
    );
  } finally {
    await disconnectDatabase();
    await client.end();
    await database.drop();
  }
}

await main();
