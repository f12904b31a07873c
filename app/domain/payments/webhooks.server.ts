// Stripe's word on a Checkout Session, applied exactly once. The event is verified against the endpoint's signing
// secret, then recorded and applied in one transaction: its id is the PaymentEvent primary key, so a replay finds it
// already there, and a concurrent duplicate waits on the unique index until the first commits and then finds it too
// (DOMAIN §5.4). If applying throws, the record rolls back with everything else and Stripe's retry starts afresh.
import Stripe from "stripe";
import { z } from "zod";
import { config } from "~/config.server";
import { db, type Prisma } from "~/db/client.server";
import { recordAudit } from "~/domain/audit.server";
import { expireOrderInTransaction } from "~/domain/shop/checkout.server";
import { confirmOrderPayment } from "~/domain/ledger/ledger.server";
import { logger } from "~/utils/logger.server";

type Tx = Prisma.TransactionClient;

export type WebhookResult = { status: 200 | 400; body: Record<string, string | boolean> };

type Applied = { outcome: string; error?: string };

const RecordedRows = z.array(z.object({ id: z.string() }));
const LockedOrderRows = z.array(z.object({ id: z.string(), totalFen: z.int(), currency: z.string() }));

type Target = { order: z.infer<typeof LockedOrderRows>[number]; paymentId: string; session: CheckoutSession };

const SESSION_EVENTS = [
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "checkout.session.async_payment_failed",
  "checkout.session.expired",
] as const;

/** The fields of a Checkout Session this shop reads; anything else Stripe sends is passed over. */
const CheckoutSessionSchema = z.object({
  id: z.string().min(1),
  metadata: z.record(z.string(), z.string()).nullish(),
  payment_status: z.string(),
  amount_total: z.int().nullable(),
  currency: z.string().nullable(),
  payment_intent: z.union([z.string(), z.object({ id: z.string() })]).nullish(),
});
type CheckoutSession = z.infer<typeof CheckoutSessionSchema>;

/**
 * The event's shape, checked after its signature: a signed body is still only as well-formed as the sender made it
 * (issue 17: `data.object: null` was a 500). Events of other types only need an id and a type to be recorded.
 */
const EventSchema = z.discriminatedUnion("handled", [
  z.object({
    handled: z.literal(true),
    id: z.string().min(1),
    type: z.enum(SESSION_EVENTS),
    data: z.object({ object: CheckoutSessionSchema }),
  }),
  z.object({ handled: z.literal(false), id: z.string().min(1), type: z.string().min(1) }),
]);
type ShopEvent = z.infer<typeof EventSchema>;

function readEvent(event: Stripe.Event) {
  const raw = event as unknown as { type?: unknown };
  return EventSchema.safeParse({ ...event, handled: (SESSION_EVENTS as readonly unknown[]).includes(raw.type) });
}

export async function handleStripeWebhook(rawBody: string, signature: string | null, now = new Date()): Promise<WebhookResult> {
  const secret = config().stripe.webhookSecret;
  if (!secret) return { status: 400, body: { error: "The webhook signing secret is not configured" } };
  if (!signature) return { status: 400, body: { error: "Missing Stripe-Signature header" } };
  let signed: Stripe.Event;
  try {
    signed = Stripe.webhooks.constructEvent(rawBody, signature, secret);
  } catch {
    return { status: 400, body: { error: "Invalid signature" } };
  }
  const parsed = readEvent(signed);
  if (!parsed.success) {
    // Answered 200 so Stripe does not retry what will never parse; nothing is recorded, the log line says why.
    const issues = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    logger().warn(
      { eventId: (signed as { id?: unknown }).id, type: (signed as { type?: unknown }).type, issues },
      "malformed Stripe event ignored",
    );
    return { status: 200, body: { received: true, outcome: "ignored" } };
  }
  const event = parsed.data;

  return db.$transaction(
    async (tx): Promise<WebhookResult> => {
      const recorded = RecordedRows.parse(
        await tx.$queryRaw`
          INSERT INTO "PaymentEvent" ("id", "type", "payload") VALUES (${event.id}, ${event.type}, ${rawBody}::jsonb)
          ON CONFLICT ("id") DO NOTHING
          RETURNING "id"`,
      );
      if (recorded.length === 0) return { status: 200, body: { received: true, duplicate: true } };
      const { outcome, error } = await applyEvent(tx, event, now);
      await tx.paymentEvent.update({ where: { id: event.id }, data: { processedAt: now, error } });
      return { status: 200, body: { received: true, outcome } };
    },
    { timeout: 20_000, maxWait: 20_000 },
  );
}

async function applyEvent(tx: Tx, event: ShopEvent, now: Date): Promise<Applied> {
  if (!event.handled) return { outcome: "ignored" };
  switch (event.type) {
    case "checkout.session.completed":
      // Bank debits and the like settle later, in async_payment_succeeded or async_payment_failed.
      return forSession(tx, event.data.object, (target) =>
        target.session.payment_status === "paid" ? recordPaid(tx, target, now) : { outcome: "awaiting_async_payment" },
      );
    case "checkout.session.async_payment_succeeded":
      return forSession(tx, event.data.object, (target) => recordPaid(tx, target, now));
    case "checkout.session.async_payment_failed":
      return forSession(tx, event.data.object, (target) => recordUnpaid(tx, target, "failed", now));
    case "checkout.session.expired":
      return forSession(tx, event.data.object, (target) => recordUnpaid(tx, target, "expired", now));
  }
}

/**
 * Finds the session's order and locks it before anything else is written: every path that changes an order's
 * payment (placing, expiring, confirming) takes the order's row lock first, so two events for one order queue
 * instead of deadlocking. The Payment row is made here if the one written at session creation is missing.
 */
async function forSession(tx: Tx, session: CheckoutSession, apply: (target: Target) => Applied | Promise<Applied>): Promise<Applied> {
  const orderId =
    session.metadata?.orderId ??
    (await tx.payment.findUnique({ where: { stripeSessionId: session.id }, select: { orderId: true } }))?.orderId;
  const [order] = orderId
    ? LockedOrderRows.parse(await tx.$queryRaw`SELECT "id", "totalFen", "currency" FROM "Order" WHERE "id" = ${orderId} FOR UPDATE`)
    : [];
  // Answered 200 all the same: retrying cannot make an unknown order appear, and Stripe would retry for days.
  if (!order)
    return { outcome: "unknown_order", error: `No order for Checkout Session ${session.id} (metadata.orderId: ${orderId ?? "none"})` };
  const payment = await tx.payment.upsert({
    where: { stripeSessionId: session.id },
    create: {
      orderId: order.id,
      method: "card",
      status: "pending",
      amountFen: session.amount_total ?? 0,
      currency: order.currency,
      stripeSessionId: session.id,
    },
    update: {},
    select: { id: true },
  });
  return apply({ order, paymentId: payment.id, session });
}

async function recordPaid(tx: Tx, { order, paymentId, session }: Target, now: Date): Promise<Applied> {
  const paymentIntent = typeof session.payment_intent === "string" ? session.payment_intent : (session.payment_intent?.id ?? null);
  // Money taken is money taken, even for a payment already given up on here; a refund undoes it, not this status.
  await tx.payment.updateMany({
    where: { id: paymentId, status: { in: ["pending", "failed", "expired"] } },
    data: { status: "succeeded", succeededAt: now, stripePaymentIntentId: paymentIntent },
  });
  if (session.amount_total !== order.totalFen || session.currency !== order.currency.toLowerCase()) {
    const charged = `${session.amount_total} ${session.currency}`;
    await recordAudit(tx, {
      actorId: null,
      action: "payment.amount_mismatch",
      entityType: "Order",
      entityId: order.id,
      changes: { paymentId, charged, totalFen: order.totalFen },
    });
    return { outcome: "amount_mismatch", error: `Charged ${charged} for an order of ${order.totalFen} fen; not credited` };
  }
  return { outcome: await confirmOrderPayment(tx, order.id, paymentId, now) };
}

async function recordUnpaid(tx: Tx, { order, paymentId }: Target, status: "failed" | "expired", now: Date): Promise<Applied> {
  await tx.payment.updateMany({ where: { id: paymentId, status: "pending" }, data: { status } });
  // A no-op for an order that was paid meanwhile (an `expired` arriving after `completed`).
  const released = await expireOrderInTransaction(tx, order.id, now);
  return { outcome: released ? "order_expired" : "order_unchanged" };
}
