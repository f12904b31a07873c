import { beforeEach, expect, it } from "vitest";
import { placeOrder } from "~/domain/shop/checkout.server";
import { currentShopYear, parseShopDateTime } from "~/utils/dates";
import { truncateAllTables } from "../../setup/reset";
import { createEmployee, createLot, createShop, deliveryOrderInput } from "../fixtures";

beforeEach(async () => {
  await truncateAllTables();
});

it("numbers an order placed at 07:30 in Anshang on 1 December with that day, which is still 30 November in UTC", async () => {
  const shop = await createShop();
  await createLot(shop, 5, 60);
  const buyer = await createEmployee(shop.unit.id);
  const year = currentShopYear();
  const now = parseShopDateTime(`${year}-12-01T07:30`)!;
  expect(now.getUTCDate()).toBe(30);
  const placed = await placeOrder(deliveryOrderInput(shop, buyer.id, 1, { now }));
  expect(placed.order.number).toMatch(new RegExp(`^AS${String(year).slice(2)}1201-[0-9A-F]{8}$`));
});
