// Placing an order: validate the cart against today's prices, limits and the chosen group order, then reserve stock
// from lots in the same statement that writes the order (the place_order SQL function, decision 7). Nothing is
// written unless all of it succeeds; a retried submission with the same idempotency key returns the first order.
// Every reason not to place it is a refusal of one DomainError (code `checkout.problems.<kind>`), so the buyer is
// told everything that stands in the way at once.
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { z } from "zod";
import { Prisma, db, queryRows } from "~/db/client.server";
import { isDeadlock, isUniqueViolation, sqlState } from "~/db/errors.server";
import type { PaymentMethod } from "~/db/generated/client";
import { releaseOrderAllocations } from "~/domain/cooperative/allocation.server";
import { DomainError, isDomainError, isNonEmpty, type Refusal } from "~/domain/errors";
import { listOpenGroupOrdersForUnit } from "~/domain/group-orders/queries.server";
import { orderNumberDay, shopToday } from "~/utils/dates";
import { type LogContext, logContext, withRequestsLogContext } from "~/utils/logger.server";
import { countCheckout, countPlacementBatch } from "~/utils/metrics.server";
import { naturalBatches } from "~/utils/natural-batches";
import { acknowledgeCartPrices, getCartForCheckout } from "./cart.server";

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

export type PlacedOrder = { id: string; number: string; totalFen: number; expiresAt: Date | null; paymentMethod: PaymentMethod };

const skuProblem = <Kind extends string>(kind: Kind) => z.object({ kind: z.literal(kind), skuId: z.string() });

/** What place_order answers, checked before anything is decided on it: the function returns untyped JSON. */
const CheckoutProblem = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("empty") }),
  skuProblem("unknown_sku"),
  skuProblem("inactive"),
  skuProblem("not_offered"),
  skuProblem("price_changed").extend({ expectedFen: z.int(), currentFen: z.int() }),
  skuProblem("over_limit").extend({ limit: z.int() }),
  skuProblem("sold_out").extend({ available: z.int() }),
  z.object({ kind: z.enum(["group_not_open", "not_invited", "no_unit"]) }),
  z.object({ kind: z.enum(["payment_not_allowed", "card_not_configured"]) }),
]);
export type CheckoutProblem = z.infer<typeof CheckoutProblem>;

const PlacedRow = z.object({
  id: z.string(),
  number: z.string(),
  totalFen: z.int(),
  expiresAt: z.number().nullable(),
  paymentMethod: z.enum(["card", "unit_settlement"]),
});
const PlacementAnswer = z.union([
  z.object({ replayed: PlacedRow }),
  z.object({ placed: PlacedRow }),
  z.object({ problems: z.array(CheckoutProblem).min(1) }),
]);
type PlacementAnswer = z.infer<typeof PlacementAnswer>;

const MAX_LINE_QUANTITY = 1_000;

/**
 * At most this many placements go to the database in one call. Each is a subtransaction of the batch's transaction;
 * PostgreSQL keeps 64 of a transaction's subtransactions in shared memory before every other snapshot gets slower.
 */
const PLACEMENT_BATCH_MAX = 16;

function orderNumber(now: Date) {
  return `AS${orderNumberDay(now)}-${randomBytes(4).toString("hex").toUpperCase()}`;
}

const placedOrder = (row: z.infer<typeof PlacedRow>): PlacedOrder => ({
  ...row,
  expiresAt: row.expiresAt === null ? null : new Date(row.expiresAt),
});

/** Which field of the checkout form a problem is about; problems with the goods are about the whole cart. */
const PROBLEM_FIELDS: Partial<Record<CheckoutProblem["kind"], string>> = {
  group_not_open: "fulfilment",
  not_invited: "fulfilment",
  no_unit: "fulfilment",
  payment_not_allowed: "paymentMethod",
  card_not_configured: "paymentMethod",
};

/** A problem as a refusal: its message key and the values the page needs to say it (the SKU, the numbers). */
function problemRefusal(problem: CheckoutProblem): Refusal {
  const { kind, ...params } = problem;
  const field = PROBLEM_FIELDS[kind];
  return {
    code: `checkout.problems.${kind}`,
    ...(field ? { field } : {}),
    ...(Object.keys(params).length ? { params } : {}),
  };
}

/** 409 whatever the problems: each is about the state of the cart, the stock or the group order now. */
function refuse(problems: CheckoutProblem[]): never {
  const refusals = problems.map(problemRefusal);
  if (!isNonEmpty(refusals)) throw new Error("A checkout refusal needs at least one problem");
  throw DomainError.of(refusals, 409);
}

/**
 * Places an order in one call to the `place_order` SQL function (docs/decisions/0007-checkout-in-one-statement.md):
 * it answers a retried submission with its order, validates the lines against today's prices and limits and the
 * group order, writes the order and takes the stock from lots, and empties those items from the buyer's cart — all
 * in one autocommit statement, so the lots' row locks every buyer of a rush queues on are never held across a round
 * trip to this process.
 */
export async function placeOrder(input: PlaceOrderInput): Promise<{ order: PlacedOrder; replayed: boolean }> {
  try {
    const result = await placeOrderOnce(input);
    countCheckout(result.replayed ? "replayed" : "placed");
    return result;
  } catch (error) {
    countCheckout(isDomainError(error) ? (error.refusals[0]?.code.replace("checkout.problems.", "") ?? "refused") : "error");
    throw error;
  }
}

/** What `place_order` is called with for one placement at `now`. Exported for the test of what it reads. */
export function placementCall(input: PlaceOrderInput, now: Date) {
  const lines = input.lines === "cart" ? "cart" : mergeLines(input.lines);
  const fulfilment = input.fulfilment;
  const delivery = fulfilment.kind === "delivery" ? fulfilment : null;
  const expiresAt = input.paymentMethod === "card" ? new Date(now.getTime() + input.paymentTtlMinutes * 60_000) : null;
  return {
    userId: input.userId,
    key: `${input.userId}:${input.idempotencyKey}`,
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
}

async function placeOrderOnce(input: PlaceOrderInput): Promise<{ order: PlacedOrder; replayed: boolean }> {
  const now = input.now ?? new Date();
  const call = placementCall(input, now);

  let answer: PlacementAnswer;
  try {
    answer = await callPlaceOrder(call);
    // After a sell-out, lapsed card orders may be holding the stock: release them (at most every few seconds) and try once more.
    if ("problems" in answer && answer.problems.some((p) => p.kind === "sold_out") && (await expireOverdueOrdersAtMostEvery(now)) > 0) {
      answer = await callPlaceOrder(call);
    }
  } catch (error) {
    const soldOut = soldOutRaised(error);
    if (soldOut) refuse([soldOut]);
    if (isUniqueViolation(error)) {
      // A concurrent retry of the same submission won the unique key: answer with its order.
      const winner = await db.order.findUnique({ where: { idempotencyKey: call.key }, select: placedSelect });
      if (winner) return { order: winner, replayed: true };
    }
    throw error;
  }
  if ("problems" in answer) {
    // The refusal tells the buyer the new prices, so the next submission of the cart accepts them.
    if (call.lines === "cart" && answer.problems.some((p) => p.kind === "price_changed")) await acknowledgeCartPrices(input.userId);
    refuse(answer.problems);
  }
  if ("replayed" in answer) return { order: placedOrder(answer.replayed), replayed: true };
  return { order: placedOrder(answer.placed), replayed: false };
}

const placedSelect = { id: true, number: true, totalFen: true, expiresAt: true, paymentMethod: true } as const;

/** What place_orders answers for each call: place_order's answer, or the SQLSTATE and message of what it raised. */
const BatchAnswer = z.union([z.object({ failed: z.object({ sqlState: z.string(), message: z.string() }) }), PlacementAnswer]);

/**
 * Placements wait for the batch in flight and then go together in one call to `place_orders` (decision 23): in a rush
 * every placement queues on the same lots, and a batch passes their locks on, flushes the WAL and crosses the network
 * once for all its orders. A lone placement goes at once. Batches leave in arrival order, so the first buyers get the
 * stock first, and one at a time, so placements hold one pool connection between them.
 */
const placeInBatch = naturalBatches(placeBatch, { maxSize: PLACEMENT_BATCH_MAX });

/** A placement and the log context of the request it is for: a batch's lines belong to all of its requests. */
type Placement = { call: object; log: LogContext | undefined };

/** On the pool, not through Prisma: in a rush this process's CPU per call is what the buyers queue on (decision 22). */
async function placeBatch(placements: Placement[]): Promise<unknown[]> {
  countPlacementBatch(placements.length);
  return withRequestsLogContext(
    placements.map((placement) => placement.log),
    async () => {
      const calls = placements.map((placement) => placement.call);
      const [row] = await queryRows<{ answers: unknown }>("place_orders", `SELECT "place_orders"($1::jsonb) AS "answers"`, [
        JSON.stringify(calls),
      ]);
      return z.array(z.unknown()).parse(row?.answers);
    },
  );
}

async function callPlaceOrder(call: object): Promise<PlacementAnswer> {
  const answer = BatchAnswer.parse(await placeInBatch({ call, log: logContext() }));
  if (!("failed" in answer)) return answer;
  // The error PostgreSQL raised inside the batch, so that it reads as if the placement had been called alone.
  const raised = new pg.DatabaseError(answer.failed.message, 0, "error");
  raised.code = answer.failed.sqlState;
  // Another batch (of another app process) locked lots in the opposite order; placed alone, the order takes its lots
  // in SKU order as every other writer of lots does.
  if (isDeadlock(raised)) return placeAlone(call);
  throw raised;
}

async function placeAlone(call: object): Promise<PlacementAnswer> {
  const [row] = await queryRows<{ answer: unknown }>("place_order", `SELECT "place_order"($1::jsonb) AS "answer"`, [JSON.stringify(call)]);
  return PlacementAnswer.parse(row?.answer);
}

/**
 * `place_order` raises "sold_out <skuId> <available>" when a line runs short under the lots' locks (another buyer
 * took the stock between its unlocked look and its turn at the lock).
 */
export function soldOutRaised(error: unknown): CheckoutProblem | null {
  if (sqlState(error) !== "P0001" || !(error instanceof Error)) return null;
  const match = /\bsold_out (\S+) (\d+)/.exec(error.message);
  return match ? { kind: "sold_out", skuId: match[1]!, available: Number(match[2]) } : null;
}

/** The same SKU twice in a submission counts as one line; quantities must be whole and positive. */
function mergeLines(lines: CheckoutLine[]): CheckoutLine[] {
  const merged = new Map<string, CheckoutLine>();
  for (const line of lines) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0 || line.quantity > MAX_LINE_QUANTITY) {
      refuse([{ kind: "over_limit", skuId: line.skuId, limit: MAX_LINE_QUANTITY }]);
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

const LockedOrderRows = z.array(z.object({ status: z.string(), expiresAt: z.date().nullable() }));

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
  const [order] = LockedOrderRows.parse(
    skipLocked
      ? await tx.$queryRaw`
        SELECT "status"::text AS "status", "expiresAt" FROM "Order" WHERE "id" = ${orderId} FOR UPDATE SKIP LOCKED`
      : await tx.$queryRaw`
        SELECT "status"::text AS "status", "expiresAt" FROM "Order" WHERE "id" = ${orderId} FOR UPDATE`,
  );
  if (!order || order.status !== "pending_payment") return false;
  if (onlyIfOverdue && (!order.expiresAt || order.expiresAt >= now)) return false;
  await releaseOrderAllocations(tx, orderId, now);
  await tx.order.update({ where: { id: orderId }, data: { status: "expired" } });
  await tx.payment.updateMany({ where: { orderId, status: "pending" }, data: { status: "expired" } });
  return true;
}

/** The cooperative's home-delivery fee (one cooperative serves the shop today). */
export async function deliveryFeeFen() {
  const [cooperative] = await queryRows<{ deliveryFeeFen: number }>(
    "Cooperative.deliveryFee",
    `SELECT "deliveryFeeFen" FROM "Cooperative" ORDER BY "createdAt", "id" LIMIT 1`,
    [],
  );
  return cooperative?.deliveryFeeFen ?? 0;
}

/**
 * The ways a buyer can get an order now, with what each is paid by: their unit's open group orders (the payment
 * modes each allows, the SKUs it offers) and home delivery (its fee). Checkout-options.ts says which payment fits.
 */
export async function waysToGetOrder(unitId: string | null, now = new Date()) {
  const [groups, deliveryFee] = await Promise.all([unitId ? listOpenGroupOrdersForUnit(unitId, now) : [], deliveryFeeFen()]);
  return {
    groupOrders: groups.map((group) => ({
      id: group.id,
      title: group.title,
      pickupPoint: group.pickupPoint,
      deliveryDate: group.deliveryDate,
      closesAt: group.closesAt,
      allowCard: group.allowCard,
      allowUnitSettlement: group.allowUnitSettlement,
      skuIds: group.items.map((item) => item.skuId),
    })),
    deliveryFeeFen: deliveryFee,
  };
}

/**
 * The checkout page: the buyer's cart at today's prices, and each way of getting it. A group order that does not
 * offer everything in the cart names what it lacks, so the page can say why it cannot be chosen.
 */
export async function checkoutPage(user: { id: string; unitId: string | null }, now = new Date()) {
  const [cart, ways] = await Promise.all([getCartForCheckout(user.id, now), waysToGetOrder(user.unitId, now)]);
  const lines = cart.map((line) => ({
    skuId: line.skuId,
    quantity: line.quantity,
    priceFen: line.priceFen,
    nameZh: `${line.productNameZh} ${line.skuNameZh}`,
    nameEn: `${line.productNameEn} ${line.skuNameEn}`,
  }));
  const groupOrders = ways.groupOrders.map(({ skuIds, ...group }) => {
    const offered = new Set(skuIds);
    return { ...group, notOffered: lines.filter((line) => !offered.has(line.skuId)).map(({ nameZh, nameEn }) => ({ nameZh, nameEn })) };
  });
  return { lines, groupOrders, deliveryFeeFen: ways.deliveryFeeFen, hasUnit: user.unitId !== null };
}
