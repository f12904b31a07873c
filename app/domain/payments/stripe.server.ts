// Card payment through Stripe Checkout (DOMAIN §6). One Checkout Session per order: it is created under the
// idempotency key `checkout-session:<orderId>`, so a retried or doubled "pay" click can never open a second way to
// pay the same order, and the session expires with the order's stock reservation. The order becomes paid only
// through the signed webhook (webhooks.server.ts), never through the buyer's return to success_url.
import Stripe from "stripe";
import { z } from "zod";
import { config, type AppConfig } from "~/config.server";
import { db } from "~/db/client.server";
import { DomainError, notFound } from "~/domain/errors";

type CheckoutSessionFailure = "not_configured" | "not_payable" | "already_completed" | "rejected" | "unavailable";

const FAILURE_STATUS = { not_configured: 409, not_payable: 409, already_completed: 409, rejected: 502, unavailable: 503 } as const;

/** Why a Checkout Session could not be opened, in words the buyer can read; none of these is a 500. */
function checkoutSessionRefused(reason: CheckoutSessionFailure, cause?: unknown) {
  return new DomainError(`payments.errors.${reason}`, { status: FAILURE_STATUS[reason], cause });
}

// Stripe refuses an expires_at less than 30 minutes after it creates the session; the extra minute covers the
// request's latency and clock skew between us and Stripe.
const MIN_SESSION_LIFETIME_MS = 31 * 60_000;
// …and one 24 hours or more after.
const MAX_SESSION_LIFETIME_S = 24 * 60 * 60 - 60;
// The buyer is waiting on the redirect; the SDK's default of 80 s is far longer than anyone waits.
const STRIPE_TIMEOUT_MS = 20_000;

let memo: { settings: AppConfig["stripe"]; client: Stripe | null } | undefined;

/** The Stripe client, or null when no secret key is configured. Rebuilt only when the configuration is replaced. */
export function stripeClient(): Stripe | null {
  const settings = config().stripe;
  if (memo?.settings !== settings) {
    memo = {
      settings,
      client: settings.secretKey ? new Stripe(settings.secretKey, { timeout: STRIPE_TIMEOUT_MS, ...settings.apiBase }) : null,
    };
  }
  return memo.client;
}

/** Card payment needs both the API key and the webhook secret: without the webhook no order could become paid. */
export function cardPaymentConfigured() {
  const { secretKey, webhookSecret } = config().stripe;
  return Boolean(secretKey && webhookSecret);
}

export async function createCheckoutSessionForOrder(
  orderId: string,
  urls: { successUrl: string; cancelUrl: string },
  now = new Date(),
): Promise<{ url: string }> {
  const stripe = stripeClient();
  if (!stripe) throw checkoutSessionRefused("not_configured");
  const order = await db.order.findUnique({
    where: { id: orderId },
    select: {
      id: true,
      number: true,
      status: true,
      paymentMethod: true,
      expiresAt: true,
      deliveryFeeFen: true,
      totalFen: true,
      currency: true,
      lines: {
        orderBy: { id: "asc" },
        select: { quantity: true, unitPriceFen: true, sku: { select: { nameZh: true, product: { select: { nameZh: true } } } } },
      },
      payments: { where: { stripeSessionId: { not: null } }, orderBy: { createdAt: "desc" }, take: 1, select: { stripeSessionId: true } },
    },
  });
  if (!order || order.status !== "pending_payment" || order.paymentMethod !== "card" || !order.expiresAt || order.expiresAt <= now) {
    throw checkoutSessionRefused("not_payable");
  }

  const existingSessionId = order.payments[0]?.stripeSessionId;
  if (existingSessionId) return { url: await openSessionUrl(stripe, existingSessionId) };

  const expiresAt = await holdStockForSession(orderId, now);
  const currency = order.currency.toLowerCase();
  const lineItems = order.lines.map((line) => ({
    quantity: line.quantity,
    price_data: { currency, unit_amount: line.unitPriceFen, product_data: { name: `${line.sku.product.nameZh} ${line.sku.nameZh}` } },
  }));
  if (order.deliveryFeeFen > 0) {
    lineItems.push({ quantity: 1, price_data: { currency, unit_amount: order.deliveryFeeFen, product_data: { name: "配送费" } } });
  }
  // What Stripe charges must be what the ledger will credit; a difference is a bug, never something to send.
  if (lineItems.reduce((sum, item) => sum + item.price_data.unit_amount * item.quantity, 0) !== order.totalFen) {
    throw new Error(`Order ${order.number}: line items do not add up to the order total`);
  }
  const methods = config().stripe.paymentMethods;
  const session = await callStripe(() =>
    stripe.checkout.sessions.create(
      {
        mode: "payment",
        line_items: lineItems,
        allowed_payment_method_types: methods,
        ...(methods.includes("wechat_pay") ? { payment_method_options: { wechat_pay: { client: "web" } } } : {}),
        expires_at: Math.min(Math.floor(expiresAt.getTime() / 1000), Math.floor(now.getTime() / 1000) + MAX_SESSION_LIFETIME_S),
        client_reference_id: order.id,
        metadata: { orderId: order.id, orderNumber: order.number },
        success_url: urls.successUrl,
        cancel_url: urls.cancelUrl,
      },
      { idempotencyKey: `checkout-session:${order.id}` },
    ),
  );
  if (!session.url) throw checkoutSessionRefused("rejected", new Error(`Stripe returned session ${session.id} without a URL`));
  await db.payment.upsert({
    where: { stripeSessionId: session.id },
    create: {
      orderId: order.id,
      method: "card",
      status: "pending",
      amountFen: order.totalFen,
      currency: order.currency,
      stripeSessionId: session.id,
    },
    update: {},
  });
  return { url: session.url };
}

/**
 * The order's session, if the buyer can still pay in it. A new session is never made for an order that already had
 * one: under the same idempotency key Stripe would only replay the first, and a second payable session could take
 * the money twice.
 */
async function openSessionUrl(stripe: Stripe, sessionId: string) {
  const session = await callStripe(() => stripe.checkout.sessions.retrieve(sessionId));
  if (session.status === "open" && session.url) return session.url;
  throw checkoutSessionRefused(session.status === "complete" ? "already_completed" : "not_payable");
}

/**
 * Closes the Checkout Sessions of orders cancelled before they were paid, so their buyers can no longer pay for
 * goods that will not come. Best effort, after the cancellation has committed: a session Stripe has already closed
 * is left as it is, and if Stripe cannot be reached, a payment that still arrives is flagged for a refund by the
 * webhook (confirmOrderPayment answers "needs_refund" for a cancelled order).
 */
export async function expireCheckoutSessions(orderIds: string[]) {
  const stripe = stripeClient();
  if (!stripe || orderIds.length === 0) return 0;
  const sessions = await db.payment.findMany({
    where: { orderId: { in: orderIds }, stripeSessionId: { not: null } },
    select: { stripeSessionId: true },
  });
  let expired = 0;
  for (const { stripeSessionId } of sessions) {
    try {
      await stripe.checkout.sessions.expire(stripeSessionId!);
      expired++;
    } catch (error) {
      // Stripe refuses to expire a session that is no longer open: it was paid (the webhook handles that) or expired.
      if (!(error instanceof Stripe.errors.StripeInvalidRequestError))
        console.error(`Could not expire Checkout Session ${stripeSessionId}:`, error);
    }
  }
  return expired;
}

const HeldRows = z.array(z.object({ expiresAt: z.date() }));

/**
 * Makes the order hold its stock at least as long as Stripe's shortest session, so a payment Stripe accepts always
 * finds the order still reserved. One guarded UPDATE, so it cannot revive an order that expired meanwhile.
 */
async function holdStockForSession(orderId: string, now: Date) {
  const earliest = new Date(now.getTime() + MIN_SESSION_LIFETIME_MS);
  const [held] = HeldRows.parse(
    await db.$queryRaw`
      UPDATE "Order" SET "expiresAt" = GREATEST("expiresAt", ${earliest}), "updatedAt" = ${now}
      WHERE "id" = ${orderId} AND "status" = 'pending_payment' AND "paymentMethod" = 'card' AND "expiresAt" > ${now}
      RETURNING "expiresAt"`,
  );
  if (!held) throw checkoutSessionRefused("not_payable");
  return held.expiresAt;
}

async function callStripe<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (
      error instanceof Stripe.errors.StripeConnectionError ||
      error instanceof Stripe.errors.StripeAPIError ||
      error instanceof Stripe.errors.StripeRateLimitError
    ) {
      throw checkoutSessionRefused("unavailable", error);
    }
    if (error instanceof Stripe.errors.StripeError) throw checkoutSessionRefused("rejected", error);
    throw error;
  }
}

/** Where Stripe sends the buyer back to: the order, saying it was paid (the webhook confirms it) or not. */
function returnUrls(orderNumber: string) {
  const orderUrl = `${config().appUrl}/orders/${encodeURIComponent(orderNumber)}`;
  return { successUrl: `${orderUrl}?paid=1`, cancelUrl: orderUrl };
}

/**
 * Where to send the buyer of a card order just placed: Stripe Checkout, or back to the order when payment could not
 * start. The order keeps its stock until its payment window closes, and its page offers to try again.
 */
export async function startCardPayment(order: { id: string; number: string }): Promise<string> {
  try {
    return (await createCheckoutSessionForOrder(order.id, returnUrls(order.number))).url;
  } catch (error) {
    console.error(`Could not start Stripe Checkout for order ${order.number}:`, error);
    return `/orders/${encodeURIComponent(order.number)}?payment=failed`;
  }
}

/** The buyer's "pay now" on their unpaid card order: its Checkout Session (the same one if it is still open). */
export async function payForOrder(userId: string, orderNumber: string) {
  const order = await db.order.findFirst({ where: { number: orderNumber, userId }, select: { id: true, number: true } });
  if (!order) throw notFound();
  return createCheckoutSessionForOrder(order.id, returnUrls(order.number));
}
