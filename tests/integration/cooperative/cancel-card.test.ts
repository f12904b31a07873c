import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { db } from "~/db/client.server";
import { cancelUnpaidOrder } from "~/domain/cooperative/fulfilment.server";

import { createCheckoutSessionForOrder } from "~/domain/payments/stripe.server";
import { createEmployee, createLot, createShop } from "../fixtures";
import { cancelNow, createUserWithRoles, joinGroupOrder, openGroupOrder } from "../group-orders/helpers";
import { placeCardOrder } from "../payments/fixtures";
import { createCoopUser, useFakeStripe } from "./fixtures";

const { stripe, server } = useFakeStripe();
const urls = { successUrl: "http://shop.test/ok", cancelUrl: "http://shop.test/back" };

async function sessionOf(orderId: string) {
  const payment = await db.payment.findFirstOrThrow({ where: { orderId }, select: { stripeSessionId: true } });
  return stripe.sessions.get(payment.stripeSessionId!)!;
}

describe("cancelling a card order before it is paid", () => {
  it("expires its open Checkout Session, so the buyer can no longer pay for it", async () => {
    const placed = await placeCardOrder(2, [5]);
    await createCheckoutSessionForOrder(placed.order.id, urls);
    expect((await sessionOf(placed.order.id)).status).toBe("open");

    expect(await cancelUnpaidOrder(placed.order.id, await createCoopUser(placed.shop.village.id))).toBe(true);
    expect((await sessionOf(placed.order.id)).status).toBe("expired");
  });

  it("still cancels when Stripe cannot be reached (a late payment is then flagged for a refund)", async () => {
    const placed = await placeCardOrder(1, [5]);
    await createCheckoutSessionForOrder(placed.order.id, urls);
    server.use(http.post("https://api.stripe.com/v1/checkout/sessions/:id/expire", () => HttpResponse.error()));
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await cancelUnpaidOrder(placed.order.id, await createCoopUser(placed.shop.village.id))).toBe(true);
    expect(logged).toHaveBeenCalledWith(expect.stringContaining("Could not expire Checkout Session"), expect.anything());
    logged.mockRestore();
    expect(await db.order.findUniqueOrThrow({ where: { id: placed.order.id }, select: { status: true } })).toEqual({ status: "cancelled" });
    expect((await sessionOf(placed.order.id)).status).toBe("open");
  });

  it("expires the sessions of a cancelled group order's unpaid card orders", async () => {
    const shop = await createShop();
    await createLot(shop, 10);
    const organizer = await createUserWithRoles(shop.unit.id, ["organizer"]);
    const { id } = await openGroupOrder(shop, organizer);
    const orders = [
      await joinGroupOrder(shop, id, (await createEmployee(shop.unit.id)).id, 1, "card"),
      await joinGroupOrder(shop, id, (await createEmployee(shop.unit.id)).id, 2, "card"),
    ];
    for (const order of orders) await createCheckoutSessionForOrder(order.id, urls);

    await cancelNow(organizer, id);
    for (const order of orders) expect((await sessionOf(order.id)).status).toBe("expired");
  });
});
