// Placements that arrive while another is with the database go together in one call to place_orders (decision 23).
// Each keeps its own answer, and a placement that fails inside a batch fails alone.
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { databasePool, db } from "~/db/client.server";
import { sqlState } from "~/db/errors.server";
import { isDomainError } from "~/domain/errors";
import { placeOrder, type PlaceOrderInput } from "~/domain/shop/checkout.server";
import { useLogDestination, withLogContext } from "~/utils/logger.server";
import { metrics } from "~/utils/metrics.server";
import { truncateAllTables } from "../../setup/reset";
import { createEmployee, createGroupOrder, createLot, createShop, deliveryOrderInput, lotState } from "../fixtures";

type Shop = Awaited<ReturnType<typeof createShop>>;
let shop: Shop;
let other: Shop;
const onPostgres = inject("testDatabase").kind === "postgres";

beforeEach(async () => {
  await truncateAllTables();
  shop = await createShop();
  other = await createShop();
  metrics().placementBatchSize.reset();
});

/** The batches sent so far: how many, and how many placements they held in all. */
async function batches() {
  const { values } = await metrics().placementBatchSize.get();
  const read = (name: string) => values.find((v) => v.metricName === `checkout_placement_batch_size_${name}`)?.value ?? 0;
  return { count: read("count"), placements: read("sum") };
}

/** Settles every placement; each as its order's id or the code it was refused or failed with. */
async function outcomes(placing: Promise<{ order: { id: string } }>[]) {
  const settled = await Promise.allSettled(placing);
  return settled.map((s) =>
    s.status === "fulfilled"
      ? s.value.order.id
      : isDomainError(s.reason)
        ? s.reason.code
        : `failed ${sqlState(s.reason) ?? String(s.reason)}`,
  );
}

const order = (target: Shop, userId: string, quantity: number, overrides: Partial<PlaceOrderInput> = {}) =>
  placeOrder(deliveryOrderInput(target, userId, quantity, overrides));

describe("placements in batches", () => {
  it("sends what arrives while a batch is out as the next batch, each buyer getting their own answer", async () => {
    const lot = await createLot(shop, 4);
    const buyers = await Promise.all(Array.from({ length: 7 }, () => createEmployee(shop.unit.id)));
    const results = await outcomes(buyers.map((buyer) => order(shop, buyer.id, 1)));
    // The first goes at once and alone; the six that arrive meanwhile go together.
    expect(await batches()).toEqual({ count: 2, placements: 7 });
    expect(results.filter((r) => r === "checkout.problems.sold_out")).toHaveLength(3);
    const placed = results.filter((r) => !r.startsWith("checkout."));
    expect(new Set(placed).size).toBe(4);
    expect((await db.order.findMany({ select: { id: true } })).map((o) => o.id).sort()).toEqual([...placed].sort());
    expect(await lotState(lot.id)).toMatchObject({ quantityReceived: 4, quantityAllocated: 4 });
  });

  it("answers a submission sent twice in one batch with one order, and keeps a buyer's limit across the batch", async () => {
    await createLot(shop, 40);
    const buyer = await createEmployee(shop.unit.id);
    const group = await createGroupOrder(shop, buyer.id, { perPersonLimit: 3 });
    const join = (quantity: number, idempotencyKey?: string) =>
      order(shop, buyer.id, quantity, {
        fulfilment: { kind: "group_pickup", groupOrderId: group.id },
        paymentMethod: "unit_settlement",
        ...(idempotencyKey ? { idempotencyKey } : {}),
      });
    const first = join(1);
    const [twin, again, overLimit] = await outcomes([join(2, "same-submission"), join(2, "same-submission"), join(1)]);
    await first;
    expect(await batches()).toEqual({ count: 2, placements: 4 });
    expect(twin).toBe(again);
    expect(overLimit).toBe("checkout.problems.over_limit");
    expect(await db.order.count()).toBe(2);
  });

  it("fails a placement that raises inside a batch alone, as it would have failed on its own", async () => {
    await createLot(shop, 10);
    const buyers = await Promise.all([createEmployee(shop.unit.id), createEmployee(shop.unit.id)]);
    const first = order(shop, buyers[0]!.id, 1);
    const results = await outcomes([order(shop, "no-such-user", 1), order(shop, buyers[1]!.id, 1)]);
    await first;
    expect(await batches()).toEqual({ count: 2, placements: 3 });
    expect(results[0]).toBe("failed P0001");
    expect(results[1]).not.toMatch(/^(failed|checkout\.)/);
    expect(await db.order.count()).toBe(2);
  });

  // Two connections at once: PGlite has one.
  it.runIf(onPostgres)("undoes only the order that ran short under the lots' locks and keeps the rest of its batch", async () => {
    const contested = await createLot(shop, 1);
    const plenty = await createLot(other, 10);
    const [early, short, kept] = await Promise.all([0, 1, 2].map(() => createEmployee(shop.unit.id)));
    const [shortResult, keptResult] = await batchBehindOpenTransaction({
      // Another checkout has taken the last unit and not yet committed: the batch's unlocked look still sees it.
      before: [[`UPDATE "StockLot" SET "quantityAllocated" = "quantityReceived" WHERE "id" = $1`, [contested.id]]],
      alone: () => order(other, early!.id, 1),
      batch: () => [order(shop, short!.id, 1), order(other, kept!.id, 1)],
      after: [],
    });
    expect(shortResult).toBe("checkout.problems.sold_out");
    expect(keptResult).not.toMatch(/^(failed|checkout\.)/);
    expect(await batches()).toEqual({ count: 2, placements: 3 });
    expect(await db.order.findMany({ where: { userId: short!.id } })).toEqual([]);
    expect(await db.orderLine.count()).toBe(2);
    expect(await db.allocation.count({ where: { lotId: contested.id } })).toBe(0);
    expect(await lotState(plenty.id)).toMatchObject({ quantityAllocated: 2 });
  });

  it.runIf(onPostgres)("places alone, after its batch, an order whose lots another transaction locked in the opposite order", async () => {
    const first = await createLot(shop, 10);
    const second = await createLot(other, 10);
    const [early, a, b] = await Promise.all([0, 1, 2].map(() => createEmployee(shop.unit.id)));
    const touch = `UPDATE "StockLot" SET "quantityWrittenOff" = "quantityWrittenOff" WHERE "id" = $1`;
    const results = await batchBehindOpenTransaction({
      // So that the batch, not this transaction, is the one PostgreSQL picks to break the deadlock.
      before: [["SET LOCAL deadlock_timeout = '60s'"], [touch, [second.id]]],
      alone: () => order(shop, early!.id, 1),
      batch: () => [order(shop, a!.id, 1), order(other, b!.id, 1)],
      // The batch holds the first lot and waits for the second; this transaction now waits for the first.
      after: [[touch, [first.id]]],
    });
    expect(results.every((r) => !r.startsWith("failed") && !r.startsWith("checkout."))).toBe(true);
    expect(await batches()).toEqual({ count: 2, placements: 3 });
    expect(await db.order.count()).toBe(3);
    expect(await lotState(first.id)).toMatchObject({ quantityAllocated: 2 });
    expect(await lotState(second.id)).toMatchObject({ quantityAllocated: 1 });
  });
});

describe("a batch's log lines", () => {
  type Line = { msg: string; operation?: string; requestId?: string; route?: string };
  let lines: Line[] = [];
  beforeAll(() => useLogDestination({ write: (text: string) => void lines.push(JSON.parse(text) as Line) }));
  afterAll(() => useLogDestination({ write: () => undefined }, "fatal"));

  it("name the requests the batch serves, not the request that happened to start the batches", async () => {
    await createLot(shop, 10);
    const [early, slow, alsoBatched] = await Promise.all([0, 1, 2].map(() => createEmployee(shop.unit.id)));
    // One order of the batch sleeps in a trigger, so that place_orders is logged as a slow query.
    await db.$executeRawUnsafe(`
      CREATE FUNCTION "test_slow_order"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW."userId" = '${slow!.id}' THEN PERFORM pg_sleep(0.15); END IF;
        RETURN NEW;
      END $$`);
    await db.$executeRawUnsafe(
      `CREATE TRIGGER "test_slow_order" BEFORE INSERT ON "Order" FOR EACH ROW EXECUTE FUNCTION "test_slow_order"()`,
    );
    lines = [];
    try {
      const inRequest = (requestId: string, place: () => Promise<unknown>) =>
        withLogContext({ requestId, route: "routes/checkout" }, place);
      // The first goes alone; the batch behind it is run by the loop the first one started.
      const first = inRequest("req-alone-0001", () => order(shop, early!.id, 1));
      const batched = [
        inRequest("req-batch-0001", () => order(shop, slow!.id, 1)),
        inRequest("req-batch-0002", () => order(shop, alsoBatched!.id, 1)),
      ];
      await Promise.all([first, ...batched]);
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER "test_slow_order" ON "Order"`);
      await db.$executeRawUnsafe(`DROP FUNCTION "test_slow_order"()`);
    }
    expect(await batches()).toEqual({ count: 2, placements: 3 });
    const slowCalls = lines.filter((line) => line.msg === "slow query" && line.operation === "place_orders");
    expect(slowCalls).toEqual([expect.objectContaining({ requestId: "req-batch-0001,req-batch-0002", route: "routes/checkout" })]);
  });
});

type Statement = [sql: string, params?: unknown[]];

/**
 * On a connection of its own, a transaction runs `before` and stays open; meanwhile one placement goes alone and
 * `batch` goes behind it as one batch, which waits for a row lock the transaction holds. Then the transaction runs
 * `after` and commits. Answers the batch's outcomes.
 */
async function batchBehindOpenTransaction(steps: {
  before: Statement[];
  alone: () => Promise<unknown>;
  batch: () => Promise<{ order: { id: string } }>[];
  after: Statement[];
}) {
  const side = await databasePool().connect();
  try {
    await side.query("BEGIN");
    for (const [sql, params] of steps.before) await side.query(sql, params);
    const alone = steps.alone();
    const batched = outcomes(steps.batch());
    await alone;
    await waitForLockWait();
    for (const [sql, params] of steps.after) await side.query(sql, params);
    await side.query("COMMIT");
    return await batched;
  } finally {
    side.release();
  }
}

/** Until a statement of this database waits for a row lock held by another transaction. */
async function waitForLockWait() {
  for (let tries = 0; tries < 500; tries++) {
    const [row] = await db.$queryRaw<{ waiting: number }[]>`
      SELECT count(*)::int AS "waiting" FROM pg_stat_activity
      WHERE "datname" = current_database() AND "wait_event_type" = 'Lock'`;
    if (row!.waiting > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("No statement started waiting for a lock within 5 s");
}
