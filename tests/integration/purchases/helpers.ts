// A unit-paid group order as the counted-purchase tests need it: placed, paid at a given instant, on the real path.
import { randomUUID } from "node:crypto";
import { db } from "~/db/client.server";
import { confirmOrderPayment } from "~/domain/ledger/ledger.server";
import { placeOrder } from "~/domain/shop/checkout.server";
import { createEmployee, createGroupOrder, createLot, createShop } from "../fixtures";

export const BAG_FEN = 7_505;

export async function purchaseShop() {
  const shop = await createShop({ priceFen: BAG_FEN });
  await createLot(shop, 500);
  const organizer = await createEmployee(shop.unit.id);
  await db.userRole.create({ data: { userId: organizer.id, role: "organizer" } });
  const group = await createGroupOrder(shop, organizer.id);
  return { shop, organizer, group };
}

/** `quantity` bags (and any `otherLines`) for `buyerId` in the group order, settled by the unit at `paidAt`. */
export async function paidGroupOrder(
  setup: { shop: { sku: { id: string } }; group: { id: string } },
  buyerId: string,
  quantity: number,
  paidAt = new Date(),
  otherLines: { skuId: string; quantity: number; expectedUnitPriceFen: number }[] = [],
) {
  const placed = await placeOrder({
    userId: buyerId,
    idempotencyKey: randomUUID(),
    lines: [{ skuId: setup.shop.sku.id, quantity, expectedUnitPriceFen: BAG_FEN }, ...otherLines],
    fulfilment: { kind: "group_pickup", groupOrderId: setup.group.id },
    paymentMethod: "unit_settlement",
    cardPaymentConfigured: false,
    paymentTtlMinutes: 30,
  });
  const payment = await db.payment.create({
    data: {
      orderId: placed.order.id,
      method: "unit_settlement",
      status: "succeeded",
      amountFen: placed.order.totalFen,
      succeededAt: paidAt,
    },
  });
  await db.$transaction((tx) => confirmOrderPayment(tx, placed.order.id, payment.id, paidAt));
  return db.order.findUniqueOrThrow({ where: { id: placed.order.id }, include: { lines: true } });
}
