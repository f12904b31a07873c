import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { creditedSummaryForUser, getOrderPageForBuyer } from "~/domain/shop/orders.server";
import { truncateAllTables } from "../../setup/reset";
import { createEmployee, createLot, createShop, deliveryOrderInput, placePaidOrder } from "../fixtures";

let shop: Awaited<ReturnType<typeof createShop>>;

beforeEach(async () => {
  await truncateAllTables();
  shop = await createShop({ feeRateBp: 800, priceFen: 8800 });
});

const paidOrder = (userId: string, quantity: number) => placePaidOrder(deliveryOrderInput(shop, userId, quantity));

describe("buyer pages", () => {
  it("shows a buyer only their own orders", async () => {
    await createLot(shop, 10);
    const buyer = await createEmployee(shop.unit.id);
    const other = await createEmployee(shop.unit.id);
    const order = await paidOrder(buyer.id, 1);
    expect(await getOrderPageForBuyer(buyer.id, order.number)).not.toBeNull();
    expect(await getOrderPageForBuyer(other.id, order.number)).toBeNull();
  });

  it("lists the households an order credited, hiding those who did not consent", async () => {
    const shown = await createLot(shop, 2, 3);
    const hidden = await createLot(shop, 5, 6);
    await db.household.update({
      where: { id: shown.householdId },
      data: { consentToDisplay: true, displayName: "王家", story: "种桃二十年" },
    });
    const buyer = await createEmployee(shop.unit.id);
    const order = await paidOrder(buyer.id, 3);
    const { households } = (await getOrderPageForBuyer(buyer.id, order.number))!;
    expect(households).toEqual([
      { displayName: "王家", villageGroup: "一组", story: "种桃二十年", storyEn: null, amountFen: 2 * 8800 - 1408 },
      { displayName: null, villageGroup: "一组", story: null, storyEn: null, amountFen: 8800 - 704 },
    ]);
    expect(JSON.stringify(households)).not.toContain(hidden.householdId);
  });

  it("sums what a buyer's purchases credited and to how many households", async () => {
    await createLot(shop, 2, 3);
    await createLot(shop, 5, 6);
    const buyer = await createEmployee(shop.unit.id);
    await paidOrder(buyer.id, 1);
    await paidOrder(buyer.id, 2);
    expect(await creditedSummaryForUser(buyer.id)).toEqual({ totalFen: 3 * (8800 - 704), households: 2 });
    const other = await createEmployee(shop.unit.id);
    expect(await creditedSummaryForUser(other.id)).toEqual({ totalFen: 0, households: 0 });
  });
});
