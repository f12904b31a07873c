// A buyer's cart is read by its id, whatever the statistics say (decision 25). After a rush has emptied the carts,
// ANALYZE records "CartItem" as empty; a join of "CartItem" and "Cart" was then planned as a walk through every
// cart's lines for each buyer, on every page (the session read counts the cart) and in every placement. Each read
// below is run under EXPLAIN ANALYZE, whose plan says what it read.
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { SESSION_USER_SQL } from "~/auth/guards.server";
import { db } from "~/db/client.server";
import { USER_CART_LINES_SQL } from "~/domain/shop/cart.server";
import { placementCall } from "~/domain/shop/checkout.server";
import { shopToday } from "~/utils/dates";
import { truncateAllTables } from "../../setup/reset";
import { createGroupOrder, createLot, createShop } from "../fixtures";

// Enough carts that reading a buyer's by key is the plan for a table of their size; a table of a few pages may be
// read whole, which costs no more as the shop grows.
const BUYERS = 2_000;

type Shop = Awaited<ReturnType<typeof createShop>>;
let shop: Shop;

beforeEach(async () => {
  await truncateAllTables();
  shop = await createShop();
});

/** Employees of the shop's unit, each with one line of its SKU in a cart of their own. */
async function buyersWithCarts(count: number) {
  const buyers = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO "User" ("id", "name", "passwordHash", "unitId", "updatedAt")
    SELECT gen_random_uuid()::text, '职工', 'x', ${shop.unit.id}, now() FROM generate_series(1, ${count})
    RETURNING "id"`;
  await db.$executeRaw`
    INSERT INTO "Cart" ("id", "userId", "createdAt", "updatedAt")
    SELECT gen_random_uuid()::text, u."id", now(), now() FROM "User" u WHERE u."unitId" = ${shop.unit.id}`;
  await fillCarts();
  return buyers;
}

async function fillCarts() {
  await db.$executeRaw`
    INSERT INTO "CartItem" ("cartId", "skuId", "quantity", "seenPriceFen")
    SELECT c."id", ${shop.sku.id}, 1, ${shop.sku.priceFen} FROM "Cart" c`;
}

/** The state a rush leaves: every cart emptied by checkout and the statistics taken then; then the next rush fills them. */
async function cartsAnalyzedEmptyThenFilled() {
  await db.$executeRaw`DELETE FROM "CartItem"`;
  await db.$executeRaw`ANALYZE "CartItem"`;
  await fillCarts();
}

type PlanNode = {
  "Relation Name"?: string;
  "Actual Rows": number;
  "Actual Loops": number;
  "Shared Hit Blocks": number;
  "Shared Read Blocks": number;
  Plans?: PlanNode[];
};

type Queries = Pick<typeof db, "$queryRawUnsafe">;

async function explain(sql: string, params: unknown[], on: Queries = db): Promise<PlanNode> {
  const [row] = await on.$queryRawUnsafe<{ "QUERY PLAN": [{ Plan: PlanNode }] }[]>(
    `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`,
    ...params,
  );
  return row!["QUERY PLAN"][0].Plan;
}

/** The rows a statement read from "CartItem", from its plan as it ran. */
async function cartItemRowsRead(sql: string, params: unknown[]) {
  const rows = (node: PlanNode): number =>
    (node["Relation Name"] === "CartItem" ? node["Actual Rows"] * node["Actual Loops"] : 0) +
    (node.Plans ?? []).reduce((sum, child) => sum + rows(child), 0);
  return rows(await explain(sql, params));
}

/** Rows of "Order" this transaction has read so far, by index or by a walk through the table. */
async function orderRowsReadInTransaction(on: Queries) {
  const [row] = await on.$queryRawUnsafe<{ rows: number }[]>(
    `SELECT (COALESCE(idx_tup_fetch, 0) + COALESCE(seq_tup_read, 0))::int AS "rows" FROM pg_stat_xact_user_tables WHERE relname = 'Order'`,
  );
  return row!.rows;
}

describe("a buyer's reads after the carts were analyzed empty", () => {
  it("the session read counts only the buyer's own cart", async () => {
    const buyers = await buyersWithCarts(BUYERS);
    await cartsAnalyzedEmptyThenFilled();
    const sessionId = randomUUID();
    await db.session.create({ data: { id: sessionId, userId: buyers[7]!.id, expiresAt: new Date(Date.now() + 3_600_000) } });
    expect(await cartItemRowsRead(SESSION_USER_SQL, [sessionId])).toBe(1);
  });

  it("the cart and checkout pages read only the buyer's own lines", async () => {
    const buyers = await buyersWithCarts(BUYERS);
    await cartsAnalyzedEmptyThenFilled();
    expect(await cartItemRowsRead(USER_CART_LINES_SQL, [buyers[7]!.id, shopToday(new Date()).toISOString().slice(0, 10)])).toBe(1);
  });

  it("place_order reads and empties only the buyer's own cart, and counts only the buyer's own orders", async () => {
    await createLot(shop, BUYERS);
    const buyers = await buyersWithCarts(BUYERS);
    const group = await createGroupOrder(shop, buyers[0]!.id, { perPersonLimit: 2 });
    // Most of the group order's buyers have ordered already: its per-person limit is checked.
    await db.$executeRaw`
      INSERT INTO "Order" ("id", "number", "userId", "unitId", "groupOrderId", "fulfilment", "paymentMethod", "status",
        "subtotalFen", "totalFen", "idempotencyKey", "createdAt", "updatedAt")
      SELECT gen_random_uuid()::text, 'T' || u."id", u."id", u."unitId", ${group.id}, 'group_pickup', 'unit_settlement', 'paid',
        ${shop.sku.priceFen}, ${shop.sku.priceFen}, gen_random_uuid()::text, now(), now()
      FROM "User" u WHERE u."unitId" = ${shop.unit.id} AND u."id" <> ${buyers[0]!.id}`;
    await cartsAnalyzedEmptyThenFilled();
    const placement = (on: Queries, userId: string) => {
      const call = placementCall(
        {
          userId,
          idempotencyKey: randomUUID(),
          lines: "cart",
          fulfilment: { kind: "group_pickup", groupOrderId: group.id },
          paymentMethod: "unit_settlement",
          cardPaymentConfigured: false,
          paymentTtlMinutes: 30,
        },
        new Date(),
      );
      return explain(`SELECT "place_order"($1::jsonb)`, [JSON.stringify(call)], on);
    };
    // On one connection, after a first call that plans the function's statements and reads the catalog.
    const { measured, ordersRead } = await db.$transaction(async (tx) => {
      await placement(tx, buyers[1]!.id);
      const before = await orderRowsReadInTransaction(tx);
      const measured = await placement(tx, buyers[0]!.id);
      return { measured, ordersRead: (await orderRowsReadInTransaction(tx)) - before };
    });
    // Its own rows and their indexes: ~90 pages here. With the cart found by a join it was ~16,000.
    expect(measured["Shared Hit Blocks"] + measured["Shared Read Blocks"]).toBeLessThan(300);
    // The per-person limit counts the buyer's own orders (decision 26): here the order it has just written, read back
    // by its line's foreign key. Counted from the group order's side it read all ~2,000.
    expect(ordersRead).toBeLessThan(10);
    expect(await db.order.count({ where: { userId: buyers[0]!.id } })).toBe(1);
    expect(await db.cartItem.count({ where: { cart: { userId: buyers[0]!.id } } })).toBe(0);
  });
});
