// The cart lives in the database, so it survives across app servers and devices. A signed-in buyer has one cart
// (Cart.userId); a visitor gets a cart without a user whose id a signed cookie carries, and that cart moves into the
// buyer's own when they sign in or register. No cart ever holds more of a SKU than its maxPerOrder.
import { randomUUID } from "node:crypto";
import { createCookie, type Cookie } from "@remix-run/node";
import { z } from "zod";
import { config } from "~/config.server";
import { Prisma, db, queryRows } from "~/db/client.server";
import { DomainError } from "~/domain/errors";
import { shopDateOf } from "~/utils/dates";
import { markPersonal } from "~/utils/logger.server";

const CART_COOKIE_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

let cookie: Cookie | undefined;

/** Same flags as the session cookie (docs/decisions/0003): signed, HttpOnly, SameSite=Lax, Secure in production. */
function cartCookie(): Cookie {
  const { isProduction, appUrl, sessionSecret } = config();
  cookie ??= createCookie("__cart", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secrets: [sessionSecret],
    secure: isProduction && !appUrl.startsWith("http://localhost"),
    maxAge: CART_COOKIE_MAX_AGE_SECONDS,
  });
  return cookie;
}

async function anonymousCartIdFrom(request: Request): Promise<string | null> {
  const value: unknown = await cartCookie().parse(request.headers.get("Cookie"));
  if (typeof value !== "string" || value === "") return null;
  markPersonal();
  return value;
}

/** Whose cart a request works on: the signed-in user's, or the visitor's anonymous one (if they have one yet). */
export type CartOwner = { userId: string } | { anonymousCartId: string | null };

export async function cartOwner(request: Request, userId: string | null): Promise<CartOwner> {
  return userId ? { userId } : { anonymousCartId: await anonymousCartIdFrom(request) };
}

/** True when the visitor carries a cart cookie, so pages that show the cart are personal even without a session. */
export async function hasAnonymousCart(request: Request): Promise<boolean> {
  return (await anonymousCartIdFrom(request)) !== null;
}

// An anonymous cart is only ever found with `userId: null`, so a cookie can never reach a buyer's cart. Its lines are
// found by the cart's id, read first by a key of "Cart", never through a join the planner may turn around: after a
// rush has emptied the carts, ANALYZE records "CartItem" as empty, and such a join then reads every line of every
// cart for each buyer (docs/decisions/0025-cart-lines-by-cart-id.md).
function cartIdOf(owner: CartOwner): Prisma.Sql | null {
  if ("userId" in owner) return Prisma.sql`(SELECT c."id" FROM "Cart" c WHERE c."userId" = ${owner.userId})`;
  return owner.anonymousCartId
    ? Prisma.sql`(SELECT c."id" FROM "Cart" c WHERE c."id" = ${owner.anonymousCartId} AND c."userId" IS NULL)`
    : null;
}

export type CartLine = {
  skuId: string;
  quantity: number;
  /** The price shown when the line was last added, so a change since can be pointed out. */
  seenPriceFen: number;
  priceFen: number;
  maxPerOrder: number;
  /** The SKU and its product are both on sale. */
  active: boolean;
  /** Units that can be sold today (unexpired lots), which may be fewer than `quantity`. */
  available: number;
  skuNameZh: string;
  skuNameEn: string;
  productSlug: string;
  productNameZh: string;
  productNameEn: string;
  image: { path: string; altZh: string; altEn: string } | null;
};

// The lines with their SKUs, products, first photos and the units on sale today, in one statement on the pool (the
// cart and checkout pages of a rush; `queryRows` says why). The cart is found as cartIdOf finds it.
const cartLinesSql = (owner: string) => `
  SELECT ci."skuId", ci."quantity", ci."seenPriceFen", s."priceFen", s."maxPerOrder", (s."active" AND p."active") AS "active",
         COALESCE((SELECT SUM("free_units"(l))::int FROM "StockLot" l
                   WHERE l."skuId" = ci."skuId" AND l."bestBefore" >= $2::date), 0) AS "available",
         s."nameZh" AS "skuNameZh", s."nameEn" AS "skuNameEn",
         p."slug" AS "productSlug", p."nameZh" AS "productNameZh", p."nameEn" AS "productNameEn",
         (SELECT json_build_object('path', i."path", 'altZh', i."altZh", 'altEn', i."altEn")
          FROM "ProductImage" i WHERE i."productId" = p."id" ORDER BY i."sortOrder", i."id" LIMIT 1) AS "image"
  FROM "CartItem" ci
  JOIN "Sku" s ON s."id" = ci."skuId"
  JOIN "Product" p ON p."id" = s."productId"
  WHERE ci."cartId" = (SELECT c."id" FROM "Cart" c WHERE ${owner})
  ORDER BY ci."addedAt", ci."skuId"`;
/** Exported for the test of what it reads. */
export const USER_CART_LINES_SQL = cartLinesSql(`c."userId" = $1`);
const ANONYMOUS_CART_LINES_SQL = cartLinesSql(`c."id" = $1 AND c."userId" IS NULL`);

async function cartLines(owner: CartOwner, now: Date): Promise<CartLine[]> {
  if ("userId" in owner) return queryRows<CartLine>("CartItem.lines", USER_CART_LINES_SQL, [owner.userId, shopDateOf(now)]);
  if (!owner.anonymousCartId) return [];
  return queryRows<CartLine>("CartItem.lines", ANONYMOUS_CART_LINES_SQL, [owner.anonymousCartId, shopDateOf(now)]);
}

export type CartLineNote =
  { kind: "inactive" } | { kind: "price_changed"; fromFen: number; toFen: number } | { kind: "short"; available: number };

/** What changed since the buyer added a line: the price, the stock, or the SKU being withdrawn. */
function notesFor(line: CartLine): CartLineNote[] {
  if (!line.active) return [{ kind: "inactive" }];
  const notes: CartLineNote[] = [];
  if (line.priceFen !== line.seenPriceFen) notes.push({ kind: "price_changed", fromFen: line.seenPriceFen, toFen: line.priceFen });
  if (line.available < line.quantity) notes.push({ kind: "short", available: line.available });
  return notes;
}

/** The cart page: lines at today's prices with what changed, and the subtotal of what can still be bought. */
export async function getCart(owner: CartOwner, now = new Date()) {
  const lines = (await cartLines(owner, now)).map((line) => {
    // The seen price and the stock reach the page as notes; the photo is decorative there (no alt text).
    const { seenPriceFen: _seen, available: _available, image, ...shown } = line;
    return { ...shown, image: image && { path: image.path }, lineTotalFen: line.priceFen * line.quantity, notes: notesFor(line) };
  });
  const subtotalFen = lines.filter((line) => line.active).reduce((sum, line) => sum + line.lineTotalFen, 0);
  return { lines, subtotalFen };
}

/** Units in the cart, for the header's cart link. */
export async function cartItemCount(owner: CartOwner): Promise<number> {
  const cartId = cartIdOf(owner);
  if (!cartId) return 0;
  const [row] = QuantityRows.parse(
    await db.$queryRaw`SELECT COALESCE(SUM("quantity"), 0)::int AS "quantity" FROM "CartItem" WHERE "cartId" = ${cartId}`,
  );
  return row?.quantity ?? 0;
}

/** The signed-in buyer's cart as checkout needs it: quantities, the prices seen and today's, and the stock. */
export async function getCartForCheckout(userId: string, now = new Date()): Promise<CartLine[]> {
  return cartLines({ userId }, now);
}

/** Takes today's prices as the ones the buyer has seen, once checkout has shown them the changes. */
export async function acknowledgeCartPrices(userId: string): Promise<void> {
  await db.$executeRaw`
    UPDATE "CartItem" item SET "seenPriceFen" = sku."priceFen"
    FROM "Sku" sku
    WHERE item."cartId" = ${cartIdOf({ userId })} AND sku."id" = item."skuId" AND item."seenPriceFen" <> sku."priceFen"`;
}

const unavailable = () => new DomainError("shop.errors.unavailable", { field: "skuId" });

/** More than the SKU's maxPerOrder; `inCart` is what the cart already held when that is what the limit tripped on. */
function overLimit(maxPerOrder: number, inCart = 0) {
  return inCart > 0
    ? new DomainError("shop.errors.cartOverLimit", { field: "quantity", params: { max: maxPerOrder, inCart } })
    : new DomainError("shop.errors.overLimit", { field: "quantity", params: { max: maxPerOrder } });
}

const QuantityRows = z.array(z.object({ quantity: z.int() }));
const CartRows = z.array(z.object({ id: z.string() }));

async function skuOnSale(skuId: string) {
  const sku = await db.sku.findUnique({
    where: { id: skuId },
    select: { priceFen: true, maxPerOrder: true, active: true, product: { select: { slug: true, active: true } } },
  });
  return sku?.active && sku.product.active ? sku : null;
}

/** The cart to write into; a visitor without one gets a new cart and the cookie that remembers it. */
async function openCart(owner: CartOwner): Promise<{ cartId: string; setCookie: string | null }> {
  if ("userId" in owner) {
    const cart = await db.cart.upsert({
      where: { userId: owner.userId },
      create: { userId: owner.userId },
      update: {},
      select: { id: true },
    });
    return { cartId: cart.id, setCookie: null };
  }
  if (owner.anonymousCartId) {
    const cart = await db.cart.findFirst({ where: { id: owner.anonymousCartId, userId: null }, select: { id: true } });
    if (cart) return { cartId: cart.id, setCookie: null };
  }
  const cart = await db.cart.create({ data: {}, select: { id: true } });
  return { cartId: cart.id, setCookie: await cartCookie().serialize(cart.id) };
}

/**
 * Adds `quantity` units of a SKU at today's price. Refused, with nothing written, when the SKU is not on sale or the
 * cart would then hold more than its maxPerOrder; the check and the write are one statement, so two adds at once
 * cannot together pass the limit. The line then remembers today's price, the one the buyer just saw.
 */
export async function addToCart(
  owner: CartOwner,
  skuId: string,
  quantity: number,
): Promise<{ productSlug: string; setCookie: string | null }> {
  if ("userId" in owner) return addToBuyersCart(owner.userId, skuId, quantity);
  const sku = await skuOnSale(skuId);
  if (!sku) throw unavailable();
  if (quantity > sku.maxPerOrder) throw overLimit(sku.maxPerOrder);
  const { cartId, setCookie } = await openCart(owner);
  const added = QuantityRows.parse(
    await db.$queryRaw`
      INSERT INTO "CartItem" ("cartId", "skuId", "quantity", "seenPriceFen")
      VALUES (${cartId}, ${skuId}, ${quantity}, ${sku.priceFen})
      ON CONFLICT ("cartId", "skuId") DO UPDATE
        SET "quantity" = "CartItem"."quantity" + EXCLUDED."quantity", "seenPriceFen" = EXCLUDED."seenPriceFen"
        WHERE "CartItem"."quantity" + EXCLUDED."quantity" <= ${sku.maxPerOrder}
      RETURNING "quantity"`,
  );
  if (added.length === 0) {
    const inCart = await db.cartItem.findUnique({ where: { cartId_skuId: { cartId, skuId } }, select: { quantity: true } });
    throw overLimit(sku.maxPerOrder, inCart?.quantity ?? 0);
  }
  return { productSlug: sku.product.slug, setCookie };
}

const BuyersAdd = z.array(
  z.object({
    slug: z.string().nullable(),
    maxPerOrder: z.int().nullable(),
    added: z.int().nullable(),
    inCart: z.int().nullable(),
  }),
);

// $1 the SKU, $2 the buyer, $3 the id of the cart made on a first add, $4 the quantity.
const BUYERS_ADD_SQL = `
  WITH sku AS (
    SELECT s."priceFen", s."maxPerOrder", p."slug" FROM "Sku" s JOIN "Product" p ON p."id" = s."productId"
    WHERE s."id" = $1 AND s."active" AND p."active"
  ), existing AS (
    SELECT c."id" FROM "Cart" c WHERE c."userId" = $2
  ), made AS (
    -- A first add made at the same moment in another request waits for it here and then uses its cart.
    INSERT INTO "Cart" ("id", "userId", "createdAt", "updatedAt")
    SELECT $3::text, $2, now(), now() WHERE NOT EXISTS (SELECT 1 FROM existing) AND EXISTS (SELECT 1 FROM sku WHERE $4::int <= sku."maxPerOrder")
    ON CONFLICT ("userId") DO UPDATE SET "userId" = EXCLUDED."userId"
    RETURNING "id"
  ), cart AS (
    SELECT "id" FROM existing UNION ALL SELECT "id" FROM made
  ), added AS (
    INSERT INTO "CartItem" ("cartId", "skuId", "quantity", "seenPriceFen")
    SELECT cart."id", $1, $4::int, sku."priceFen" FROM cart, sku WHERE $4::int <= sku."maxPerOrder"
    ON CONFLICT ("cartId", "skuId") DO UPDATE
      SET "quantity" = "CartItem"."quantity" + EXCLUDED."quantity", "seenPriceFen" = EXCLUDED."seenPriceFen"
      WHERE "CartItem"."quantity" + EXCLUDED."quantity" <= (SELECT "maxPerOrder" FROM sku)
    RETURNING "quantity"
  )
  SELECT (SELECT "slug" FROM sku) AS "slug", (SELECT "maxPerOrder" FROM sku) AS "maxPerOrder",
         (SELECT "quantity" FROM added) AS "added",
         (SELECT item."quantity" FROM "CartItem" item WHERE item."cartId" = (SELECT "id" FROM existing) AND item."skuId" = $1) AS "inCart"`;

/**
 * A signed-in buyer's add (most adds of a closing rush) in one statement, one round trip: the SKU's terms, the cart
 * (made on the first add) and the line. The cart row is only read when it exists, not rewritten. On the pool, as the
 * pages' reads are (queryRows): a rush adds to carts as often as it loads pages.
 */
async function addToBuyersCart(userId: string, skuId: string, quantity: number) {
  const [row] = BuyersAdd.parse(await queryRows("CartItem.addForBuyer", BUYERS_ADD_SQL, [skuId, userId, randomUUID(), quantity]));
  if (!row?.slug || row.maxPerOrder === null) throw unavailable();
  if (quantity > row.maxPerOrder) throw overLimit(row.maxPerOrder);
  if (row.added === null) throw overLimit(row.maxPerOrder, row.inCart ?? 0);
  return { productSlug: row.slug, setCookie: null };
}

/** Sets a line's quantity; 0 removes it. The price seen stays, so a change is still pointed out. */
export async function setCartQuantity(owner: CartOwner, skuId: string, quantity: number): Promise<void> {
  if (quantity === 0) return removeFromCart(owner, skuId);
  const sku = await skuOnSale(skuId);
  if (!sku) throw unavailable();
  if (quantity > sku.maxPerOrder) throw overLimit(sku.maxPerOrder);
  const cartId = cartIdOf(owner);
  const count = cartId
    ? await db.$executeRaw`UPDATE "CartItem" SET "quantity" = ${quantity} WHERE "cartId" = ${cartId} AND "skuId" = ${skuId}`
    : 0;
  if (count === 0) throw new DomainError("shop.errors.notInCart", { field: "skuId" });
}

/** Removes a line; removing one that is already gone is not an error (another tab may have done it). */
export async function removeFromCart(owner: CartOwner, skuId: string): Promise<void> {
  const cartId = cartIdOf(owner);
  if (cartId) await db.$executeRaw`DELETE FROM "CartItem" WHERE "cartId" = ${cartId} AND "skuId" = ${skuId}`;
}

/**
 * Moves the visitor's anonymous cart into the user's cart on sign-in or registration: quantities of the same SKU
 * add up, capped at its maxPerOrder. Returns the Set-Cookie value that clears the cart cookie, to be sent with the
 * response that signs the user in (also when there was nothing to merge).
 */
export async function mergeAnonymousCart(request: Request, userId: string): Promise<string> {
  const anonymousCartId = await anonymousCartIdFrom(request);
  if (anonymousCartId) {
    await db.$transaction(async (tx) => {
      // Locked, so that two sign-ins racing with the same cookie cannot both add its items.
      const [anonymous] = CartRows.parse(
        await tx.$queryRaw`SELECT "id" FROM "Cart" WHERE "id" = ${anonymousCartId} AND "userId" IS NULL FOR UPDATE`,
      );
      if (!anonymous) return;
      const target = await tx.cart.upsert({ where: { userId }, create: { userId }, update: {}, select: { id: true } });
      await tx.$executeRaw`
        INSERT INTO "CartItem" ("cartId", "skuId", "quantity", "seenPriceFen")
        SELECT ${target.id}, item."skuId", LEAST(item."quantity", sku."maxPerOrder"), item."seenPriceFen"
        FROM "CartItem" item JOIN "Sku" sku ON sku."id" = item."skuId"
        WHERE item."cartId" = ${anonymous.id}
        ON CONFLICT ("cartId", "skuId") DO UPDATE
          SET "quantity" = LEAST("CartItem"."quantity" + EXCLUDED."quantity", (SELECT "maxPerOrder" FROM "Sku" WHERE "id" = EXCLUDED."skuId")),
              "seenPriceFen" = EXCLUDED."seenPriceFen"`;
      await tx.cart.delete({ where: { id: anonymous.id } });
    });
  }
  return cartCookie().serialize("", { maxAge: 0 });
}
