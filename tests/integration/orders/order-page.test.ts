// The order page reads in one statement on the pool (docs/decisions/0021-page-reads-on-the-pool.md). It must answer
// what the Prisma queries it replaced answered (computed here with those queries), whatever the process's time zone.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { refundOrder } from "~/domain/cooperative/refunds.server";
import { hideRatingComment, rateOrderLine } from "~/domain/purchases/ratings.server";
import { autoReceiptDays, confirmReceiptByBuyer, saveAutoReceiptDays } from "~/domain/purchases/receipt.server";
import { purchaseLinesAt } from "~/domain/purchases/counted.server";
import { placeOrder } from "~/domain/shop/checkout.server";
import { getOrderPageForBuyer } from "~/domain/shop/orders.server";
import { truncateAllTables } from "../../setup/reset";
import { createEmployee, createLot, deliveryOrderInput } from "../fixtures";
import { signedIn } from "../route-helpers";
import { paidGroupOrder, purchaseShop } from "../purchases/helpers";

const processZone = process.env.TZ;
afterEach(() => {
  if (processZone === undefined) delete process.env.TZ;
  else process.env.TZ = processZone;
});

let setup: Awaited<ReturnType<typeof purchaseShop>>;
beforeEach(async () => {
  await truncateAllTables();
  setup = await purchaseShop();
});

const skuNames = { select: { nameZh: true, nameEn: true, product: { select: { nameZh: true, nameEn: true } } } } as const;
type SkuNames = { nameZh: string; nameEn: string; product: { nameZh: string; nameEn: string } };
const lineNames = (sku: SkuNames) => ({ nameZh: `${sku.product.nameZh} ${sku.nameZh}`, nameEn: `${sku.product.nameEn} ${sku.nameEn}` });

/** The page as the loader assembled it from five Prisma queries and a raw one, before it was one statement. */
async function reference(userId: string, number: string, now: Date) {
  const order = await db.order.findFirst({
    where: { number, userId },
    select: {
      id: true,
      number: true,
      status: true,
      fulfilmentStatus: true,
      paymentMethod: true,
      deliveryFeeFen: true,
      totalFen: true,
      recipientName: true,
      address: true,
      expiresAt: true,
      createdAt: true,
      paidAt: true,
      packedAt: true,
      shippedAt: true,
      deliveredAt: true,
      cancelledAt: true,
      receivedAt: true,
      receivedBy: true,
      groupOrder: { select: { pickupPoint: true, deliveryDate: true } },
      lines: { orderBy: { id: "asc" }, select: { id: true, quantity: true, refundedQuantity: true, lineTotalFen: true, sku: skuNames } },
      refunds: {
        orderBy: { createdAt: "asc" },
        select: {
          id: true,
          amountFen: true,
          createdAt: true,
          lines: { orderBy: { orderLineId: "asc" }, select: { quantity: true, amountFen: true, orderLine: { select: { sku: skuNames } } } },
        },
      },
    },
  });
  if (!order) return null;
  const { id, lines, refunds, ...rest } = order;
  const refundedFen = refunds.reduce((sum, refund) => sum + refund.amountFen, 0);

  const credits = await db.ledgerEntry.groupBy({
    by: ["householdId"],
    where: { orderId: id, kind: { in: ["sale_credit", "sale_reversal"] } },
    _sum: { amountFen: true },
  });
  const households = await db.household.findMany({
    where: { id: { in: credits.map((r) => r.householdId).filter((h): h is string => h !== null) } },
    select: { id: true, consentToDisplay: true, displayName: true, villageGroup: true, story: true, storyEn: true },
  });
  const byId = new Map(households.map((h) => [h.id, h]));
  const [counted] = await db.$queryRaw<{ countedAt: Date | null }[]>`
    SELECT MAX(pl."countedAt") AS "countedAt" FROM ${purchaseLinesAt(now)} pl WHERE pl."orderId" = ${id}`;
  const ratings = await db.lineRating.findMany({
    where: { orderLine: { orderId: id } },
    select: { orderLineId: true, stars: true, comment: true, hiddenAt: true },
  });

  return {
    order: {
      ...rest,
      refundedFen,
      netFen: order.totalFen - refundedFen,
      payable: order.status === "pending_payment" && order.paymentMethod === "card" && order.expiresAt !== null && order.expiresAt > now,
      lines: lines.map(({ sku, ...line }) => ({ ...line, ...lineNames(sku) })),
      refunds: refunds.map(({ lines: refundLines, ...refund }) => ({
        ...refund,
        lines: refundLines.map(({ orderLine, ...line }) => ({ ...line, ...lineNames(orderLine.sku) })),
        deliveryFeeFen: refund.amountFen - refundLines.reduce((sum, line) => sum + line.amountFen, 0),
      })),
    },
    households: credits
      .map((row) => {
        const household = byId.get(row.householdId ?? "");
        const shown = household?.consentToDisplay ?? false;
        return {
          displayName: shown ? (household?.displayName ?? null) : null,
          villageGroup: household?.villageGroup ?? "",
          story: shown ? (household?.story ?? null) : null,
          storyEn: shown ? (household?.storyEn ?? null) : null,
          amountFen: row._sum.amountFen ?? 0,
        };
      })
      .filter((h) => h.amountFen > 0)
      .sort((a, b) => b.amountFen - a.amountFen),
    receipt: { countedAt: counted?.countedAt ?? null, autoDays: await autoReceiptDays() },
    ratings: Object.fromEntries(
      ratings.map((row) => [
        row.orderLineId,
        { stars: row.stars, comment: row.hiddenAt ? null : row.comment, hidden: row.hiddenAt !== null },
      ]),
    ),
  };
}

const ZONES = ["UTC", "Asia/Shanghai", "America/Los_Angeles"];

async function expectSameInEveryZone(userId: string, number: string, now = new Date()) {
  for (const zone of ZONES) {
    process.env.TZ = zone;
    expect(await getOrderPageForBuyer(userId, number, now), zone).toEqual(await reference(userId, number, now));
  }
  return getOrderPageForBuyer(userId, number, now);
}

describe("the order page's read", () => {
  it("is a group order's lines, refunds, credited households, receipt and ratings as the Prisma queries read them", async () => {
    const { shop, group } = setup;
    // A second SKU from another household, offered in the same group order; the first household consented to be shown.
    const noodles = await db.sku.create({
      data: { productId: shop.product.id, code: "NOODLE", nameZh: "粉条", nameEn: "Noodles", priceFen: 3_300, weightGrams: 1000 },
    });
    await db.groupOrderItem.create({ data: { groupOrderId: group.id, skuId: noodles.id } });
    await createLot({ ...shop, sku: noodles }, 20);
    const peachLot = await db.stockLot.findFirstOrThrow({ where: { skuId: shop.sku.id } });
    await db.household.update({
      where: { id: peachLot.householdId },
      data: { consentToDisplay: true, displayName: "王家", story: "种桃二十年", storyEn: "Twenty years of peaches" },
    });

    const buyer = await createEmployee(shop.unit.id);
    const order = await paidGroupOrder(setup, buyer.id, 3, new Date(), [
      { skuId: noodles.id, quantity: 2, expectedUnitPriceFen: noodles.priceFen },
    ]);
    const number = order.number;
    const first = await expectSameInEveryZone(buyer.id, number);
    expect(first!.households.map((h) => h.displayName)).toEqual(["王家", null]);

    const { user: coop } = await signedIn(["coop"], shop.village.id);
    const peachLine = order.lines.find((line) => line.skuId === shop.sku.id)!;
    const noodleLine = order.lines.find((line) => line.skuId === noodles.id)!;
    // Two refunds a second apart: the reference orders them by time alone.
    for (const [key, secondsAgo] of [
      ["one", 2],
      ["two", 1],
    ] as const) {
      await refundOrder({
        orderId: order.id,
        actorId: coop.id,
        villageId: shop.village.id,
        idempotencyKey: key,
        reason: "破损",
        lines: [{ orderLineId: peachLine.id, quantity: 1 }],
        now: new Date(Date.now() - secondsAgo * 1000),
      });
    }
    await confirmReceiptByBuyer(buyer.id, number);
    await rateOrderLine(buyer.id, number, { orderLineId: peachLine.id, stars: 4, comment: "很甜" });
    await rateOrderLine(buyer.id, number, { orderLineId: noodleLine.id, stars: 2, comment: "不当言论" });
    await hideRatingComment({ id: coop.id, villageId: shop.village.id }, noodleLine.id);
    const { user: admin } = await signedIn(["admin"], null);
    await saveAutoReceiptDays(admin.id, 5);

    const page = await expectSameInEveryZone(buyer.id, number, new Date(Date.now() + 1000));
    expect(page!.order.refunds).toHaveLength(2);
    expect(page!.receipt).toMatchObject({ autoDays: 5 });
    expect(page!.receipt.countedAt).not.toBeNull();
    expect(page!.ratings[noodleLine.id]).toEqual({ stars: 2, comment: null, hidden: true });
    // As of an hour ago, before it was received, it had not counted.
    const before = await expectSameInEveryZone(buyer.id, number, new Date(Date.now() - 60 * 60 * 1000));
    expect(before!.receipt.countedAt).toBeNull();
  });

  it("is a card order waiting for payment, payable until its window closes, with nothing credited yet", async () => {
    const buyer = await createEmployee(setup.shop.unit.id);
    const placed = await placeOrder(deliveryOrderInput(setup.shop, buyer.id, 2));
    const page = await expectSameInEveryZone(buyer.id, placed.order.number);
    expect(page).toMatchObject({ order: { payable: true, groupOrder: null, refunds: [] }, households: [], ratings: {} });
    const expired = await expectSameInEveryZone(buyer.id, placed.order.number, new Date(Date.now() + 31 * 60 * 1000));
    expect(expired!.order.payable).toBe(false);
  });

  it("is nothing for another buyer's order or an unknown number", async () => {
    const buyer = await createEmployee(setup.shop.unit.id);
    const other = await createEmployee(setup.shop.unit.id);
    const placed = await placeOrder(deliveryOrderInput(setup.shop, buyer.id, 1));
    expect(await getOrderPageForBuyer(other.id, placed.order.number)).toBeNull();
    expect(await getOrderPageForBuyer(buyer.id, "AS000000-NOPE")).toBeNull();
  });
});
