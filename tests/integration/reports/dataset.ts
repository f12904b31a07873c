// A small village with known figures for 2025, written straight into the tables (the ledger is append-only, not
// write-protected against inserts), so every expected amount in the report tests can be worked out by hand.
import { randomUUID } from "node:crypto";
import { db } from "~/db/client.server";
import type { HouseholdStatus, LedgerEntryKind } from "~/db/generated/client";
import { createEmployee, createShop } from "../fixtures";

export const YEAR = 2025;

/** An instant given in Shanghai time ("2025-03-10T09:00"). */
const shanghai = (local: string) => new Date(`${local}:00+08:00`);

async function household(villageId: string, code: string, status: HouseholdStatus, memberCount: number, headName: string) {
  return db.household.create({ data: { villageId, code, headName, memberCount, villageGroup: "一组", status } });
}

async function entry(cooperativeId: string, householdId: string | null, kind: LedgerEntryKind, amountFen: number, at: string) {
  await db.ledgerEntry.create({ data: { entryKey: randomUUID(), kind, householdId, cooperativeId, amountFen, occurredAt: shanghai(at) } });
}

type Line = { skuId: string; quantity: number; unitPriceFen: number; refunded?: number };

async function order(
  userId: string,
  unitId: string | null,
  paidAt: string | null,
  status: "paid" | "refunded" | "pending_payment",
  lines: Line[],
) {
  const subtotalFen = lines.reduce((sum, l) => sum + l.quantity * l.unitPriceFen, 0);
  const created = await db.order.create({
    data: {
      number: `R${randomUUID().slice(0, 8)}`,
      userId,
      unitId,
      fulfilment: "group_pickup",
      paymentMethod: "card",
      status,
      subtotalFen,
      totalFen: subtotalFen,
      idempotencyKey: randomUUID(),
      paidAt: paidAt ? shanghai(paidAt) : null,
      // Received when paid, so the units' counted purchases fall in the same period as the payments.
      receivedAt: paidAt ? shanghai(paidAt) : null,
      receivedBy: paidAt ? "buyer" : null,
      lines: {
        create: lines.map((l) => ({
          skuId: l.skuId,
          quantity: l.quantity,
          unitPriceFen: l.unitPriceFen,
          lineTotalFen: l.quantity * l.unitPriceFen,
          feeRateBp: 800,
          refundedQuantity: l.refunded ?? 0,
        })),
      },
    },
    include: { lines: true },
  });
  const refunded = created.lines.filter((l) => l.refundedQuantity > 0);
  if (refunded.length) {
    const payment = await db.payment.create({
      data: { orderId: created.id, method: "card", status: "partially_refunded", amountFen: subtotalFen },
    });
    const amountFen = refunded.reduce((sum, l) => sum + l.refundedQuantity * l.unitPriceFen, 0);
    await db.refund.create({
      data: {
        orderId: created.id,
        paymentId: payment.id,
        amountFen,
        reason: "测试",
        idempotencyKey: randomUUID(),
        lines: {
          create: refunded.map((l) => ({
            orderLineId: l.id,
            quantity: l.refundedQuantity,
            amountFen: l.refundedQuantity * l.unitPriceFen,
          })),
        },
      },
    });
  }
  return created;
}

/**
 * 2025 in the village: AS-001 (registered poor, 3 people) credits 100 + 50 yuan, a 20 yuan reversal, an 80 yuan
 * payout and 12,000 yuan of wages; AS-002 (2 people) 30 yuan on New Year's Eve, Shanghai time, plus credits just
 * outside the year on either side; AS-003 nothing. Orders: 局机关 two paid orders (one partly refunded), 地勘一院 one
 * fully refunded and one paid order, one order without a unit, and orders that must not count (unpaid, 2024,
 * another village).
 */
export async function seedReportVillage() {
  const shop = await createShop({ priceFen: 8800 });
  const noodles = await db.product.create({
    data: {
      cooperativeId: shop.cooperative.id,
      slug: `noodles-${randomUUID().slice(0, 8)}`,
      nameZh: "手工粉条",
      nameEn: "Noodles",
      descriptionZh: "粉条",
      descriptionEn: "Noodles",
      feeRateBp: 800,
      seasonZh: "全年",
      seasonEn: "All year",
    },
  });
  const noodleSku = await db.sku.create({
    data: {
      productId: noodles.id,
      code: `NOODLE-${randomUUID().slice(0, 8)}`,
      nameZh: "2.5公斤",
      nameEn: "2.5 kg",
      priceFen: 2500,
      weightGrams: 2500,
    },
  });
  const hq = await db.unit.update({ where: { id: shop.unit.id }, data: { name: "局机关", nameEn: "Bureau HQ" } });
  const institute = await db.unit.create({ data: { code: `U-${randomUUID().slice(0, 6)}`, name: "地勘一院", nameEn: "First Institute" } });

  const a = await household(shop.village.id, "AS-001", "registered_poor", 3, "赵春生");
  const b = await household(shop.village.id, "AS-002", "low_income", 2, "钱秋实");
  const c = await household(shop.village.id, "AS-003", "other", 4, "孙冬梅");
  const coop = shop.cooperative.id;
  await entry(coop, a.id, "sale_credit", 10_000, "2025-03-10T09:00");
  await entry(coop, null, "fee", 900, "2025-03-10T09:00");
  await entry(coop, a.id, "sale_credit", 5_000, "2025-07-01T09:00");
  await entry(coop, a.id, "sale_reversal", -2_000, "2025-07-05T09:00");
  await entry(coop, a.id, "payout", -8_000, "2025-08-01T09:00");
  await entry(coop, b.id, "sale_credit", 3_000, "2025-12-31T20:00");
  await entry(coop, b.id, "sale_credit", 7_777, "2024-12-31T23:30");
  await entry(coop, b.id, "sale_credit", 4_444, "2026-01-01T00:30");
  await db.householdIncome.create({ data: { householdId: a.id, year: 2025, source: "wages", amountFen: 1_200_000 } });
  await db.householdIncome.create({ data: { householdId: b.id, year: 2024, source: "pension", amountFen: 50_000 } });

  const buyer = await createEmployee(hq.id);
  const peach = { skuId: shop.sku.id, unitPriceFen: 8800 };
  const noodle = { skuId: noodleSku.id, unitPriceFen: 2500 };
  await order(buyer.id, hq.id, "2025-06-01T10:00", "paid", [
    { ...peach, quantity: 2 },
    { ...noodle, quantity: 4 },
  ]);
  await order(buyer.id, hq.id, "2025-06-02T10:00", "paid", [{ ...noodle, quantity: 3, refunded: 1 }]);
  await order(buyer.id, institute.id, "2025-09-09T10:00", "refunded", [{ ...peach, quantity: 1, refunded: 1 }]);
  await order(buyer.id, institute.id, "2025-10-10T10:00", "paid", [{ ...noodle, quantity: 2 }]);
  await order(buyer.id, null, "2025-11-11T10:00", "paid", [{ ...peach, quantity: 1 }]);
  await order(buyer.id, hq.id, null, "pending_payment", [{ ...peach, quantity: 5 }]);
  await order(buyer.id, hq.id, "2024-05-05T10:00", "paid", [{ ...peach, quantity: 1 }]);

  const other = await createShop({ priceFen: 8800 });
  const outsider = await household(other.village.id, "AS-001", "registered_poor", 1, "外村");
  await entry(other.cooperative.id, outsider.id, "sale_credit", 99_999, "2025-05-05T09:00");
  await order(buyer.id, hq.id, "2025-05-05T10:00", "paid", [{ skuId: other.sku.id, unitPriceFen: 8800, quantity: 9 }]);

  return {
    shop,
    otherVillage: other.village,
    households: { a, b, c },
    units: { hq, institute },
    skus: { peach: shop.sku, noodle: noodleSku },
  };
}
