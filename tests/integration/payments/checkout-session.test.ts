import { http, HttpResponse } from "msw";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { expireOrder } from "~/domain/shop/checkout.server";
import { isDomainError } from "~/domain/errors";
import { cardPaymentConfigured, createCheckoutSessionForOrder, stripeClient } from "~/domain/payments/stripe.server";
import { FakeStripeAccount, stripeHandlers } from "../../mocks/stripe";
import { DELIVERY_FEE_FEN, PRICE_FEN, placeCardOrder, useFakeStripe, useStripeConfig } from "./fixtures";

const { stripe, server } = useFakeStripe();
const urls = { successUrl: "http://shop.test/orders/AS1?paid=1", cancelUrl: "http://shop.test/orders/AS1" };
const MINUTE = 60_000;
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

async function onlySession() {
  expect(stripe.sessions.size).toBe(1);
  return [...stripe.sessions.values()][0]!;
}

describe("opening Stripe Checkout for a card order", () => {
  it("sends the order's lines and delivery fee in fen and CNY under the order's idempotency key, and records a pending payment", async () => {
    const { order } = await placeCardOrder(3, [10], { ttlMinutes: 120 });
    const { url } = await createCheckoutSessionForOrder(order.id, urls);

    expect(stripe.createRequests).toHaveLength(1);
    const [request] = stripe.createRequests;
    expect(request!.idempotencyKey).toBe(`checkout-session:${order.id}`);
    expect(request!.params).toEqual({
      mode: "payment",
      line_items: [
        { quantity: "3", price_data: { currency: "cny", unit_amount: String(PRICE_FEN), product_data: { name: "无公害桃 5公斤" } } },
        { quantity: "1", price_data: { currency: "cny", unit_amount: String(DELIVERY_FEE_FEN), product_data: { name: "配送费" } } },
      ],
      allowed_payment_method_types: ["card"],
      expires_at: String(seconds(order.expiresAt!)),
      client_reference_id: order.id,
      metadata: { orderId: order.id, orderNumber: order.number },
      success_url: urls.successUrl,
      cancel_url: urls.cancelUrl,
    });
    const session = await onlySession();
    expect(url).toBe(session.url);
    expect(session.amount_total).toBe(3 * PRICE_FEN + DELIVERY_FEE_FEN);
    expect(session.amount_total).toBe(order.totalFen);
    const payments = await db.payment.findMany({ where: { orderId: order.id } });
    expect(payments).toEqual([
      expect.objectContaining({
        method: "card",
        status: "pending",
        amountFen: order.totalFen,
        currency: "CNY",
        stripeSessionId: session.id,
      }),
    ]);
  });

  it("never asks for a session shorter than Stripe's 30 minutes, and holds the stock as long as the session", async () => {
    const now = new Date();
    const { order } = await placeCardOrder(1, [10], { now: new Date(now.getTime() - 5 * MINUTE) });
    expect(order.expiresAt!.getTime() - now.getTime()).toBe(25 * MINUTE);
    await createCheckoutSessionForOrder(order.id, urls, now);
    const expiresAt = Number(stripe.createRequests[0]!.params.expires_at);
    expect(expiresAt - seconds(now)).toBeGreaterThanOrEqual(30 * 60);
    const held = await db.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(seconds(held.expiresAt!)).toBe(expiresAt);
    expect(held.status).toBe("pending_payment");
  });

  it("gives a second click the same open session instead of creating another", async () => {
    const { order } = await placeCardOrder(1, [10]);
    const first = await createCheckoutSessionForOrder(order.id, urls);
    const second = await createCheckoutSessionForOrder(order.id, urls);
    expect(second.url).toBe(first.url);
    expect(stripe.createRequests).toHaveLength(1);
    expect(await db.payment.count()).toBe(1);
  });

  it("gets the same session back from Stripe when the first answer was lost before it was recorded", async () => {
    const now = new Date();
    const { order } = await placeCardOrder(1, [10], { now });
    const first = await createCheckoutSessionForOrder(order.id, urls, now);
    await db.payment.deleteMany();
    const retried = await createCheckoutSessionForOrder(order.id, urls, now);
    expect(retried.url).toBe(first.url);
    expect(stripe.createRequests).toHaveLength(2);
    expect(stripe.sessions.size).toBe(1);
    expect(await db.payment.count()).toBe(1);
  });

  it("opens no new session once the order's session is complete or expired", async () => {
    const { order } = await placeCardOrder(1, [10]);
    await createCheckoutSessionForOrder(order.id, urls);
    const session = await onlySession();
    stripe.complete(session.id);
    await expect(createCheckoutSessionForOrder(order.id, urls)).rejects.toMatchObject({ code: "payments.errors.already_completed" });
    stripe.update(session.id, { status: "expired", payment_status: "unpaid" });
    await expect(createCheckoutSessionForOrder(order.id, urls)).rejects.toMatchObject({ code: "payments.errors.not_payable" });
    expect(stripe.createRequests).toHaveLength(1);
  });

  it("refuses an order that is not awaiting card payment without calling Stripe", async () => {
    const { order } = await placeCardOrder(1, [10]);
    await expireOrder(order.id);
    await expect(createCheckoutSessionForOrder(order.id, urls)).rejects.toMatchObject({ code: "payments.errors.not_payable" });
    await expect(createCheckoutSessionForOrder("no-such-order", urls)).rejects.toMatchObject({ code: "payments.errors.not_payable" });
    expect(stripe.createRequests).toHaveLength(0);
  });

  it("offers WeChat Pay with its web client when the account has it enabled", async () => {
    useStripeConfig({ STRIPE_PAYMENT_METHODS: "card, wechat_pay" });
    const { order } = await placeCardOrder(1, [10]);
    await createCheckoutSessionForOrder(order.id, urls);
    expect(stripe.createRequests[0]!.params).toMatchObject({
      allowed_payment_method_types: ["card", "wechat_pay"],
      payment_method_options: { wechat_pay: { client: "web" } },
    });
  });

  it("turns Stripe's refusal into a 502 refusal the buyer can read, and records nothing", async () => {
    server.use(
      http.post("https://api.stripe.com/v1/checkout/sessions", () =>
        HttpResponse.json({ error: { type: "invalid_request_error", message: "Invalid currency: cny" } }, { status: 400 }),
      ),
    );
    const { order } = await placeCardOrder(1, [10]);
    const failure = await createCheckoutSessionForOrder(order.id, urls).catch((error: unknown) => error);
    expect(isDomainError(failure)).toBe(true);
    expect(failure).toMatchObject({ code: "payments.errors.rejected", status: 502 });
    expect((failure as Error).cause).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(await db.payment.count()).toBe(0);
  });

  it("talks to the API at STRIPE_API_BASE when one is set", async () => {
    const local = new FakeStripeAccount();
    server.use(...stripeHandlers(local, "http://127.0.0.1:12111"));
    useStripeConfig({ STRIPE_API_BASE: "http://127.0.0.1:12111" });
    const { order } = await placeCardOrder(1, [10]);
    await createCheckoutSessionForOrder(order.id, urls);
    expect(local.createRequests).toHaveLength(1);
    expect(stripe.createRequests).toHaveLength(0);
  });
});

describe("without Stripe keys", () => {
  it("reports card payment as not configured and opens no session", async () => {
    useStripeConfig({ STRIPE_SECRET_KEY: undefined });
    expect(cardPaymentConfigured()).toBe(false);
    expect(stripeClient()).toBeNull();
    const { order } = await placeCardOrder(1, [10]);
    await expect(createCheckoutSessionForOrder(order.id, urls)).rejects.toMatchObject({ code: "payments.errors.not_configured" });
  });

  it("needs the webhook secret too, since no order could become paid without it", () => {
    useStripeConfig({ STRIPE_WEBHOOK_SECRET: undefined });
    expect(cardPaymentConfigured()).toBe(false);
    useStripeConfig();
    expect(cardPaymentConfigured()).toBe(true);
    expect(stripeClient()).toBe(stripeClient());
  });
});
