// Placing an order: validate the cart against today's prices, limits and the chosen group order, then reserve stock
// from lots in the same transaction that writes the order (allocation.server.ts). Nothing is written unless all of
// it succeeds; a retried submission with the same idempotency key returns the order the first one created.
import { randomBytes } from "node:crypto";
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
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      // A concurrent retry of the same submission won the unique key: answer with its order.
      const winner = await db.order.findUnique({ where: { idempotencyKey: key }, select: placedSelect });
      if (winner) return { ok: true, order: winner, replayed: true };
    }
    throw error;
  }
}

async function placeOrderInTransaction(tx: Prisma.TransactionClient, input: PlaceOrderInput, key: string, now: Date): Promise<PlacedOrder> {
  const lines = mergeLines(input.lines);
  if (lines.length === 0) throw new CheckoutRejected([{ kind: "empty" }]);

  // One checkout at a time per buyer, so per-person limits cannot be beaten by submitting twice at once.
  const [buyer] = await tx.$queryRaw<{ unitId: string | null }[]>`SELECT "unitId" FROM "User" WHERE "id" = ${input.userId} FOR UPDATE`;
  if (!buyer) throw new Error(`User ${input.userId} not found`);

  const skus = await tx.sku.findMany({
    where: { id: { in: lines.map((l) => l.skuId) } },
    select: { id: true, priceFen: true, maxPerOrder: true, active: true, product: { select: { active: true, feeRateBp: true, cooperativeId: true } } },
  });
  const skuById = new Map(skus.map((s) => [s.id, s]));
  const problems: CheckoutProblem[] = [];
  for (const line of lines) {
    const sku = skuById.get(line.skuId);
    if (!sku) problems.push({ kind: "unknown_sku", skuId: line.skuId });
    else if (!sku.active || !sku.product.active) problems.push({ kind: "inactive", skuId: line.skuId });
    else {
      if (sku.priceFen !== line.expectedUnitPriceFen) problems.push({ kind: "price_changed", skuId: sku.id, expectedFen: line.expectedUnitPriceFen, currentFen: sku.priceFen });
      if (line.quantity > sku.maxPerOrder) problems.push({ kind: "over_limit", skuId: sku.id, limit: sku.maxPerOrder });
    }
  }
  if (input.paymentMethod === "card" && !input.cardPaymentConfigured) problems.push({ kind: "card_not_configured" });

  let deliveryFeeFen = 0;
  let groupOrderId: string | null = null;
  if (input.fulfilment.kind === "group_pickup") {
    groupOrderId = input.fulfilment.groupOrderId;
    problems.push(...(await groupOrderProblems(tx, input, lines, buyer.unitId, now)));
  } else {
    const cooperativeId = skus[0]?.product.cooperativeId;
    const cooperative = cooperativeId ? await tx.cooperative.findUnique({ where: { id: cooperativeId }, select: { deliveryFeeFen: true } }) : null;
    deliveryFeeFen = cooperative?.deliveryFeeFen ?? 0;
    if (input.paymentMethod !== "card") problems.push({ kind: "payment_not_allowed" });
  }
  if (problems.length) throw new CheckoutRejected(problems);

  const orderLines = lines.map((line) => {
    const sku = skuById.get(line.skuId)!;
    return { skuId: sku.id, quantity: line.quantity, unitPriceFen: sku.priceFen, lineTotalFen: sku.priceFen * line.quantity, feeRateBp: sku.product.feeRateBp };
  });
  const subtotalFen = orderLines.reduce((sum, l) => sum + l.lineTotalFen, 0);
  const fulfilment = input.fulfilment;
  const order = await tx.order.create({
    data: {
      number: orderNumber(now),
      userId: input.userId,
      unitId: buyer.unitId,
      groupOrderId,
      fulfilment: fulfilment.kind,
      paymentMethod: input.paymentMethod,
      subtotalFen,
      deliveryFeeFen,
      totalFen: subtotalFen + deliveryFeeFen,
      idempotencyKey: key,
      expiresAt: input.paymentMethod === "card" ? new Date(now.getTime() + input.paymentTtlMinutes * 60_000) : null,
      ...(fulfilment.kind === "delivery"
        ? { recipientName: fulfilment.recipientName, recipientPhone: fulfilment.recipientPhone, address: fulfilment.address }
        : {}),
      createdAt: now,
      lines: { create: orderLines },
    },
    select: { ...placedSelect, lines: { select: { id: true, skuId: true } } },
  });
  // Stock is taken last, right before commit: the lots' row locks are what every buyer queues on.
  for (const line of [...order.lines].sort((a, b) => a.skuId.localeCompare(b.skuId))) {
    await allocateFromLots(tx, line.id, line.skuId, orderLines.find((l) => l.skuId === line.skuId)!.quantity, now);
  }
  const { lines: _created, ...placed } = order;
  return placed;
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

async function groupOrderProblems(tx: Prisma.TransactionClient, input: PlaceOrderInput, lines: CheckoutLine[], unitId: string | null, now: Date) {
  const groupOrderId = input.fulfilment.kind === "group_pickup" ? input.fulfilment.groupOrderId : "";
  // FOR SHARE: an organizer closing the group order waits for orders being placed, and vice versa.
  const [group] = await tx.$queryRaw<{ status: string; opensAt: Date; closesAt: Date; allowCard: boolean; allowUnitSettlement: boolean }[]>`
    SELECT "status"::text AS "status", "opensAt", "closesAt", "allowCard", "allowUnitSettlement"
    FROM "GroupOrder" WHERE "id" = ${groupOrderId} FOR SHARE`;
  if (!group || group.status !== "open" || group.opensAt > now || group.closesAt <= now) return [{ kind: "group_not_open" } as const];
  const problems: CheckoutProblem[] = [];
  if (!unitId) problems.push({ kind: "no_unit" });
  else if (!(await tx.groupOrderUnit.findUnique({ where: { groupOrderId_unitId: { groupOrderId, unitId } } }))) problems.push({ kind: "not_invited" });
  if ((input.paymentMethod === "card" && !group.allowCard) || (input.paymentMethod === "unit_settlement" && !group.allowUnitSettlement)) {
    problems.push({ kind: "payment_not_allowed" });
  }
  const items = await tx.groupOrderItem.findMany({ where: { groupOrderId }, select: { skuId: true, perPersonLimit: true } });
  const itemBySku = new Map(items.map((i) => [i.skuId, i]));
  const bought = await tx.orderLine.groupBy({
    by: ["skuId"],
    where: { order: { userId: input.userId, groupOrderId, status: { in: ["pending_payment", "paid"] } } },
    _sum: { quantity: true },
  });
  const boughtBySku = new Map(bought.map((b) => [b.skuId, b._sum.quantity ?? 0]));
  for (const line of lines) {
    const item = itemBySku.get(line.skuId);
    if (!item) problems.push({ kind: "not_offered", skuId: line.skuId });
    else if (item.perPersonLimit != null && (boughtBySku.get(line.skuId) ?? 0) + line.quantity > item.perPersonLimit) {
      problems.push({ kind: "over_limit", skuId: line.skuId, limit: Math.max(0, item.perPersonLimit - (boughtBySku.get(line.skuId) ?? 0)) });
    }
  }
  return problems;
}

/** Quick, lock-free sold-out answer before a checkout takes any lock (most of a rush's losers stop here). */
export async function soldOutSkus(lines: CheckoutLine[], now = new Date()) {
  const problems: CheckoutProblem[] = [];
  for (const line of mergeLines(lines)) {
    let available = await availableUnits(db, line.skuId, now);
    if (available < line.quantity && (await expireOverdueOrders(now)) > 0) available = await availableUnits(db, line.skuId, now);
    if (available < line.quantity) problems.push({ kind: "sold_out", skuId: line.skuId, available });
  }
  return problems;
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
