import { describe, expect, it, vi } from "vitest";
import { db } from "~/db/client.server";
import { expireOrder } from "~/domain/shop/checkout.server";
import { createCheckoutSessionForOrder } from "~/domain/payments/stripe.server";
import { action, loader } from "~/routes/webhooks.stripe";
import { logger } from "~/utils/logger.server";
import { signedEvent, type FakeSession } from "../../mocks/stripe";
import { lotState } from "../fixtures";
import { PRICE_FEN, placeCardOrder, useFakeStripe, useStripeConfig } from "./fixtures";

const { stripe } = useFakeStripe();

/** A card order of 7 units from lots of 2, 2 and 10 (so allocations of 2, 2 and 3), with its Checkout Session open. */
async function openCheckout() {
  const placed = await placeCardOrder(7, [2, 2, 10]);
  await createCheckoutSessionForOrder(placed.order.id, { successUrl: "http://shop.test/ok", cancelUrl: "http://shop.test/cancel" });
  const session = [...stripe.sessions.values()][0]!;
  return { ...placed, session };
}

async function deliver(delivery: { body: string; signature: string | null }) {
  const headers = new Headers({ "Content-Type": "application/json" });
  if (delivery.signature) headers.set("Stripe-Signature", delivery.signature);
  const request = new Request("http://localhost/webhooks/stripe", { method: "POST", headers, body: delivery.body });
  const response = await action({ request, params: {}, context: {} });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const send = (type: string, session: FakeSession) => deliver(signedEvent(type, session));

async function orderState(orderId: string) {
  const order = await db.order.findUniqueOrThrow({
    where: { id: orderId },
    select: { status: true, payments: { select: { status: true } } },
  });
  return { order: order.status, payments: order.payments.map((p) => p.status) };
}

async function allocatedUnits(lots: { id: string }[]) {
  return Promise.all(lots.map(async (lot) => (await lotState(lot.id)).quantityAllocated));
}

describe("verifying Stripe's signature", () => {
  it("answers 400 to a missing, wrong-secret or tampered signature and writes nothing", async () => {
    const { order, lots, session } = await openCheckout();
    const paid = stripe.complete(session.id);
    const genuine = signedEvent("checkout.session.completed", paid);
    const attempts = [
      { body: genuine.body, signature: null },
      signedEvent("checkout.session.completed", paid, { secret: "whsec_someone_else" }),
      { body: genuine.body.replace(`"amount_total":${paid.amount_total}`, '"amount_total":1'), signature: genuine.signature },
    ];
    for (const attempt of attempts) expect((await deliver(attempt)).status).toBe(400);
    useStripeConfig({ STRIPE_WEBHOOK_SECRET: undefined });
    expect((await deliver(genuine)).status).toBe(400);

    expect(await db.paymentEvent.count()).toBe(0);
    expect(await db.ledgerEntry.count()).toBe(0);
    expect(await orderState(order.id)).toEqual({ order: "pending_payment", payments: ["pending"] });
    expect(await allocatedUnits(lots)).toEqual([2, 2, 3]);
  });
});

describe("a paid Checkout Session", () => {
  it("marks the order paid and credits each household's share and the cooperative's fee, to the fen", async () => {
    const { order, lots, shop, session } = await openCheckout();
    const paid = stripe.complete(session.id);
    const event = signedEvent("checkout.session.completed", paid);
    expect(await deliver(event)).toEqual({ status: 200, body: { received: true, outcome: "credited" } });

    const payment = await db.payment.findFirstOrThrow({ where: { orderId: order.id } });
    expect(payment).toMatchObject({ status: "succeeded", stripePaymentIntentId: paid.payment_intent, amountFen: order.totalFen });
    expect(payment.succeededAt).toBeInstanceOf(Date);
    expect(await db.order.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({ status: "paid", expiresAt: null });
    expect(await db.paymentEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({
      type: "checkout.session.completed",
      error: null,
      processedAt: expect.any(Date),
    });

    // Shares of 2, 2 and 3 units at 33.33; fee 8% rounded half-up per share, the household gets the rest.
    const entries = await db.ledgerEntry.findMany({
      where: { orderId: order.id },
      select: { kind: true, householdId: true, cooperativeId: true, amountFen: true, paymentId: true },
    });
    const credits = entries.filter((e) => e.kind === "sale_credit");
    const fees = entries.filter((e) => e.kind === "fee");
    expect(new Map(credits.map((e) => [e.householdId, e.amountFen]))).toEqual(
      new Map([
        [lots[0]!.householdId, 6666 - 533],
        [lots[1]!.householdId, 6666 - 533],
        [lots[2]!.householdId, 9999 - 800],
      ]),
    );
    expect(fees.map((e) => e.amountFen).sort()).toEqual([533, 533, 800]);
    expect(fees.every((e) => e.householdId === null && e.cooperativeId === shop.cooperative.id)).toBe(true);
    expect(entries.every((e) => e.paymentId === payment.id)).toBe(true);
    expect(entries.reduce((sum, e) => sum + e.amountFen, 0)).toBe(7 * PRICE_FEN);
    expect(await allocatedUnits(lots)).toEqual([2, 2, 3]);
  });

  it("credits once when the same event is delivered again", async () => {
    const { order, session } = await openCheckout();
    const event = signedEvent("checkout.session.completed", stripe.complete(session.id));
    await deliver(event);
    expect(await deliver(event)).toEqual({ status: 200, body: { received: true, duplicate: true } });
    expect(await db.ledgerEntry.count({ where: { orderId: order.id } })).toBe(6);
    expect(await db.paymentEvent.count()).toBe(1);
  });

  it("credits once when the same event arrives twice at the same moment", async () => {
    const { order, session } = await openCheckout();
    const event = signedEvent("checkout.session.completed", stripe.complete(session.id));
    const answers = await Promise.all([deliver(event), deliver(event)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers.filter((a) => a.body.duplicate === true)).toHaveLength(1);
    expect(answers.filter((a) => a.body.outcome === "credited")).toHaveLength(1);
    expect(await db.ledgerEntry.count({ where: { orderId: order.id } })).toBe(6);
    expect(await db.paymentEvent.count()).toBe(1);
  });

  it("waits for the async result of a completed but unpaid session, then credits on async_payment_succeeded", async () => {
    const { order, session } = await openCheckout();
    expect((await send("checkout.session.completed", stripe.complete(session.id, "unpaid"))).body.outcome).toBe("awaiting_async_payment");
    expect(await orderState(order.id)).toEqual({ order: "pending_payment", payments: ["pending"] });
    expect(
      (await send("checkout.session.async_payment_succeeded", stripe.update(session.id, { payment_status: "paid" }))).body.outcome,
    ).toBe("credited");
    expect(await orderState(order.id)).toEqual({ order: "paid", payments: ["succeeded"] });
    expect(await db.ledgerEntry.count({ where: { orderId: order.id } })).toBe(6);
  });

  it("does not credit a session whose amount differs from the order, and says so", async () => {
    const { order, session } = await openCheckout();
    const event = signedEvent(
      "checkout.session.completed",
      stripe.update(session.id, { status: "complete", payment_status: "paid", amount_total: 100 }),
    );
    expect((await deliver(event)).body.outcome).toBe("amount_mismatch");
    expect(await orderState(order.id)).toEqual({ order: "pending_payment", payments: ["succeeded"] });
    expect(await db.ledgerEntry.count()).toBe(0);
    expect((await db.paymentEvent.findUniqueOrThrow({ where: { id: event.id } })).error).toMatch(/not credited/);
    expect(await db.auditLog.count({ where: { action: "payment.amount_mismatch", entityId: order.id } })).toBe(1);
  });
});

describe("a session that ends unpaid", () => {
  it("releases the stock and expires the order on async_payment_failed", async () => {
    const { order, lots, session } = await openCheckout();
    await send("checkout.session.completed", stripe.complete(session.id, "unpaid"));
    expect((await send("checkout.session.async_payment_failed", session)).body.outcome).toBe("order_expired");
    expect(await orderState(order.id)).toEqual({ order: "expired", payments: ["failed"] });
    expect(await allocatedUnits(lots)).toEqual([0, 0, 0]);
    expect(await db.ledgerEntry.count()).toBe(0);
  });

  it("releases the stock and expires the order on checkout.session.expired", async () => {
    const { order, lots, session } = await openCheckout();
    expect((await send("checkout.session.expired", stripe.update(session.id, { status: "expired" }))).body.outcome).toBe("order_expired");
    expect(await orderState(order.id)).toEqual({ order: "expired", payments: ["expired"] });
    expect(await allocatedUnits(lots)).toEqual([0, 0, 0]);
  });
});

describe("events out of order", () => {
  it("leaves a paid order paid when `expired` arrives after `completed`", async () => {
    const { order, lots, session } = await openCheckout();
    await send("checkout.session.completed", stripe.complete(session.id));
    expect((await send("checkout.session.expired", { ...session, status: "expired" })).body.outcome).toBe("order_unchanged");
    expect(await orderState(order.id)).toEqual({ order: "paid", payments: ["succeeded"] });
    expect(await allocatedUnits(lots)).toEqual([2, 2, 3]);
    expect(await db.ledgerEntry.count()).toBe(6);
  });

  it("ends with one paid, credited order when `completed` and `expired` race each other", async () => {
    const { order, lots, session } = await openCheckout();
    await Promise.all([
      send("checkout.session.completed", stripe.complete(session.id)),
      send("checkout.session.expired", { ...session, status: "expired" }),
    ]);
    expect((await orderState(order.id)).order).toBe("paid");
    expect((await allocatedUnits(lots)).reduce((a, b) => a + b, 0)).toBe(7);
    const credited = await db.ledgerEntry.aggregate({ where: { orderId: order.id }, _sum: { amountFen: true } });
    expect(credited._sum.amountFen).toBe(7 * PRICE_FEN);
  });

  it("takes stock again for a payment that completes after the order expired here", async () => {
    const { order, lots, session } = await openCheckout();
    await expireOrder(order.id);
    expect(await allocatedUnits(lots)).toEqual([0, 0, 0]);
    expect((await send("checkout.session.completed", stripe.complete(session.id))).body.outcome).toBe("credited");
    expect(await orderState(order.id)).toEqual({ order: "paid", payments: ["succeeded"] });
    expect(await allocatedUnits(lots)).toEqual([2, 2, 3]);
    const credited = await db.ledgerEntry.aggregate({ where: { orderId: order.id }, _sum: { amountFen: true } });
    expect(credited._sum.amountFen).toBe(7 * PRICE_FEN);
  });

  it("flags the payment for a refund when the stock is gone by then", async () => {
    const { order, lots, session } = await openCheckout();
    await expireOrder(order.id);
    for (const lot of lots)
      await db.stockLot.update({ where: { id: lot.id }, data: { quantityWrittenOff: (await lotState(lot.id)).quantityReceived } });
    expect((await send("checkout.session.completed", stripe.complete(session.id))).body.outcome).toBe("needs_refund");
    expect(await orderState(order.id)).toEqual({ order: "expired", payments: ["succeeded"] });
    expect(await db.ledgerEntry.count()).toBe(0);
    expect(await db.auditLog.count({ where: { action: "payment.needs_refund", entityId: order.id } })).toBe(1);
  });
});

describe("events the shop does not act on", () => {
  it("records an unknown event type and answers 200", async () => {
    const { order, session } = await openCheckout();
    const event = signedEvent("customer.created", session);
    expect(await deliver(event)).toEqual({ status: 200, body: { received: true, outcome: "ignored" } });
    expect(await db.paymentEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({
      type: "customer.created",
      error: null,
      processedAt: expect.any(Date),
    });
    expect(await orderState(order.id)).toEqual({ order: "pending_payment", payments: ["pending"] });
  });

  it("records an event for an unknown session with an error note and answers 200, so Stripe stops retrying", async () => {
    const { session } = await openCheckout();
    const event = signedEvent("checkout.session.completed", {
      ...session,
      id: "cs_test_elsewhere",
      metadata: {},
      status: "complete",
      payment_status: "paid",
    });
    expect(await deliver(event)).toEqual({ status: 200, body: { received: true, outcome: "unknown_order" } });
    expect((await db.paymentEvent.findUniqueOrThrow({ where: { id: event.id } })).error).toMatch(
      /No order for Checkout Session cs_test_elsewhere/,
    );
    expect(await db.payment.count()).toBe(1);
  });
});

describe("signed events of an unexpected shape", () => {
  it("answers 200 ignored with a log line and writes nothing for a session event whose object is missing or malformed", async () => {
    const { order, lots, session } = await openCheckout();
    const warn = vi.spyOn(logger(), "warn");
    const paid = stripe.complete(session.id);
    const malformed = [
      signedEvent("checkout.session.completed", null as unknown as FakeSession),
      signedEvent("checkout.session.completed", { ...paid, id: undefined } as unknown as FakeSession),
      signedEvent("checkout.session.expired", { ...paid, amount_total: "700" } as unknown as FakeSession),
      signedEvent("checkout.session.completed", { ...paid, metadata: { orderId: 7 } } as unknown as FakeSession),
    ];
    for (const event of malformed) expect(await deliver(event)).toEqual({ status: 200, body: { received: true, outcome: "ignored" } });
    expect(warn.mock.calls.filter(([, message]) => message === "malformed Stripe event ignored")).toHaveLength(malformed.length);
    warn.mockRestore();

    expect(await db.paymentEvent.count()).toBe(0);
    expect(await db.ledgerEntry.count()).toBe(0);
    expect(await orderState(order.id)).toEqual({ order: "pending_payment", payments: ["pending"] });
    expect(await allocatedUnits(lots)).toEqual([2, 2, 3]);
  });
});

describe("a failure while applying an event", () => {
  it("answers 500 with nothing recorded, so Stripe's retry is applied in full", async () => {
    const { order, session } = await openCheckout();
    const event = signedEvent("checkout.session.completed", stripe.complete(session.id));
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    await db.$executeRawUnsafe(
      `CREATE FUNCTION "fail_payment_write"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated outage'; END $$`,
    );
    await db.$executeRawUnsafe(
      `CREATE TRIGGER "fail_payment_write" BEFORE UPDATE ON "Payment" FOR EACH ROW EXECUTE FUNCTION "fail_payment_write"()`,
    );
    try {
      expect((await deliver(event)).status).toBe(500);
      expect(logged).toHaveBeenCalled();
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER "fail_payment_write" ON "Payment"`);
      await db.$executeRawUnsafe(`DROP FUNCTION "fail_payment_write"()`);
      logged.mockRestore();
    }
    expect(await db.paymentEvent.count()).toBe(0);
    expect(await orderState(order.id)).toEqual({ order: "pending_payment", payments: ["pending"] });

    expect((await deliver(event)).body.outcome).toBe("credited");
    expect(await db.ledgerEntry.count({ where: { orderId: order.id } })).toBe(6);
  });
});

describe("the endpoint", () => {
  it("answers anything but POST with 405", async () => {
    const response = await loader({ request: new Request("http://localhost/webhooks/stripe"), params: {}, context: {} });
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("POST");
  });
});
