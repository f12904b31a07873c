// npm run bench:checkout — N buyers (default 500) race for M units (default 200) of one SKU through the real
// checkout (HTTP, sessions, carts, group order, unit settlement) on PostgreSQL, then the same machine's hot-row
// UPDATE ceiling with the same concurrency, in the same run.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { createBenchDatabase, startAppServer } from "./app-server";

const BUYERS = Number(process.env.BUYERS ?? 500);
const UNITS = Number(process.env.UNITS ?? 200);
const SESSION_SECRET = "bench-session-secret-0123456789abcdef";
process.env.SESSION_SECRET = SESSION_SECRET;
process.env.ID_HASH_KEY = "bench-id-hash-key-0123456789abcdefgh";

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const database = await createBenchDatabase("checkout");
const app = await startAppServer(database.url, { SESSION_SECRET });
try {
  const { configureDatabase, db, disconnectDatabase } = await import("~/db/client.server");
  const { createUserSession } = await import("~/auth/session.server");
  configureDatabase(database.url, { poolMax: 10 });

  const unit = await db.unit.findUniqueOrThrow({ where: { code: "HQ" } });
  const product = await db.product.findFirstOrThrow({ where: { slug: "peaches" }, include: { cooperative: true } });
  const household = await db.household.findFirstOrThrow();
  const organizer = await db.user.findUniqueOrThrow({ where: { phone: "13800000002" } });
  const today = new Date();

  /** A SKU with `units` boxes in 4 lots, an open group order for it, and `buyers` signed-in employees with one in their cart. */
  async function prepareRace(label: string, buyerCount: number, units: number) {
    const sku = await db.sku.create({
      data: {
        productId: product.id,
        code: `${label}-5KG`,
        nameZh: "压测礼盒",
        nameEn: "Bench box",
        priceFen: 8800,
        weightGrams: 5000,
        maxPerOrder: 10,
      },
    });
    const lotSizes = [Math.ceil(units / 4), Math.ceil(units / 4), Math.ceil(units / 4)];
    lotSizes.push(units - lotSizes.reduce((a, b) => a + b, 0));
    for (const [index, quantity] of lotSizes.entries()) {
      await db.stockLot.create({
        data: {
          code: `${label}-${index}`,
          traceCode: randomUUID(),
          skuId: sku.id,
          householdId: household.id,
          quantityReceived: quantity,
          producedOn: today,
          receivedOn: today,
          bestBefore: new Date(today.getTime() + (5 + index) * 86_400_000),
        },
      });
    }
    const group = await db.groupOrder.create({
      data: {
        cooperativeId: product.cooperativeId,
        organizerId: organizer.id,
        title: `压测团购 ${label}`,
        status: "open",
        opensAt: new Date(today.getTime() - 60_000),
        closesAt: new Date(today.getTime() + 3_600_000),
        pickupPoint: "东门",
        deliveryDate: new Date(today.getTime() + 3 * 86_400_000),
        allowCard: false,
        allowUnitSettlement: true,
        units: { create: [{ unitId: unit.id }] },
        items: { create: [{ skuId: sku.id, perPersonLimit: 1 }] },
      },
    });
    const cookies: string[] = [];
    for (let i = 0; i < buyerCount; i++) {
      const user = await db.user.create({
        data: {
          name: `压测${i}`,
          email: `${label.toLowerCase()}-${i}@bench.example`,
          passwordHash: "not-used",
          unitId: unit.id,
          roles: { create: [{ role: "employee" }] },
          cart: { create: { items: { create: [{ skuId: sku.id, quantity: 1, seenPriceFen: 8800 }] } } },
        },
      });
      const response = await createUserSession(user.id, "/");
      cookies.push(response.headers.get("Set-Cookie")!.split(";")[0]!);
    }
    return { sku, group, cookies, units };
  }

  /** With `malformed`, every submission is refused (400) right after the session lookup: the app's floor. */
  async function race({ sku, group, cookies, units }: Awaited<ReturnType<typeof prepareRace>>, { malformed = false } = {}) {
    const started = performance.now();
    let lastSale = started;
    const results = await Promise.all(
      cookies.map(async (cookie) => {
        const body = new URLSearchParams({
          idempotencyKey: malformed ? "not-a-uuid" : randomUUID(),
          fulfilment: `group:${group.id}`,
          paymentMethod: "unit_settlement",
        });
        const t0 = performance.now();
        // As the browser does with JavaScript on: Remix's single-fetch action request.
        const response = await fetch(`${app.baseUrl}/checkout.data`, {
          method: "POST",
          body,
          redirect: "manual",
          headers: { Cookie: cookie, Origin: app.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
        });
        const text = await response.text();
        const t1 = performance.now();
        const sold = response.status === 202 && text.includes("/orders/AS");
        if (sold) lastSale = Math.max(lastSale, t1);
        return { status: response.status, sold, ms: t1 - t0, text };
      }),
    );
    const elapsedMs = performance.now() - started;
    const [{ allocated, received }] = (await db.$queryRaw<{ allocated: number; received: number }[]>`
        SELECT SUM("quantityAllocated")::int AS allocated, SUM("quantityReceived")::int AS received FROM "StockLot" WHERE "skuId" = ${sku.id}`) as [
      { allocated: number; received: number },
    ];
    const orders = await db.order.count({ where: { groupOrderId: group.id } });
    const sold = results.filter((r) => r.sold).length;
    return {
      results,
      elapsedMs,
      sold,
      refused: results.filter((r) => r.status === 409).length,
      others: results.filter((r) => !r.sold && r.status !== 409),
      orders,
      allocated,
      received,
      oversold: Math.max(0, orders - units, allocated - received),
      ordersPerSecond: sold / ((lastSale - started) / 1000),
    };
  }

  // A server that has been up for a while has compiled its hot paths, and so has the client sending the requests:
  // a smaller race on another SKU first, so the measured one is not the first checkout either process ever ran.
  const warmUp = await race(await prepareRace("WARM", Math.ceil(BUYERS / 2), Math.ceil(UNITS / 2)));
  const measured = await prepareRace("BENCH", BUYERS, UNITS);
  // What the same requests cost with no checkout at all (HTTP, Remix, the session lookup, the form): no order can be
  // placed faster than this.
  const floor = await race(measured, { malformed: true });
  console.log(`checkout benchmark: ${BUYERS} buyers race for ${UNITS} units of one SKU (4 lots), app on PostgreSQL`);
  console.log(`warm-up race: ${warmUp.sold} sold, ${warmUp.ordersPerSecond.toFixed(1)} orders/s`);
  const { results, elapsedMs, sold, refused, others, orders, allocated, received, oversold, ordersPerSecond } = await race(measured);
  const other = others.length;
  for (const answer of others.slice(0, 3)) console.log(`other answer: ${answer.status} ${answer.text.slice(0, 300)}`);
  if (other) console.log(`server output:\n${app.output().slice(-3000)}`);
  const latencies = results.map((r) => r.ms).sort((a, b) => a - b);
  await disconnectDatabase();

  // The ceiling: the same number of concurrent clients decrementing one row, as many times as there were units.
  const pool = new pg.Pool({ connectionString: database.url, max: 10 });
  await pool.query(`CREATE TABLE bench_hot_row (id int PRIMARY KEY, n int NOT NULL); INSERT INTO bench_hot_row VALUES (1, ${UNITS})`);
  const ceilingStarted = performance.now();
  let lastUpdate = ceilingStarted;
  await Promise.all(
    Array.from({ length: BUYERS }, async () => {
      const result = await pool.query("UPDATE bench_hot_row SET n = n - 1 WHERE id = 1 AND n > 0 RETURNING n");
      if (result.rowCount) lastUpdate = Math.max(lastUpdate, performance.now());
    }),
  );
  const updatesPerSecond = UNITS / ((lastUpdate - ceilingStarted) / 1000);
  await pool.end();

  console.log(
    `sold ${sold}, told sold out ${refused}, other answers ${other}, oversold ${oversold} (orders ${orders}, allocated ${allocated} of ${received})`,
  );
  console.log(
    `orders/s ${ordersPerSecond.toFixed(1)} | latency p50 ${percentile(latencies, 50).toFixed(0)} ms p99 ${percentile(latencies, 99).toFixed(0)} ms | all ${BUYERS} answered in ${elapsedMs.toFixed(0)} ms`,
  );
  console.log(
    `app floor: the same ${BUYERS} requests refused right after the session lookup took ${floor.elapsedMs.toFixed(0)} ms (${((BUYERS / floor.elapsedMs) * 1000).toFixed(0)} requests/s)`,
  );
  console.log(
    `hot-row UPDATE ceiling ${updatesPerSecond.toFixed(1)} updates/s | ratio ${((ordersPerSecond / updatesPerSecond) * 100).toFixed(1)}%`,
  );
  console.log(
    oversold === 0 && ordersPerSecond / updatesPerSecond >= 0.25 ? "goal met: no overselling, ≥ 25% of the ceiling" : "goal NOT met",
  );
} finally {
  await app.stop();
  await database.drop();
}
