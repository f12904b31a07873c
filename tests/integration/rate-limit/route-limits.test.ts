// Issue 17, point 5: registration, checkout, cart writes, the ID-number look-up, the webhook and household card
// pages are limited per client by the limits in the configuration (RATE_LIMIT_*), kept in PostgreSQL; past a
// limit the answer is 429 with Retry-After. Under NODE_ENV=test limits are off unless RATE_LIMITS=on.
import { describe, expect, it } from "vitest";
import { loadConfig } from "~/config.server";
import { db } from "~/db/client.server";
import { isDomainError } from "~/domain/errors";
import { action as cartAction } from "~/routes/cart";
import { action as checkoutAction } from "~/routes/checkout";
import { loader as cardLoader } from "~/routes/h.$token";
import { action as registerAction } from "~/routes/register";
import { action as lookupAction } from "~/routes/team.households._index";
import { action as webhookAction } from "~/routes/webhooks.stripe";
import { routeRequest, signedIn, withRateLimits } from "../route-helpers";

type Handler = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;

const SMALL_LIMITS = {
  RATE_LIMIT_REGISTER: "2/3600",
  RATE_LIMIT_CHECKOUT: "2/600",
  RATE_LIMIT_CART_WRITES: "2/60",
  RATE_LIMIT_ID_LOOKUP: "2/600",
  RATE_LIMIT_WEBHOOK: "2/60",
  RATE_LIMIT_HOUSEHOLD_CARD: "2/600",
};

/** The status of each of three calls, and the Retry-After of a 429. */
async function threeCalls(handler: Handler, request: () => Request, params: Record<string, string> = {}, ip = "203.0.113.50") {
  const answers: (number | string)[] = [];
  for (let i = 0; i < 3; i++) {
    try {
      const result = await handler({ request: request(), params, context: { clientIp: ip } });
      answers.push(result instanceof Response ? result.status : "answered");
    } catch (thrown) {
      if (isDomainError(thrown)) {
        answers.push(thrown.status);
        continue;
      }
      if (!(thrown instanceof Response)) throw thrown;
      answers.push(thrown.status === 429 ? `429 after ${thrown.headers.get("Retry-After")}` : thrown.status);
    }
  }
  return answers;
}

describe("rate limits on the routes where abuse is cheap", () => {
  it("are off by default under NODE_ENV=test and on elsewhere", () => {
    expect(loadConfig({ ...process.env, RATE_LIMITS: undefined }).rateLimits.enabled).toBe(false);
    expect(loadConfig({ ...process.env, RATE_LIMITS: undefined, NODE_ENV: "development" }).rateLimits.enabled).toBe(true);
    expect(loadConfig({ ...process.env, RATE_LIMIT_CHECKOUT: "5/60" }).rateLimits.checkout).toEqual({ limit: 5, windowMs: 60_000 });
    expect(() => loadConfig({ ...process.env, RATE_LIMIT_CHECKOUT: "five" })).toThrow(/RATE_LIMIT_CHECKOUT/);
  });

  it("refuse the third request within the window with 429 and Retry-After, per client", () =>
    withRateLimits(async () => {
      const unit = await db.unit.create({ data: { code: "RL", name: "限流单位", nameEn: "Limits" } });
      const form = { name: "张三", login: "", password: "long-enough", unitId: unit.id };
      let n = 0;
      const register = () => routeRequest("/register", "", { ...form, login: `1390000${String(n++).padStart(4, "0")}` });
      const registered = await threeCalls(registerAction as Handler, register);
      expect(registered.slice(0, 2)).toEqual([302, 302]);
      expect(registered[2]).toMatch(/^429 after \d+$/);
      // Another address has its own count.
      expect((await threeCalls(registerAction as Handler, register, {}, "203.0.113.51"))[0]).toBe(302);

      const buyer = await signedIn(["employee"], null);
      const cart = await threeCalls(cartAction as Handler, () =>
        routeRequest("/cart", buyer.cookie, { intent: "set", skuId: "x", quantity: "1" }),
      );
      expect(cart[2]).toMatch(/^429 after/);
      const checkout = await threeCalls(checkoutAction as Handler, () => routeRequest("/checkout", buyer.cookie, {}));
      expect(checkout[2]).toMatch(/^429 after/);

      const team = await signedIn(["team"], null);
      const lookup = await threeCalls(lookupAction as Handler, () =>
        routeRequest("/team/households", team.cookie, { idNumber: "110101199003077777" }),
      );
      expect(lookup[2]).toMatch(/^429 after/);

      const webhook = () => new Request("http://localhost/webhooks/stripe", { method: "POST", body: "{}" });
      const delivered = await threeCalls(webhookAction as Handler, webhook);
      expect(delivered).toEqual([400, 400, expect.stringMatching(/^429 after/)]);

      const cards = await threeCalls(cardLoader as Handler, () => new Request("http://localhost/h/unknown-token"), {
        token: "unknown-token",
      });
      expect(cards[2]).toMatch(/^429 after/);
    }, SMALL_LIMITS));
});
