// Small, explicit shop fixtures for integration tests: each call creates what a test names and returns the ids.
import { randomUUID } from "node:crypto";
import { db } from "~/db/client.server";
import { placeOrder, type PlaceOrderInput } from "~/domain/shop/checkout.server";
import { confirmOrderPayment } from "~/domain/ledger/ledger.server";

const DAY = 24 * 60 * 60 * 1000;

export async function createShop(options: { feeRateBp?: number; priceFen?: number; deliveryFeeFen?: number } = {}) {
  const village = await db.village.create({ data: { name: "岸上村", nameEn: "Anshang", county: "魏县" } });
  const cooperative = await db.cooperative.create({
    data: { villageId: village.id, name: "合作社", nameEn: "Co-op", deliveryFeeFen: options.deliveryFeeFen ?? 1200 },
  });
  const product = await db.product.create({
    data: {
      cooperativeId: cooperative.id,
      slug: `peaches-${randomUUID().slice(0, 8)}`,
      nameZh: "无公害桃",
      nameEn: "Peaches",
      descriptionZh: "桃",
      descriptionEn: "Peaches",
      feeRateBp: options.feeRateBp ?? 800,
      seasonZh: "7–10月",
      seasonEn: "July–October",
    },
  });
  const sku = await db.sku.create({
    data: {
      productId: product.id,
      code: `PEACH-${randomUUID().slice(0, 8)}`,
      nameZh: "5公斤",
      nameEn: "5 kg",
      priceFen: options.priceFen ?? 8800,
      weightGrams: 5000,
      maxPerOrder: 10,
    },
  });
  const unit = await db.unit.create({ data: { code: `U-${randomUUID().slice(0, 6)}`, name: "局机关", nameEn: "HQ" } });
  return { village, cooperative, product, sku, unit };
}

let householdSeq = 0;

export async function createHousehold(villageId: string) {
  householdSeq++;
  return db.household.create({
    data: {
      villageId,
      code: `AS-${String(householdSeq).padStart(3, "0")}-${randomUUID().slice(0, 4)}`,
      headName: "户主",
      memberCount: 3,
      villageGroup: "一组",
      status: "registered_poor",
    },
  });
}

let lotSeq = 0;

/** A lot of `quantity` units from a new household, best before `bestBeforeDays` from now. */
export async function createLot(shop: { village: { id: string }; sku: { id: string } }, quantity: number, bestBeforeDays = 10) {
  lotSeq++;
  const household = await createHousehold(shop.village.id);
  const today = new Date();
  return db.stockLot.create({
    data: {
      code: `L-${lotSeq}-${randomUUID().slice(0, 6)}`,
      traceCode: randomUUID(),
      skuId: shop.sku.id,
      householdId: household.id,
      quantityReceived: quantity,
      producedOn: new Date(today.getTime() - DAY),
      receivedOn: today,
      bestBefore: new Date(today.getTime() + bestBeforeDays * DAY),
    },
  });
}

export async function createEmployee(unitId: string | null) {
  return db.user.create({
    data: { name: "职工", email: `${randomUUID()}@test.example`, passwordHash: "x", unitId, roles: { create: [{ role: "employee" }] } },
  });
}

export async function createGroupOrder(
  shop: { cooperative: { id: string }; sku: { id: string }; unit: { id: string } },
  organizerId: string,
  options: { closesInMs?: number; perPersonLimit?: number | null; allowCard?: boolean; allowUnitSettlement?: boolean } = {},
) {
  const now = Date.now();
  return db.groupOrder.create({
    data: {
      cooperativeId: shop.cooperative.id,
      organizerId,
      title: "团购",
      status: "open",
      opensAt: new Date(now - DAY),
      closesAt: new Date(now + (options.closesInMs ?? DAY)),
      pickupPoint: "东门",
      deliveryDate: new Date(now + 3 * DAY),
      allowCard: options.allowCard ?? true,
      allowUnitSettlement: options.allowUnitSettlement ?? true,
      units: { create: [{ unitId: shop.unit.id }] },
      items: { create: [{ skuId: shop.sku.id, perPersonLimit: options.perPersonLimit ?? null }] },
    },
  });
}

export async function lotState(lotId: string) {
  return db.stockLot.findUniqueOrThrow({
    where: { id: lotId },
    select: { quantityReceived: true, quantityAllocated: true, quantityWrittenOff: true },
  });
}

/** A home-delivery card order of `quantity` units of the shop's SKU at its price, as checkout would submit it. */
export function deliveryOrderInput(
  shop: { sku: { id: string; priceFen: number } },
  userId: string,
  quantity: number,
  overrides: Partial<PlaceOrderInput> = {},
): PlaceOrderInput {
  return {
    userId,
    idempotencyKey: randomUUID(),
    lines: [{ skuId: shop.sku.id, quantity, expectedUnitPriceFen: shop.sku.priceFen }],
    fulfilment: { kind: "delivery", recipientName: "张三", recipientPhone: "13900000000", address: "北京市西城区" },
    paymentMethod: "card",
    cardPaymentConfigured: true,
    paymentTtlMinutes: 30,
    ...overrides,
  };
}

/** Places the order and confirms its payment, as a Stripe webhook or a settlement would. */
export async function placePaidOrder(input: PlaceOrderInput) {
  const result = await placeOrder(input);
  await db.$transaction((tx) => confirmOrderPayment(tx, result.order.id, null, new Date()));
  return result.order;
}
