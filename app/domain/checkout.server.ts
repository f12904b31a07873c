// Placing an order: validate the cart against today's prices, limits and the chosen group order, then reserve stock
// from lots in the same transaction that writes the order (allocation.server.ts). Nothing is written unless all of
// it succeeds; a retried submission with the same idempotency key returns the order the first one created.
import { randomBytes, randomUUID } from "node:crypto";
import pLimit from "p-limit";
import { Prisma, db } from "~/db/client.server";
import type { PaymentMethod } from "~/db/generated/client";
import { allocateFromLots, availableUnits, releaseOrderAllocations, SoldOutError } from "./allocation.server";

export type CheckoutLine = { skuId: string; quantity: number; expectedUnitPriceFen: number };

export type Fulfilment =
  | { kind: "group_pickup"; groupOrderId: string }
  | { kind: "delivery"; recipientName: string; recipientPhone: string; address: string };

export type PlaceOrderInput = {
  userId: string;
  idempotencyKey: string;
  lines: CheckoutLine[];
  fulfilment: Fulfilment;
  paymentMethod: PaymentMethod;
  cardPaymentConfigured: boolean;
  paymentTtlMinutes: number;
  now?: Date;
};

export type CheckoutProblem =
  | { kind: "empty" }
  | { kind: "unknown_sku" | "inactive"; skuId: string }
  | { kind: "price_changed"; skuId: string; expectedFen: number; currentFen: number }
  | { kind: "over_limit"; skuId: string; limit: number }
  | { kind: "sold_out"; skuId: string; available: number }
  | { kind: "not_offered"; skuId: string }
  | { kind: "group_not_open" | "not_invited" | "payment_not_allowed" | "card_not_configured" | "no_unit" };

export type PlacedOrder = { id: string; number: string; totalFen: number; expiresAt: Date | null; paymentMethod: PaymentMethod };

export type PlaceOrderResult = { ok: true; order: PlacedOrder; replayed: boolean } | { ok: false; problems: CheckoutProblem[] };

const MAX_LINE_QUANTITY = 1_000;

/**
 * At most this many checkout transactions per process at once. In a rush, hundreds of requests arrive together; if
 * all of them ran their transaction, the event loop would be busy with the others while a transaction holding a
 * lot's row lock waits to send its COMMIT — and every other buyer waits on that lock. Queued requests hold nothing.
 */
const checkoutSlots = pLimit(8);

class CheckoutRejected extends Error {
  constructor(readonly problems: CheckoutProblem[]) {
    super("Checkout rejected");
  }
}

function orderNumber(now: Date) {
  const day = now.toISOString().slice(2, 10).replace(/-/g, "");
  return `AS${day}-${randomBytes(4).toString("hex").toUpperCase()}`;
}

const placedSelect = { id: true, number: true, totalFen: true, expiresAt: true, paymentMethod: true } as const;

export async function placeOrder(input: PlaceOrderInput): Promise<PlaceOrderResult> {
  const now = input.now ?? new Date();
  const key = `${input.userId}:${input.idempotencyKey}`;
  const existing = await db.order.findUnique({ where: { idempotencyKey: key }, select: placedSelect });
  if (existing) return { ok: true, order: existing, replayed: true };

  try {
    const order = await checkoutSlots(() =>
      db.$transaction(async (tx) => placeOrderInTransaction(tx, input, key, now), { timeout: 20_000, maxWait: 20_000 }),
    );
    return { ok: true, order, replayed: false };
  } catch (error) {
    if (error instanceof CheckoutRejected) return { ok: false, problems: error.problems };
    if (error instanceof SoldOutError) return { ok: false, problems: [{ kind: "sold_out", skuId: error.skuId, available: error.available }] };
    if (isUniqueViolation(error)) {
      // A concurrent retry of the same submission won the unique key: answer with its order.
      const winner = await db.order.findUnique({ where: { idempotencyKey: key }, select: placedSelect });
      if (winner) return { ok: true, order: winner, replayed: true };
    }
    throw error;
  }
}

type SkuRow = { id: string; priceFen: number; maxPerOrder: number; onSale: boolean; feeRateBp: number; deliveryFeeFen: number };

// The transaction is a handful of statements, written in SQL where Prisma would need several round trips for one
// answer: in a rush, round trips per order are what the server runs out of.
async function placeOrderInTransaction(tx: Prisma.TransactionClient, input: PlaceOrderInput, key: string, now: Date): Promise<PlacedOrder> {
  const lines = mergeLines(input.lines);
  if (lines.length === 0) throw new CheckoutRejected([{ kind: "empty" }]);

  // One checkout at a time per buyer, so per-person limits cannot be beaten by submitting twice at once.
  const [buyer] = await tx.$queryRaw<{ unitId: string | null }[]>`SELECT "unitId" FROM "User" WHERE "id" = ${input.userId} FOR UPDATE`;
  if (!buyer) throw new Error(`User ${input.userId} not found`);

  const skus = await tx.$queryRaw<SkuRow[]>`
    SELECT s."id", s."priceFen", s."maxPerOrder", (s."active" AND p."active") AS "onSale", p."feeRateBp", c."deliveryFeeFen"
    FROM "Sku" s JOIN "Product" p ON p."id" = s."productId" JOIN "Cooperative" c ON c."id" = p."cooperativeId"
    WHERE s."id" = ANY(${lines.map((l) => l.skuId)})`;
  const skuById = new Map(skus.map((sku) => [sku.id, sku]));
  const problems: CheckoutProblem[] = [];
  for (const line of lines) {
    const sku = skuById.get(line.skuId);
    if (!sku) problems.push({ kind: "unknown_sku", skuId: line.skuId });
    else if (!sku.onSale) problems.push({ kind: "inactive", skuId: line.skuId });
    else {
      if (sku.priceFen !== line.expectedUnitPriceFen) problems.push({ kind: "price_changed", skuId: sku.id, expectedFen: line.expectedUnitPriceFen, currentFen: sku.priceFen });
      if (line.quantity > sku.maxPerOrder) problems.push({ kind: "over_limit", skuId: sku.id, limit: sku.maxPerOrder });
    }
  }
  if (input.paymentMethod === "card" && !input.cardPaymentConfigured) problems.push({ kind: "card_not_configured" });

  const fulfilment = input.fulfilment;
  if (fulfilment.kind === "group_pickup") problems.push(...(await groupOrderProblems(tx, input, fulfilment.groupOrderId, lines, buyer.unitId, now)));
  else if (input.paymentMethod !== "card") problems.push({ kind: "payment_not_allowed" });
  if (problems.length) throw new CheckoutRejected(problems);

  const orderLines = lines.map((line) => {
    const sku = skuById.get(line.skuId)!;
    return { skuId: sku.id, quantity: line.quantity, unitPriceFen: sku.priceFen, lineTotalFen: sku.priceFen * line.quantity, feeRateBp: sku.feeRateBp };
  });
  const subtotalFen = orderLines.reduce((sum, l) => sum + l.lineTotalFen, 0);
  const deliveryFeeFen = fulfilment.kind === "delivery" ? (skus[0]?.deliveryFeeFen ?? 0) : 0;
  const delivery = fulfilment.kind === "delivery" ? fulfilment : null;
  const order: PlacedOrder = {
    id: randomUUID(),
    number: orderNumber(now),
    totalFen: subtotalFen + deliveryFeeFen,
    expiresAt: input.paymentMethod === "card" ? new Date(now.getTime() + input.paymentTtlMinutes * 60_000) : null,
    paymentMethod: input.paymentMethod,
  };
  const created = await tx.$queryRaw<{ id: string; skuId: string; quantity: number }[]>`
    WITH new_order AS (
      INSERT INTO "Order" ("id", "number", "userId", "unitId", "groupOrderId", "fulfilment", "paymentMethod", "subtotalFen",
        "deliveryFeeFen", "totalFen", "recipientName", "recipientPhone", "address", "idempotencyKey", "expiresAt", "createdAt", "updatedAt")
      VALUES (${order.id}, ${order.number}, ${input.userId}, ${buyer.unitId}, ${fulfilment.kind === "group_pickup" ? fulfilment.groupOrderId : null},
        ${fulfilment.kind}::"Fulfilment", ${input.paymentMethod}::"PaymentMethod", ${subtotalFen}, ${deliveryFeeFen}, ${order.totalFen},
        ${delivery?.recipientName ?? null}, ${delivery?.recipientPhone ?? null}, ${delivery?.address ?? null}, ${key}, ${order.expiresAt}, ${now}, ${now})
      RETURNING "id"
    )
    INSERT INTO "OrderLine" ("id", "orderId", "skuId", "quantity", "unitPriceFen", "lineTotalFen", "feeRateBp")
    SELECT gen_random_uuid()::text, (SELECT "id" FROM new_order), l."skuId", l."quantity", l."unitPriceFen", l."lineTotalFen", l."feeRateBp"
    FROM jsonb_to_recordset(${JSON.stringify(orderLines)}::jsonb)
      AS l("skuId" text, "quantity" int, "unitPriceFen" int, "lineTotalFen" int, "feeRateBp" int)
    RETURNING "id", "skuId", "quantity"`;
  // Stock is taken last, right before commit: the lots' row locks are what every buyer queues on.
  for (const line of created.sort((a, b) => a.skuId.localeCompare(b.skuId))) {
    await allocateFromLots(tx, line.id, line.skuId, line.quantity, now);
  }
  return order;
}

/** A unique index refused the write, whether Prisma wrote it (P2002) or our SQL did (P2010 with SQLSTATE 23505). */
function isUniqueViolation(error: unknown) {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const cause = (error.meta as { driverAdapterError?: { cause?: { originalCode?: string } } } | undefined)?.driverAdapterError?.cause;
  return error.code === "P2002" || (error.code === "P2010" && cause?.originalCode === "23505");
}

/** The same SKU twice in a submission counts as one line; quantities must be whole and positive. */
function mergeLines(lines: CheckoutLine[]) {
  const merged = new Map<string, CheckoutLine>();
  for (const line of lines) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0 || line.quantity > MAX_LINE_QUANTITY) {
      throw new CheckoutRejected([{ kind: "over_limit", skuId: line.skuId, limit: MAX_LINE_QUANTITY }]);
    }
    const seen = merged.get(line.skuId);
    merged.set(line.skuId, seen ? { ...seen, quantity: seen.quantity + line.quantity } : { ...line });
  }
  return [...merged.values()];
}

type GroupRow = {
  status: string;
  opensAt: Date;
  closesAt: Date;
  allowCard: boolean;
  allowUnitSettlement: boolean;
  invited: boolean;
  items: { skuId: string; perPersonLimit: number | null; bought: number }[];
};

/**
 * The group order's window, invitation, payment modes and per-person limits, in one read. It takes no lock on the
 * group order: every buyer of a rush reads that one row, and share locks on it would make them all write to it.
 */
async function groupOrderProblems(tx: Prisma.TransactionClient, input: PlaceOrderInput, groupOrderId: string, lines: CheckoutLine[], unitId: string | null, now: Date) {
  const [group] = await tx.$queryRaw<GroupRow[]>`
    SELECT g."status"::text AS "status", g."opensAt", g."closesAt", g."allowCard", g."allowUnitSettlement",
      EXISTS (SELECT 1 FROM "GroupOrderUnit" u WHERE u."groupOrderId" = g."id" AND u."unitId" = ${unitId}) AS "invited",
      COALESCE((
        SELECT json_agg(json_build_object('skuId', i."skuId", 'perPersonLimit', i."perPersonLimit", 'bought', COALESCE((
          SELECT SUM(l."quantity") FROM "OrderLine" l JOIN "Order" o ON o."id" = l."orderId"
          WHERE o."userId" = ${input.userId} AND o."groupOrderId" = g."id" AND o."status" IN ('pending_payment', 'paid') AND l."skuId" = i."skuId"
        ), 0)))
        FROM "GroupOrderItem" i WHERE i."groupOrderId" = g."id"
      ), '[]'::json) AS "items"
    FROM "GroupOrder" g WHERE g."id" = ${groupOrderId}`;
  if (!group || group.status !== "open" || group.opensAt > now || group.closesAt <= now) return [{ kind: "group_not_open" } as const];
  const problems: CheckoutProblem[] = [];
  if (!unitId) problems.push({ kind: "no_unit" });
  else if (!group.invited) problems.push({ kind: "not_invited" });
  if ((input.paymentMethod === "card" && !group.allowCard) || (input.paymentMethod === "unit_settlement" && !group.allowUnitSettlement)) {
    problems.push({ kind: "payment_not_allowed" });
  }
  const itemBySku = new Map(group.items.map((i) => [i.skuId, i]));
  for (const line of lines) {
    const item = itemBySku.get(line.skuId);
    if (!item) problems.push({ kind: "not_offered", skuId: line.skuId });
    else if (item.perPersonLimit != null && Number(item.bought) + line.quantity > item.perPersonLimit) {
      problems.push({ kind: "over_limit", skuId: line.skuId, limit: Math.max(0, item.perPersonLimit - Number(item.bought)) });
    }
  }
  return problems;
}

/** Quick, lock-free sold-out answer before a checkout takes any lock (most of a rush's losers stop here). */
export async function soldOutSkus(lines: CheckoutLine[], now = new Date()) {
  const problems: CheckoutProblem[] = [];
  for (const line of mergeLines(lines)) {
    let available = await availableUnits(db, line.skuId, now);
    if (available < line.quantity && (await expireOverdueOrdersAtMostEvery(now)) > 0) available = await availableUnits(db, line.skuId, now);
    if (available < line.quantity) problems.push({ kind: "sold_out", skuId: line.skuId, available });
  }
  return problems;
}

const LAZY_EXPIRY_INTERVAL_MS = 5_000;
let lastLazyExpiry = 0;

/** After a sell-out every later buyer would look for lapsed orders; one look per few seconds is enough. */
async function expireOverdueOrdersAtMostEvery(now: Date) {
  if (now.getTime() - lastLazyExpiry < LAZY_EXPIRY_INTERVAL_MS) return 0;
  lastLazyExpiry = now.getTime();
  return expireOverdueOrders(now);
}

/**
 * Releases the stock of unpaid card orders whose payment window has passed. Safe to run from every app server at
 * once: each order is taken under a row lock with SKIP LOCKED, and only while it is still unpaid.
 */
export async function expireOverdueOrders(now = new Date()) {
  const overdue = await db.order.findMany({
    where: { status: "pending_payment", paymentMethod: "card", expiresAt: { lt: now } },
    select: { id: true },
    take: 500,
  });
  let expired = 0;
  for (const { id } of overdue) {
    if (await expireOrder(id, now, { onlyIfOverdue: true })) expired++;
  }
  return expired;
}

/** Expires one unpaid order and returns its stock; false if it was paid or already ended meanwhile. */
export async function expireOrder(orderId: string, now = new Date(), { onlyIfOverdue = false } = {}) {
  return db.$transaction((tx) => expireOrderInTransaction(tx, orderId, now, { onlyIfOverdue, skipLocked: true }));
}

/**
 * The transaction-level form, for callers already in one (a Stripe event). With skipLocked an order that another
 * process holds is left to it rather than waited for.
 */
export async function expireOrderInTransaction(
  tx: Prisma.TransactionClient,
  orderId: string,
  now: Date,
  { onlyIfOverdue = false, skipLocked = false } = {},
) {
  const [order] = skipLocked
    ? await tx.$queryRaw<{ status: string; expiresAt: Date | null }[]>`
        SELECT "status"::text AS "status", "expiresAt" FROM "Order" WHERE "id" = ${orderId} FOR UPDATE SKIP LOCKED`
    : await tx.$queryRaw<{ status: string; expiresAt: Date | null }[]>`
        SELECT "status"::text AS "status", "expiresAt" FROM "Order" WHERE "id" = ${orderId} FOR UPDATE`;
  if (!order || order.status !== "pending_payment") return false;
  if (onlyIfOverdue && (!order.expiresAt || order.expiresAt >= now)) return false;
  await releaseOrderAllocations(tx, orderId, now);
  await tx.order.update({ where: { id: orderId }, data: { status: "expired" } });
  await tx.payment.updateMany({ where: { orderId, status: "pending" }, data: { status: "expired" } });
  return true;
}

/** The cooperative's home-delivery fee (one cooperative serves the shop today). */
export async function deliveryFeeFen() {
  const cooperative = await db.cooperative.findFirst({ orderBy: { createdAt: "asc" }, select: { deliveryFeeFen: true } });
  return cooperative?.deliveryFeeFen ?? 0;
}
