// "Pay now" on the buyer's order page: the way back to Stripe Checkout for a card order whose payment did not start
// or was left, and the refusals a buyer reads when it cannot be paid.
import { describe, expect, it } from "vitest";
import { createUserSession } from "~/auth/session.server";
import { expireOrder } from "~/domain/shop/checkout.server";
import { action } from "~/routes/orders.$number";
import type { FormAnswer } from "~/utils/forms";
import { createEmployee } from "../fixtures";
import { outcome, routeRequest } from "../route-helpers";
import { placeCardOrder, useFakeStripe, useStripeConfig } from "./fixtures";

const { stripe } = useFakeStripe();

async function cookieOf(userId: string) {
  return (await createUserSession(userId, "/")).headers.get("Set-Cookie")!.split(";")[0]!;
}

const pay = (cookie: string, number: string, form: Record<string, string> = { intent: "pay" }) =>
  outcome(() => action({ request: routeRequest(`/orders/${number}`, cookie, form), params: { number }, context: {} }));

const errorsOf = (answer: { data?: unknown }) => (answer.data as FormAnswer).result.error ?? {};

describe("paying for an unpaid card order from its page", () => {
  it("sends the buyer to the order's Checkout Session, the same one on a second click", async () => {
    const { order, buyer } = await placeCardOrder(1, [10]);
    const cookie = await cookieOf(buyer.id);
    const first = await pay(cookie, order.number);
    expect(first.status).toBe(302);
    const [session] = [...stripe.sessions.values()];
    expect(first.location).toBe(session!.url);
    expect(session!.success_url).toBe(`http://shop.test/orders/${order.number}?paid=1`);
    expect(await pay(cookie, order.number)).toMatchObject({ status: 302, location: session!.url });
    expect(stripe.createRequests).toHaveLength(1);
  });

  it("says why an order cannot be paid: expired (409), or online payment not configured (409)", async () => {
    const { order, buyer } = await placeCardOrder(1, [10]);
    const cookie = await cookieOf(buyer.id);
    useStripeConfig({ STRIPE_SECRET_KEY: undefined });
    const unconfigured = await pay(cookie, order.number);
    expect(unconfigured.status).toBe(409);
    expect(errorsOf(unconfigured)).toEqual({ "": ["payments.errors.not_configured"] });

    useStripeConfig();
    await expireOrder(order.id);
    const expired = await pay(cookie, order.number);
    expect(expired.status).toBe(409);
    expect(errorsOf(expired)).toEqual({ "": ["payments.errors.not_payable"] });
    expect(stripe.createRequests).toHaveLength(0);
  });

  it("is a 404 for another buyer's order", async () => {
    const { order, shop } = await placeCardOrder(1, [10]);
    const other = await createEmployee(shop.unit.id);
    const answer = await pay(await cookieOf(other.id), order.number);
    expect(answer.status).toBe(404);
    expect(stripe.createRequests).toHaveLength(0);
  });

  it("answers an empty form, a wrong intent and an over-long one with 400 and a message, calling nobody", async () => {
    const { order, buyer } = await placeCardOrder(1, [10]);
    const cookie = await cookieOf(buyer.id);
    const forms: Record<string, string>[] = [{}, { intent: "refund" }, { intent: `pay${"x".repeat(5000)}` }];
    for (const form of forms) {
      const answer = await pay(cookie, order.number, form);
      expect(answer.status).toBe(400);
      expect(errorsOf(answer)).toEqual({ intent: ["errors.badRequestTitle"] });
    }
    expect(stripe.createRequests).toHaveLength(0);
  });
});
