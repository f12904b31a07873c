// Demo data for counted purchases (issue 16): member counts and yearly targets for every unit (a sub-unit under the
// First Brigade to show the roll-up), a few members per unit, and a year of their group-pickup orders, paid on the
// ledger's own path and received two days later; the last fortnight's are paid but not yet received. The orders are
// filled from lots of their own, received and sold out in the past, so the shop's current stock is untouched.
import { randomUUID } from "node:crypto";
import { db } from "~/db/client.server";
import { confirmOrderPayment } from "~/domain/ledger/ledger.server";
import { currentShopYear, orderNumberDay } from "~/utils/dates";

const DAY = 24 * 60 * 60 * 1000;
const MEMBERS: Record<string, number> = { HQ: 120, T1: 260, T2: 240, GP: 90, SM: 80, T1F: 60 };
const PER_MEMBER_FEN = 50_000;
const BUYER_NAMES = ["许文", "高峰", "罗静", "宋涛", "唐敏", "冯磊", "邓洁", "曹勇", "彭丽", "谢军", "蒋红", "沈斌"];

/** Seeds once, after the demo village: does nothing when targets already exist. */
export async function seedCountedPurchases(now = new Date()) {
  if ((await db.unitTarget.count()) > 0) return;
  const t1 = await db.unit.findUniqueOrThrow({ where: { code: "T1" } });
  await db.unit.create({ data: { code: "T1F", name: "第一地质大队野外分队", nameEn: "First Brigade field team", parentId: t1.id } });
  const units = await db.unit.findMany({ orderBy: { code: "asc" } });
  const admin = await db.user.findFirstOrThrow({ where: { roles: { some: { role: "admin" } } } });
  const year = currentShopYear(now);
  for (const unit of units) {
    const members = MEMBERS[unit.code] ?? 50;
    await db.unit.update({ where: { id: unit.id }, data: { memberCount: members } });
    await db.unitTarget.createMany({
      data: [year - 1, year].map((y) => ({
        unitId: unit.id,
        year: y,
        targetFen: PER_MEMBER_FEN * members,
        perMemberFen: PER_MEMBER_FEN,
        memberCount: members,
        setById: admin.id,
      })),
    });
  }

  const sku = await db.sku.findFirstOrThrow({ where: { product: { slug: "peaches" } }, orderBy: { priceFen: "asc" } });
  const households = await db.household.findMany({ where: { code: { lte: "AS-016" } }, orderBy: { code: "asc" }, select: { id: true } });
  const buyers = [];
  for (const [index, unit] of units.entries()) {
    for (let k = 0; k < 2; k++) {
      buyers.push(
        await db.user.create({
          data: {
            name: BUYER_NAMES[(index * 2 + k) % BUYER_NAMES.length]!,
            passwordHash: "!demo-no-sign-in",
            unitId: unit.id,
            roles: { create: [{ role: "employee" }] },
          },
        }),
      );
    }
  }

  // One order a week over the past year, rotating through the buyers (so every unit buys, some more than others).
  for (let week = 52; week >= 0; week--) {
    const buyer = buyers[week % buyers.length]!;
    const quantity = 1 + (week % 3) + (buyer.unitId === units[0]!.id ? 1 : 0);
    const paidAt = new Date(now.getTime() - week * 7 * DAY - 3 * DAY);
    await db.$transaction(async (tx) => {
      const household = households[week % households.length]!;
      const lot = await tx.stockLot.create({
        data: {
          code: `DEMO-${week}`,
          traceCode: randomUUID(),
          skuId: sku.id,
          householdId: household.id,
          quantityReceived: quantity,
          quantityAllocated: quantity,
          producedOn: new Date(paidAt.getTime() - 2 * DAY),
          receivedOn: new Date(paidAt.getTime() - DAY),
          bestBefore: new Date(paidAt.getTime() + 5 * DAY),
        },
      });
      const totalFen = sku.priceFen * quantity;
      const order = await tx.order.create({
        data: {
          number: `AS${orderNumberDay(paidAt)}-D${String(week).padStart(3, "0")}`,
          userId: buyer.id,
          unitId: buyer.unitId,
          fulfilment: "group_pickup",
          paymentMethod: "unit_settlement",
          subtotalFen: totalFen,
          totalFen,
          idempotencyKey: randomUUID(),
          createdAt: new Date(paidAt.getTime() - DAY),
          lines: {
            create: [
              {
                skuId: sku.id,
                quantity,
                unitPriceFen: sku.priceFen,
                lineTotalFen: totalFen,
                feeRateBp: 800,
                allocations: { create: [{ lotId: lot.id, quantity }] },
              },
            ],
          },
        },
      });
      const payment = await tx.payment.create({
        data: { orderId: order.id, method: "unit_settlement", status: "succeeded", amountFen: totalFen, succeededAt: paidAt },
      });
      await confirmOrderPayment(tx, order.id, payment.id, paidAt);
      const receivedAt = new Date(paidAt.getTime() + 2 * DAY);
      if (week >= 2)
        await tx.order.update({
          where: { id: order.id },
          data: { fulfilmentStatus: "delivered", deliveredAt: receivedAt, receivedAt, receivedBy: week % 2 ? "buyer" : "organizer" },
        });
    });
  }
}
