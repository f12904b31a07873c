// What the benchmarks put into the shop's database before the measured server starts (so no cache the app may
// keep can miss it): signed-in buyers with real sessions, SKUs with stock in lots, open group orders. Plain SQL
// (INSERT … SELECT generate_series), on top of the demo data the server seeds; the session cookies are signed as
// the app signs them (Remix's cookie session storage, the app's SESSION_SECRET).
import { createCookie } from "@remix-run/node";
import type { Sql } from "./database";
import { SHOP_SECRETS } from "./servers";

/** UTC "now": the columns are `timestamp without time zone` holding UTC, as Prisma writes them. */
const NOW = `(now() AT TIME ZONE 'UTC')`;

export type SeedRefs = { productId: string; householdId: string; organizerId: string; cooperativeId: string };

/** The demo data the fixtures hang on: the peach product, a household to credit, an organizer. */
export async function seedRefs(sql: Sql): Promise<SeedRefs> {
  const { rows } = await sql.query<SeedRefs>(`
    SELECT p."id" AS "productId", p."cooperativeId",
      (SELECT h."id" FROM "Household" h ORDER BY h."code" LIMIT 1) AS "householdId",
      (SELECT u."id" FROM "User" u WHERE u."phone" = '13800000002') AS "organizerId"
    FROM "Product" p WHERE p."slug" = 'peaches'`);
  if (!rows[0]?.householdId || !rows[0].organizerId) throw new Error("the demo data (peaches, a household, the organizer) is missing");
  return rows[0];
}

/** A unit of its own per scenario, so its buyers' home page lists exactly the group orders made for them. */
export async function createUnit(sql: Sql, code: string) {
  const id = `bench-unit-${code}`;
  await sql.query(`INSERT INTO "Unit" ("id", "code", "name", "nameEn") VALUES ($1, $2, $3, $4)`, [
    id,
    code,
    `压测单位 ${code}`,
    `Bench unit ${code}`,
  ]);
  return id;
}

/** A 5 kg peach box SKU with `units` boxes in four lots of different best-before dates. */
export async function createSku(sql: Sql, refs: SeedRefs, code: string, units: number, { maxPerOrder = 10, priceFen = 8800 } = {}) {
  const id = `bench-sku-${code}`;
  await sql.query(
    `INSERT INTO "Sku" ("id", "productId", "code", "nameZh", "nameEn", "priceFen", "weightGrams", "maxPerOrder", "updatedAt")
     VALUES ($1, $2, $3, $4, $5, $6, 5000, $7, ${NOW})`,
    [id, refs.productId, `BENCH-${code}`, `压测礼盒 ${code}`, `Bench box ${code}`, priceFen, maxPerOrder],
  );
  const lots = 4;
  await sql.query(
    `INSERT INTO "StockLot" ("id", "code", "traceCode", "skuId", "householdId", "quantityReceived", "producedOn", "receivedOn", "bestBefore")
     SELECT $1 || '-lot-' || i, 'BENCH-' || $2 || '-' || i, 'BT-' || $2 || '-' || i, $1, $3,
       $4::int / ${lots} + CASE WHEN i < $4::int % ${lots} THEN 1 ELSE 0 END,
       current_date, current_date, current_date + 5 + i
     FROM generate_series(0, ${lots - 1}) i`,
    [id, code, refs.householdId, units],
  );
  return { id, units, priceFen };
}

/** An open group order (closing in six hours) offering the SKU to one unit, paid by unit settlement. */
export async function createGroupOrder(
  sql: Sql,
  refs: SeedRefs,
  code: string,
  skuId: string,
  unitId: string,
  perPersonLimit: number | null,
) {
  const id = `bench-group-${code}`;
  await sql.query(
    `INSERT INTO "GroupOrder" ("id", "cooperativeId", "organizerId", "title", "status", "opensAt", "closesAt", "pickupPoint",
       "deliveryDate", "allowCard", "allowUnitSettlement", "updatedAt")
     VALUES ($1, $2, $3, $4, 'open', ${NOW} - interval '1 hour', ${NOW} + interval '6 hours', '东门传达室', current_date + 3, false, true, ${NOW})`,
    [id, refs.cooperativeId, refs.organizerId, `压测团购 ${code}`],
  );
  await sql.query(`INSERT INTO "GroupOrderUnit" ("groupOrderId", "unitId") VALUES ($1, $2)`, [id, unitId]);
  await sql.query(`INSERT INTO "GroupOrderItem" ("groupOrderId", "skuId", "perPersonLimit") VALUES ($1, $2, $3)`, [
    id,
    skuId,
    perPersonLimit,
  ]);
  return id;
}

export type Buyer = { userId: string; sessionId: string; cookie: string };

/**
 * `count` employees of a unit, each signed in (a session row, as signing in writes it) and, with `cartSku`, with
 * one of it in their cart at today's price.
 */
export async function createBuyers(
  sql: Sql,
  code: string,
  count: number,
  unitId: string,
  cartSku?: { id: string; priceFen: number },
): Promise<Buyer[]> {
  const prefix = `bench-${code}-`;
  await sql.query(
    `INSERT INTO "User" ("id", "email", "passwordHash", "name", "unitId", "updatedAt")
     SELECT $1 || n, $1 || n || '@bench.example', 'not-used', '压测职工' || n, $2, ${NOW} FROM generate_series(1, $3::int) n`,
    [prefix, unitId, count],
  );
  await sql.query(`INSERT INTO "UserRole" ("userId", "role") SELECT $1 || n, 'employee' FROM generate_series(1, $2::int) n`, [
    prefix,
    count,
  ]);
  const { rows } = await sql.query<{ userId: string; sessionId: string }>(
    `INSERT INTO "Session" ("id", "userId", "expiresAt")
     SELECT gen_random_uuid()::text, $1 || n, ${NOW} + interval '30 days' FROM generate_series(1, $2::int) n
     RETURNING "id" AS "sessionId", "userId"`,
    [prefix, count],
  );
  if (cartSku) {
    await sql.query(
      `INSERT INTO "Cart" ("id", "userId", "updatedAt") SELECT $1 || n || '-cart', $1 || n, ${NOW} FROM generate_series(1, $2::int) n`,
      [prefix, count],
    );
    await sql.query(
      `INSERT INTO "CartItem" ("cartId", "skuId", "quantity", "seenPriceFen") SELECT $1 || n || '-cart', $3, 1, $4 FROM generate_series(1, $2::int) n`,
      [prefix, count, cartSku.id, cartSku.priceFen],
    );
  }
  const order = new Map(rows.map((r) => [r.userId, r]));
  const sorted = Array.from({ length: count }, (_, i) => order.get(`${prefix}${i + 1}`)!);
  const cookies = await sessionCookies(sorted.map((r) => r.sessionId));
  return sorted.map((r, i) => ({ ...r, cookie: cookies[i]! }));
}

/** Puts one of the SKU back into each buyer's cart (after an order emptied it). */
export async function refillCarts(sql: Sql, buyers: Buyer[], sku: { id: string; priceFen: number }) {
  await sql.query(
    `INSERT INTO "Cart" ("id", "userId", "updatedAt") SELECT u || '-cart', u, ${NOW} FROM unnest($1::text[]) u ON CONFLICT ("userId") DO NOTHING`,
    [buyers.map((b) => b.userId)],
  );
  await sql.query(
    `INSERT INTO "CartItem" ("cartId", "skuId", "quantity", "seenPriceFen")
     SELECT c."id", $2, 1, $3 FROM "Cart" c WHERE c."userId" = ANY($1::text[]) ON CONFLICT DO NOTHING`,
    [buyers.map((b) => b.userId), sku.id, sku.priceFen],
  );
}

/** Empties the buyers' carts, so each add-to-cart sample adds to an empty cart as a buyer's first add does. */
export async function emptyCarts(sql: Sql, buyers: Buyer[]) {
  await sql.query(`DELETE FROM "CartItem" ci USING "Cart" c WHERE c."id" = ci."cartId" AND c."userId" = ANY($1::text[])`, [
    buyers.map((b) => b.userId),
  ]);
}

/** `__session=…` as the app's cookie session storage writes it for `{ sessionId }` (name, signature, encoding). */
export async function sessionCookies(sessionIds: string[]) {
  const cookie = createCookie("__session", { secrets: [SHOP_SECRETS.SESSION_SECRET], path: "/", httpOnly: true, sameSite: "lax" });
  return Promise.all(sessionIds.map(async (sessionId) => (await cookie.serialize({ sessionId })).split(";")[0]!));
}

export type Sold = {
  /** Orders for the group order that hold stock (not expired or cancelled). */
  orders: number;
  /** Boxes in those orders' lines. */
  sold: number;
  allocated: number;
  received: number;
  /** Boxes sold or allocated beyond what the lots received. */
  oversold: number;
  /** Buyers with more than their per-person limit of one order. */
  overLimit: number;
  /** Lots whose allocated count is not the sum of their allocations (none are released or refunded in a rush). */
  allocationMismatch: number;
};

/** What the database says was sold of the SKU in the group order: the figures a rush must get right. */
export async function readSold(sql: Sql, skuId: string, groupOrderId: string): Promise<Sold> {
  const { rows } = await sql.query<Omit<Sold, "oversold">>(
    `SELECT
       (SELECT count(*)::int FROM "Order" o WHERE o."groupOrderId" = $2 AND o."status" NOT IN ('expired', 'cancelled')) AS "orders",
       (SELECT COALESCE(SUM(ol."quantity"), 0)::int FROM "OrderLine" ol JOIN "Order" o ON o."id" = ol."orderId"
         WHERE o."groupOrderId" = $2 AND ol."skuId" = $1 AND o."status" NOT IN ('expired', 'cancelled')) AS "sold",
       (SELECT COALESCE(SUM(l."quantityAllocated"), 0)::int FROM "StockLot" l WHERE l."skuId" = $1) AS "allocated",
       (SELECT COALESCE(SUM(l."quantityReceived"), 0)::int FROM "StockLot" l WHERE l."skuId" = $1) AS "received",
       (SELECT count(*)::int FROM (SELECT o."userId" FROM "Order" o WHERE o."groupOrderId" = $2 AND o."status" NOT IN ('expired', 'cancelled')
         GROUP BY o."userId" HAVING count(*) > 1) twice) AS "overLimit",
       (SELECT count(*)::int FROM "StockLot" l WHERE l."skuId" = $1 AND l."quantityAllocated" <>
         (SELECT COALESCE(SUM(a."quantity"), 0) FROM "Allocation" a WHERE a."lotId" = l."id" AND a."releasedAt" IS NULL)) AS "allocationMismatch"`,
    [skuId, groupOrderId],
  );
  const row = rows[0]!;
  return { ...row, oversold: Math.max(0, row.sold - row.received, row.allocated - row.received) };
}
