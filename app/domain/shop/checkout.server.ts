// Placing an order: validate the cart against today's prices, limits and the chosen group order, then reserve stock
// from lots in the same statement that writes the order (the place_order SQL function, decision 7). Nothing is
// written unless all of it succeeds; a retried submission with the same idempotency key returns the first order.
import { randomBytes, randomUUID } from "node:crypto";
import pLimit from "p-limit";
import { Prisma, db } from "~/db/client.server";
import { isUniqueViolation } from "~/db/errors.server";
import type { PaymentMethod } from "~/db/generated/client";
import { releaseOrderAllocations } from "~/domain/cooperative/allocation.server";
import { orderNumberDay, shopToday } from "~/utils/dates";
import { countCheckout } from "~/utils/metrics.server";

export type CheckoutLine = { skuId: string; quantity: number; expectedUnitPriceFen: number };

export type Fulfilment =
  { kind: "group_pickup"; groupOrderId: string } | { kind: "delivery"; recipientName: string; recipientPhone: string; address: string };

export type PlaceOrderInput = {
  userId: string;
  idempotencyKey: string;
  /** The lines to buy, or "cart" for what the buyer's cart holds at the prices it showed them. */
  lines: CheckoutLine[] | "cart";
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

const checkoutSlots = pLimit(8);

/**
 * Admits a checkout submission, in arrival order, a few at a time; call the returned function when its database
 * work is done. In a rush hundreds of submissions arrive together: admitted all at once, each would wait behind
 * every other's queries and the first buyers would finish no sooner than the last. Admitted in order, the first
 * buyers are served (and get the stock) first, and waiting submissions hold nothing. The Stripe call that follows
 * a card order happens after leaving, so a slow payment API does not hold a slot.
 */
export function enterCheckout(): Promise<() => void> {
  return new Promise((admitted) => {
    void checkoutSlots(() => new Promise<void>((leave) => admitted(leave)));
  });
}

function orderNumber(now: Date) {
  return `AS${orderNumberDay(now)}-${randomBytes(4).toString("hex").toUpperCase()}`;
}

type PlacedRow = Omit<PlacedOrder, "expiresAt"> & { expiresAt: number | null };
type PlacementAnswer = { replayed: PlacedRow } | { placed: PlacedRow } | { problems: CheckoutProblem[] };

const placedOrder = (row: PlacedRow): PlacedOrder => ({ ...row, expiresAt: row.expiresAt === null ? null : new Date(row.expiresAt) });

/**
 * Places an order in one call to the `place_order` SQL function (docs/decisions/0007-checkout-in-one-statement.md):
 * it answers a retried submission with its order, validates the lines against today's prices and limits and the
 * group order, writes the order and takes the stock from lots, and empties those items from the buyer's cart — all
 * in one autocommit statement, so the lots' row locks every buyer of a rush queues on are never held across a round
 * trip to this process.
 */
export async function placeOrder(input: PlaceOrderInput): Promise<PlaceOrderResult> {
  try {
    const result = await placeOrderOnce(input);
    countCheckout(result.ok ? (result.replayed ? "replayed" : "placed") : (result.problems[0]?.kind ?? "refused"));
    return result;
  } catch (error) {
    countCheckout("error");
    throw error;
  }
}

async function placeOrderOnce(input: PlaceOrderInput): Promise<PlaceOrderResult> {
  const now = input.now ?? new Date();
  const key = `${input.userId}:${input.idempotencyKey}`;
  const lines = input.lines === "cart" ? "cart" : mergeLines(input.lines);
  if (!Array.isArray(lines) && lines !== "cart") return { ok: false, problems: [lines] };

  const fulfilment = input.fulfilment;
  const delivery = fulfilment.kind === "delivery" ? fulfilment : null;
  const expiresAt = input.paymentMethod === "card" ? new Date(now.getTime() + input.paymentTtlMinutes * 60_000) : null;
  const call = {
    userId: input.userId,
    key,
    orderId: randomUUID(),
    number: orderNumber(now),
    now,
    today: shopToday(now).toISOString().slice(0, 10),
    paymentMethod: input.paymentMethod,
    cardConfigured: input.cardPaymentConfigured,
    expiresAt,
    fulfilment: fulfilment.kind,
    groupOrderId: fulfilment.kind === "group_pickup" ? fulfilment.groupOrderId : null,
    recipientName: delivery?.recipientName ?? null,
    recipientPhone: delivery?.recipientPhone ?? null,
    address: delivery?.address ?? null,
    lines: lines === "cart" ? lines : lines.map((line, ord) => ({ ...line, ord })),
  };

  let answer: PlacementAnswer;
  try {
    answer = await callPlaceOrder(call);
    // After a sell-out, lapsed card orders may be holding the stock: release them (at most every few seconds) and try once more.
    if ("problems" in answer && answer.problems.some((p) => p.kind === "sold_out") && (await expireOverdueOrdersAtMostEvery(now)) > 0) {
      answer = await callPlaceOrder(call);
    }
  } catch (error) {
    const soldOut = soldOutRaised(error);
    if (soldOut) return { ok: false, problems: [soldOut] };
    if (isUniqueViolation(error)) {
      // A concurrent retry of the same submission won the unique key: answer with its order.
      const winner = await db.order.findUnique({ where: { idempotencyKey: key }, select: placedSelect });
      if (winner) return { ok: true, order: winner, replayed: true };
    }
    throw error;
  }
  if ("problems" in answer) return { ok: false, problems: answer.problems };
  if ("replayed" in answer) return { ok: true, order: placedOrder(answer.replayed), replayed: true };
  return { ok: true, order: placedOrder(answer.placed), replayed: false };
}

const placedSelect = { id: true, number: true, totalFen: true, expiresAt: true, paymentMethod: true } as const;

async function callPlaceOrder(call: object): Promise<PlacementAnswer> {
  const [row] = await db.$queryRaw<{ answer: PlacementAnswer }[]>`SELECT "place_order"(${JSON.stringify(call)}::jsonb) AS "answer"`;
  return row!.answer;
}

/**
 * `place_order` raises "sold_out <skuId> <available>" when a line runs short under the lots' locks (another buyer
 * took the stock between its unlocked look and its turn at the lock).
 */
export function soldOutRaised(error: unknown): CheckoutProblem | null {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return null;
  const match = /\bsold_out (\S+) (\d+)/.exec(error.message);
  return match ? { kind: "sold_out", skuId: match[1]!, available: Number(match[2]) } : null;
}

/** The same SKU twice in a submission counts as one line; quantities must be whole and positive. */
function mergeLines(lines: CheckoutLine[]): CheckoutLine[] | CheckoutProblem {
  const merged = new Map<string, CheckoutLine>();
  for (const line of lines) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0 || line.quantity > MAX_LINE_QUANTITY) {
      return { kind: "over_limit", skuId: line.skuId, limit: MAX_LINE_QUANTITY };
    }
    const seen = merged.get(line.skuId);
    merged.set(line.skuId, seen ? { ...seen, quantity: seen.quantity + line.quantity } : { ...line });
  }
  return [...merged.values()];
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
