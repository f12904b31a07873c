// A partial refund as the buyer sees it (issue 11, point 2): the cooperative refunds 2 of 5 bags, and the order
// page, the order list and the account all show it, with totals net of the refund.
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { createUserSession } from "~/auth/session.server";
import { db } from "~/db/client.server";
import { refundOrder } from "~/domain/cooperative/refunds.server";
import { confirmOrderPayment } from "~/domain/ledger/ledger.server";
import { feeFor } from "~/domain/ledger/split";
import { placeOrder, type PlacedOrder } from "~/domain/shop/checkout.server";
import { loader as accountLoader } from "~/routes/account";
import { loader as orderLoader } from "~/routes/orders.$number";
import { loader as ordersLoader } from "~/routes/orders._index";
import { truncateAllTables } from "../../setup/reset";
import { createEmployee, createGroupOrder, createLot, createShop } from "../fixtures";
import { outcome, routeRequest, signedIn } from "../route-helpers";

const BAG_FEN = 7505;
const FEE_RATE_BP = 800;

let buyer: { cookie: string };
let order: PlacedOrder;

/** Five bags in a unit-settled group order, paid, then two of them refunded by the cooperative. */
beforeEach(async () => {
  await truncateAllTables();
  const shop = await createShop({ priceFen: BAG_FEN, feeRateBp: FEE_RATE_BP });
  await createLot(shop, 20);
  const user = await createEmployee(shop.unit.id);
  const group = await createGroupOrder(shop, user.id);
  const placed = await placeOrder({
    userId: user.id,
    idempotencyKey: randomUUID(),
    lines: [{ skuId: shop.sku.id, quantity: 5, expectedUnitPriceFen: BAG_FEN }],
    fulfilment: { kind: "group_pickup", groupOrderId: group.id },
    paymentMethod: "unit_settlement",
    cardPaymentConfigured: false,
    paymentTtlMinutes: 30,
  });
  order = placed.order;
  const payment = await db.payment.create({
    data: { orderId: order.id, method: "unit_settlement", status: "succeeded", amountFen: order.totalFen, succeededAt: new Date() },
  });
  await db.$transaction((tx) => confirmOrderPayment(tx, order.id, payment.id, new Date()));
  const line = await db.orderLine.findFirstOrThrow({ where: { orderId: order.id } });
  const { user: coop } = await signedIn(["coop"], shop.village.id);
  await refundOrder({
    orderId: order.id,
    actorId: coop.id,
    villageId: shop.village.id,
    idempotencyKey: "two-bags",
    reason: "破损",
    lines: [{ orderLineId: line.id, quantity: 2 }],
  });
  const session = await createUserSession(user.id, "/");
  buyer = { cookie: session.headers.get("Set-Cookie")!.split(";")[0]! };
});

const load = async <T>(loader: (args: never) => Promise<T>, path: string, params: Record<string, string> = {}) =>
  (await outcome(() => loader({ request: routeRequest(path, buyer.cookie), params, context: {} } as never))).data as Awaited<T>;

describe("a partially refunded order, as its buyer sees it", () => {
  it("shows the refund as lines on the order page, with the total after it", async () => {
    const { order: shown, households } = await load(orderLoader, `/orders/${order.number}`, { number: order.number });
    expect(shown.lines).toEqual([expect.objectContaining({ quantity: 5, refundedQuantity: 2, lineTotalFen: 5 * BAG_FEN })]);
    expect(shown).toMatchObject({ status: "paid", totalFen: 5 * BAG_FEN, refundedFen: 2 * BAG_FEN, netFen: 3 * BAG_FEN });
    expect(shown.refunds).toEqual([
      expect.objectContaining({
        amountFen: 2 * BAG_FEN,
        deliveryFeeFen: 0,
        lines: [{ quantity: 2, amountFen: 2 * BAG_FEN, nameZh: "无公害桃 5公斤", nameEn: "Peaches 5 kg" }],
      }),
    ]);
    // What the household kept is what selling three bags credits.
    expect(households.map((h) => h.amountFen)).toEqual([3 * BAG_FEN - feeFor(3 * BAG_FEN, FEE_RATE_BP)]);
  });

  it("shows the refunded bags and the net total in the order list", async () => {
    const { orders } = await load(ordersLoader, "/orders");
    expect(orders).toEqual([
      expect.objectContaining({
        number: order.number,
        totalFen: 5 * BAG_FEN,
        refundedFen: 2 * BAG_FEN,
        netFen: 3 * BAG_FEN,
        lines: [{ quantity: 5, refundedQuantity: 2, nameZh: "无公害桃 5公斤", nameEn: "Peaches 5 kg" }],
      }),
    ]);
  });

  it("counts only what the households kept in the account's total", async () => {
    const { credited } = await load(accountLoader, "/account");
    expect(credited).toEqual({ totalFen: 3 * BAG_FEN - feeFor(3 * BAG_FEN, FEE_RATE_BP), households: 1 });
  });
});
