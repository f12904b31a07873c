// One unit's settlement of 1,000 orders and its statement. On a fresh database with the demo data, a closed group
// order shared by two units holds 1,000 unit-settled orders from each (one line, one allocation over ten households'
// lots). Timed through the app's own functions: recording unit A's settlement (startSettlement: the orders locked,
// 1,000 payments, the task queued) and the job that confirms and credits them (runBulkTask, set-based crediting in
// chunks of 500); then the audit. Then A's statement for its 1,000 orders: the data (loadStatement), the Excel
// workbook, and, with BENCH_HTTP=1 after `npm run build`, the print page and the XLSX as the built server answers them.
import pg from "pg";
import { configureDatabase, disconnectDatabase } from "~/db/client.server";
import { migrateDatabase } from "~/db/setup.server";
import { runBulkTask, startSettlement } from "~/domain/group-orders/bulk.server";
import { loadStatement, statementTables } from "~/domain/group-orders/statement.server";
import { auditLedger } from "~/domain/ledger/audit.server";
import { jobQueue, stopJobQueue } from "~/jobs/queue.server";
import { workbookXlsx } from "~/utils/tables.server";
import { seedDemoData } from "../../prisma/seed";
import { startAppServer } from "./app-server";
import { createBenchDatabase } from "./lib/database";
import { sessionCookies } from "./lib/fixtures";
import { timeRepeated } from "./lib/stats";

const ORDERS_PER_UNIT = 1_000;
const PRICE_FEN = 8_850;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const NOW = `(now() AT TIME ZONE 'UTC')`;

const SEED = [
  `INSERT INTO "Unit" ("id", "code", "name", "nameEn") VALUES ('bu-a', 'BA', '压测单位甲', 'Bench unit A'), ('bu-b', 'BB', '压测单位乙', 'Bench unit B')`,
  `INSERT INTO "Sku" ("id", "productId", "code", "nameZh", "nameEn", "priceFen", "weightGrams", "maxPerOrder", "updatedAt")
   SELECT 'bsku', p."id", 'BENCH-SETTLE', '压测礼盒', 'Bench box', ${PRICE_FEN}, 5000, 10, ${NOW} FROM "Product" p WHERE p."slug" = 'peaches'`,
  `INSERT INTO "StockLot" ("id", "code", "traceCode", "skuId", "householdId", "quantityReceived", "producedOn", "receivedOn", "bestBefore")
   SELECT 'blot' || i, 'BENCH-S-' || i, 'BS-' || i, 'bsku', h."id", 1000, current_date, current_date, current_date + 5 + i::int
   FROM (SELECT "id", row_number() OVER (ORDER BY "code") AS i FROM "Household") h WHERE i <= 10`,
  `INSERT INTO "User" ("id", "email", "passwordHash", "name", "unitId", "updatedAt")
   SELECT 'bemp-' || u || '-' || n, 'bemp-' || u || '-' || n || '@bench.example', 'x', '职工' || u || n, 'bu-' || u, ${NOW}
   FROM generate_series(1, ${ORDERS_PER_UNIT}) n, unnest(ARRAY['a', 'b']) u`,
  `INSERT INTO "User" ("id", "email", "passwordHash", "name", "unitId", "updatedAt") VALUES ('borg-a', 'borg-a@bench.example', 'x', '甲负责人', 'bu-a', ${NOW})`,
  `INSERT INTO "UserRole" ("userId", "role") VALUES ('borg-a', 'employee'), ('borg-a', 'organizer')`,
  `INSERT INTO "Session" ("id", "userId", "expiresAt") VALUES ('bench-session-org-a', 'borg-a', ${NOW} + interval '1 day')`,
  `INSERT INTO "GroupOrder" ("id", "cooperativeId", "organizerId", "title", "status", "opensAt", "closesAt", "closedAt", "pickupPoint",
     "deliveryDate", "allowCard", "allowUnitSettlement", "updatedAt")
   SELECT 'bgo', c."id", u."id", '压测结算团购', 'closed', ${NOW} - interval '2 days', ${NOW} - interval '1 hour', ${NOW} - interval '1 hour',
     '东门传达室', current_date + 2, true, true, ${NOW}
   FROM "Cooperative" c, "User" u WHERE u."email" = 'admin@anshang.example'`,
  `INSERT INTO "GroupOrderUnit" ("groupOrderId", "unitId") VALUES ('bgo', 'bu-a'), ('bgo', 'bu-b')`,
  `INSERT INTO "GroupOrderItem" ("groupOrderId", "skuId") VALUES ('bgo', 'bsku')`,
  `INSERT INTO "Order" ("id", "number", "userId", "unitId", "groupOrderId", "fulfilment", "paymentMethod", "status", "subtotalFen", "totalFen",
     "idempotencyKey", "createdAt", "updatedAt")
   SELECT 'bo-' || u || '-' || n, 'BS' || u || lpad(n::text, 5, '0'), 'bemp-' || u || '-' || n, 'bu-' || u, 'bgo', 'group_pickup', 'unit_settlement',
     'pending_payment', q * ${PRICE_FEN}, q * ${PRICE_FEN}, 'bk-' || u || '-' || n, ${NOW}, ${NOW}
   FROM generate_series(1, ${ORDERS_PER_UNIT}) n, unnest(ARRAY['a', 'b']) u, LATERAL (SELECT 1 + n % 3 AS q) qty`,
  `INSERT INTO "OrderLine" ("id", "orderId", "skuId", "quantity", "unitPriceFen", "lineTotalFen", "feeRateBp")
   SELECT 'bl-' || o."id", o."id", 'bsku', o."totalFen" / ${PRICE_FEN}, ${PRICE_FEN}, o."totalFen", 800 FROM "Order" o WHERE o."groupOrderId" = 'bgo'`,
  `INSERT INTO "Allocation" ("id", "orderLineId", "lotId", "quantity")
   SELECT 'ba-' || l."id", l."id", 'blot' || (1 + abs(hashtext(l."id")) % 10), l."quantity" FROM "OrderLine" l WHERE l."skuId" = 'bsku'`,
];

async function main() {
  const database = await createBenchDatabase("settlement");
  const client = new pg.Client({ connectionString: database.url });
  try {
    configureDatabase(database.url);
    await migrateDatabase(database.url);
    await seedDemoData();
    await client.connect();
    for (const statement of SEED) await client.query(statement);
    await client.query("VACUUM ANALYZE");
    const { rows } = await client.query<{ owed: string }>(`SELECT SUM("totalFen") AS "owed" FROM "Order" WHERE "unitId" = 'bu-a'`);
    const owed = Number(rows[0]!.owed);
    const organizer = { id: "borg-a", unitId: "bu-a", roles: ["employee" as const, "organizer" as const] };
    console.log(
      `load average before: ${(await import("node:os"))
        .loadavg()
        .map((n) => n.toFixed(2))
        .join(" ")}`,
    );

    // The job queue starts once per process (as a server's does at boot), not inside the measured settlement.
    await jobQueue();
    // Measured once: a settlement can only be recorded once.
    let started = performance.now();
    const settlement = await startSettlement(organizer, "bgo", "bu-a", { amountFen: owed, reference: "BENCH-001", paidOn: new Date() });
    const recordMs = performance.now() - started;
    started = performance.now();
    const outcome = await runBulkTask(settlement.taskId, { jobId: "bench", lastAttempt: true });
    const creditMs = performance.now() - started;
    console.log(
      `settle unit A's ${ORDERS_PER_UNIT} orders: record ${recordMs.toFixed(0)} ms + confirm and credit (job) ${creditMs.toFixed(0)} ms = ${(recordMs + creditMs).toFixed(0)} ms`,
    );
    console.log(`  job outcome ${JSON.stringify(outcome)}`);
    const { rows: left } = await client.query<{ status: string; count: string }>(
      `SELECT "unitId", "status"::text, COUNT(*) FROM "Order" WHERE "groupOrderId" = 'bgo' GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    console.log(`  orders now: ${left.map((r) => Object.values(r).join(" ")).join(", ")}`);
    started = performance.now();
    const audit = await auditLedger();
    console.log(`  ledger audit: ${audit.differences.length} differences (${(performance.now() - started).toFixed(0)} ms)`);

    await timeRepeated(`statement data, ${ORDERS_PER_UNIT} orders (loadStatement)`, () => loadStatement(settlement.settlementId), RUNS);
    const statement = await loadStatement(settlement.settlementId);
    await timeRepeated(
      `statement XLSX, ${ORDERS_PER_UNIT} orders (data + workbook)`,
      async () => workbookXlsx(statementTables(await loadStatement(settlement.settlementId), "zh")),
      RUNS,
    );
    const xlsxBytes = (await workbookXlsx(statementTables(statement, "zh"))).length;
    console.log(`  workbook ${xlsxBytes.toLocaleString("en")} bytes`);

    if (process.env.BENCH_HTTP === "1") {
      await disconnectDatabase();
      const shop = await startAppServer(database.url);
      try {
        const [cookie] = await sessionCookies(["bench-session-org-a"]);
        const get = async (path: string) => {
          const response = await fetch(`${shop.baseUrl}${path}`, { headers: { Cookie: cookie! } });
          const body = await response.arrayBuffer();
          if (response.status !== 200) throw new Error(`${path}: ${response.status}\n${shop.output()}`);
          return body.byteLength;
        };
        const base = `/organizer/group-orders/bgo/statement/bu-a`;
        console.log(
          `  print page ${(await get(base)).toLocaleString("en")} bytes, xlsx ${(await get(`${base}/xlsx`)).toLocaleString("en")} bytes`,
        );
        await timeRepeated(`HTTP print page (HTML), ${ORDERS_PER_UNIT} orders`, () => get(base), RUNS);
        await timeRepeated(`HTTP XLSX download, ${ORDERS_PER_UNIT} orders`, () => get(`${base}/xlsx`), RUNS);
      } finally {
        await shop.stop();
      }
    }
    console.log(
      `load average after: ${(await import("node:os"))
        .loadavg()
        .map((n) => n.toFixed(2))
        .join(" ")}`,
    );
  } finally {
    await stopJobQueue();
    await disconnectDatabase();
    await client.end();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
