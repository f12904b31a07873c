// What the payment tests share: the app configured for the fake Stripe account, and a card order waiting for payment.
import { randomUUID } from "node:crypto";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { loadConfig, type AppConfig } from "~/config.server";
import { placeOrder } from "~/domain/shop/checkout.server";
import { FakeStripeAccount, stripeHandlers, TEST_STRIPE_SECRET_KEY, TEST_WEBHOOK_SECRET } from "../../mocks/stripe";
import { truncateAllTables } from "../../setup/reset";
import { createEmployee, createLot, createShop } from "../fixtures";

const globalConfig = globalThis as { __anshangConfig?: AppConfig };

/** Makes config() answer with Stripe set up for the fake account, plus `env` (undefined unsets a variable). */
export function useStripeConfig(env: Record<string, string | undefined> = {}) {
  globalConfig.__anshangConfig = loadConfig({
    ...process.env,
    APP_URL: "http://shop.test",
    STRIPE_SECRET_KEY: TEST_STRIPE_SECRET_KEY,
    STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    ...env,
  });
}

// A worker may run another test file next; it must find the configuration its environment gives.
afterAll(() => {
  delete globalConfig.__anshangConfig;
});

export const PRICE_FEN = 3333;
export const DELIVERY_FEE_FEN = 1200;

/**
 * A home-delivery card order of `quantity` units, reserved from new lots of the given sizes, each lot from its own
 * household and expiring a day after the one before (so they are taken in the order given).
 */
export async function placeCardOrder(quantity: number, lotSizes: number[], { now = new Date(), ttlMinutes = 30 } = {}) {
  const shop = await createShop({ priceFen: PRICE_FEN, feeRateBp: 800, deliveryFeeFen: DELIVERY_FEE_FEN });
  const lots = [];
  for (const [index, size] of lotSizes.entries()) lots.push(await createLot(shop, size, 5 + index));
  const buyer = await createEmployee(shop.unit.id);
  const placed = await placeOrder({
    userId: buyer.id,
    idempotencyKey: randomUUID(),
    lines: [{ skuId: shop.sku.id, quantity, expectedUnitPriceFen: PRICE_FEN }],
    fulfilment: { kind: "delivery", recipientName: "张三", recipientPhone: "13900000000", address: "北京市西城区" },
    paymentMethod: "card",
    cardPaymentConfigured: true,
    paymentTtlMinutes: ttlMinutes,
    now,
  });
  return { shop, lots, buyer, order: placed.order };
}

/** Registers the hooks of a test file that talks to the fake Stripe account: msw, an empty database per test. */
export function useFakeStripe() {
  const stripe = new FakeStripeAccount();
  const server = setupServer(...stripeHandlers(stripe));
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  beforeEach(async () => {
    await truncateAllTables();
    stripe.reset();
    useStripeConfig();
  });
  return { stripe, server };
}
