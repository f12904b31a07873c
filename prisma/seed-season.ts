// The year behind the demo (issue 11): unit member counts and yearly targets (a sub-unit under the First Brigade to
// show the roll-up), an organizer and a share of the members of every unit with accounts, and twelve months of group
// orders as the produce comes in — a peach group order most weeks from July to September, hand-made noodles every
// month and most before Spring Festival. Every group order is delivered, picked up and settled by each unit; the
// settlements credit the households through the ledger's own batch path (confirmOrderPayments), a few bruised boxes
// are refunded through the cooperative's refund path, and the cooperative pays the households out after each season.
// The orders are filled from lots of their own, received and sold out in the past, so the shop's stock today is
// untouched. Rows are built in memory and written with createMany: a few dozen statements, not one per row.
import { db, type Prisma } from "~/db/client.server";
import { confirmOrderPayments } from "~/domain/ledger/batch-crediting.server";
import { refundOrder } from "~/domain/cooperative/refunds.server";
import { currentShopYear, orderNumberDay, shopDateOf } from "~/utils/dates";
import type { SeedHousehold } from "./seed-households";
import { insertRows } from "./seed-rows";

const DAY = 24 * 60 * 60 * 1000;
const PER_MEMBER_FEN = 50_000;
/** Members as the union counts them; about two in five have an account in the shop. */
const MEMBERS: Record<string, number> = { HQ: 120, T1: 260, T2: 240, T3: 220, HY: 150, GP: 90, SM: 80, LAB: 70, T1F: 60 };
const BUYER_SHARE = 0.4;
const SURNAMES = ["许", "高", "罗", "宋", "唐", "冯", "邓", "曹", "彭", "谢", "蒋", "沈", "于", "卢", "方", "魏", "袁", "史"];
const GIVEN = ["文", "峰", "静", "涛", "敏", "磊", "洁", "勇", "丽", "军", "红", "斌", "晓燕", "志刚", "海燕", "建平", "玉华", "立伟"];
const ORGANIZERS: Record<string, string> = { T3: "孟庆丰", HY: "贾春燕", GP: "任志远", SM: "蔡文静", LAB: "潘国华", T1F: "付晓东" };
/** Who opens a group order, and which units it invites: shared orders are settled by each unit's organizer. */
const CIRCLES = [
  { opener: "HQ", units: ["HQ", "GP", "SM", "LAB"] },
  { opener: "T1", units: ["T1", "T1F", "T3"] },
  { opener: "T2", units: ["T2", "HY"] },
  { opener: "HQ", units: ["HQ", "T1", "T2"] },
];
/** Noodle orders per group order by calendar month: most before Spring Festival, a few for the Dragon Boat and Mid-Autumn festivals. */
const NOODLE_DEMAND = [150, 60, 20, 18, 18, 30, 12, 12, 35, 45, 90, 110];
/** Peach orders per weekly group order, July to late September: the season builds to August and tails off. */
const PEACH_WEEKS = [60, 90, 120, 150, 180, 200, 200, 180, 150, 120, 90, 60];

type Random = () => number;
const between = (random: Random, low: number, high: number) => low + Math.floor(random() * (high - low + 1));
/** An instant at `hour` o'clock of a shop day (UTC+8). */
const shopAt = (year: number, month: number, day: number, hour = 9) => new Date(Date.UTC(year, month - 1, day, hour - 8));
const dateOnly = (instant: Date) => new Date(`${shopDateOf(instant)}T00:00:00Z`);
const later = (instant: Date, days: number, hours = 0) => new Date(instant.getTime() + days * DAY + hours * 3_600_000);

type Sku = { id: string; code: string; priceFen: number; productSlug: string; feeRateBp: number };
type Plan = {
  title: string;
  opens: Date;
  closes: Date;
  delivery: Date;
  circle: (typeof CIRCLES)[number];
  skus: Sku[];
  orders: number;
  produce: "peach" | "noodle";
};

function schedule(now: Date, peaches: Sku[], noodles: Sku[]): Plan[] {
  const plans: Plan[] = [];
  const year = currentShopYear(now);
  // The last summer that is over: this year's from October on, otherwise last year's.
  const season = Number(shopDateOf(now).slice(5, 7)) >= 10 ? year : year - 1;
  PEACH_WEEKS.forEach((orders, week) => {
    const closes = shopAt(season, 7, 6 + week * 7, 20);
    const circle = CIRCLES[week % CIRCLES.length]!;
    plans.push({
      title: `${circle.opener === "HQ" ? "局机关" : circle.opener === "T1" ? "第一地质大队" : "第二地质大队"}${season}年鲜桃团购（第${week + 1}批）`,
      opens: later(closes, -4, -11),
      closes,
      delivery: later(closes, 2),
      circle,
      skus: peaches,
      orders,
      produce: "peach",
    });
  });
  for (let back = 11; back >= 0; back--) {
    const month = ((Number(shopDateOf(now).slice(5, 7)) - 1 - back + 24) % 12) + 1;
    const monthYear = month > Number(shopDateOf(now).slice(5, 7)) ? year - 1 : year;
    for (const [k, circle] of [CIRCLES[back % 2 ? 1 : 0]!, CIRCLES[2]!].entries()) {
      const closes = shopAt(monthYear, month, 10 + k * 4, 20);
      const delivery = later(closes, 3);
      if (delivery.getTime() > now.getTime() - 3 * DAY) continue;
      plans.push({
        title: `${month}月手工粉条团购${k ? "（二）" : ""}`,
        opens: later(closes, -6, -11),
        closes,
        delivery,
        circle,
        skus: noodles,
        orders: Math.round(NOODLE_DEMAND[month - 1]! * (k ? 0.7 : 1)),
        produce: "noodle",
      });
    }
  }
  return plans.filter((plan) => plan.delivery.getTime() < now.getTime() - 3 * DAY).sort((a, b) => a.closes.getTime() - b.closes.getTime());
}

/** Seeds the year once, after the demo village (seed.ts): its orders, settlements, refunds and payouts. */
export async function seedSeason(random: Random, households: SeedHousehold[], now = new Date()) {
  const t1 = await db.unit.findUniqueOrThrow({ where: { code: "T1" } });
  await db.unit.create({ data: { code: "T1F", name: "第一地质大队野外分队", nameEn: "First Brigade field team", parentId: t1.id } });
  const units = await db.unit.findMany({ orderBy: { code: "asc" }, select: { id: true, code: true } });
  const unitId = new Map(units.map((u) => [u.code, u.id]));
  const admin = await db.user.findFirstOrThrow({ where: { roles: { some: { role: "admin" } } }, select: { id: true } });
  const coopUser = await db.user.findFirstOrThrow({ where: { roles: { some: { role: "coop" } } }, select: { id: true, villageId: true } });
  const cooperative = await db.cooperative.findFirstOrThrow({ select: { id: true } });
  const year = currentShopYear(now);
  await db.$executeRaw`
    UPDATE "Unit" u SET "memberCount" = m."members"::int FROM json_each_text(${JSON.stringify(MEMBERS)}::json) AS m("code", "members")
    WHERE u."code" = m."code"`;
  await insertRows(
    db,
    "UnitTarget",
    units.flatMap((unit) =>
      [year - 1, year].map((y) => ({
        unitId: unit.id,
        year: y,
        targetFen: PER_MEMBER_FEN * (MEMBERS[unit.code] ?? 50),
        perMemberFen: PER_MEMBER_FEN,
        memberCount: MEMBERS[unit.code] ?? 50,
        setById: admin.id,
        updatedAt: now,
      })),
    ),
  );

  // Accounts: an organizer for every unit that has none among the demo logins, and the members who buy.
  const existingOrganizers = await db.user.findMany({
    where: { roles: { some: { role: "organizer" } } },
    select: { id: true, unit: { select: { code: true } } },
  });
  const organizerOf = new Map(existingOrganizers.map((u) => [u.unit!.code, u.id]));
  const users: Prisma.UserCreateManyInput[] = [];
  const roles: Prisma.UserRoleCreateManyInput[] = [];
  const buyersOf = new Map<string, string[]>();
  for (const [code, name] of Object.entries(ORGANIZERS)) {
    const id = `seed-organizer-${code}`;
    users.push({
      id,
      name,
      passwordHash: "!demo-no-sign-in",
      unitId: unitId.get(code)!,
      createdAt: later(now, -400),
      updatedAt: later(now, -400),
    });
    roles.push({ userId: id, role: "employee" }, { userId: id, role: "organizer" });
    organizerOf.set(code, id);
  }
  for (const unit of units) {
    const buyers: string[] = [];
    for (let k = 0; k < Math.round((MEMBERS[unit.code] ?? 50) * BUYER_SHARE); k++) {
      const id = `seed-buyer-${unit.code}-${String(k).padStart(3, "0")}`;
      const name = `${SURNAMES[Math.floor(random() * SURNAMES.length)]}${GIVEN[Math.floor(random() * GIVEN.length)]}`;
      users.push({ id, name, passwordHash: "!demo-no-sign-in", unitId: unit.id, createdAt: later(now, -400), updatedAt: later(now, -400) });
      roles.push({ userId: id, role: "employee" });
      buyers.push(id);
    }
    buyersOf.set(unit.code, buyers);
  }
  await db.$transaction(async (tx) => {
    await insertRows(tx, "User", users);
    await insertRows(tx, "UserRole", roles);
  });

  const skuRows = await db.sku.findMany({
    select: { id: true, code: true, priceFen: true, product: { select: { slug: true, feeRateBp: true } } },
    orderBy: { code: "asc" },
  });
  const skus = skuRows.map((s) => ({
    id: s.id,
    code: s.code,
    priceFen: s.priceFen,
    productSlug: s.product.slug,
    feeRateBp: s.product.feeRateBp,
  }));
  const peaches = skus.filter((s) => s.productSlug === "peaches");
  const noodles = skus.filter((s) => s.productSlug === "sweet-potato-noodles");
  const peachGrowers = households.filter((h) => h.produce === "peach");
  const noodleMakers = households.filter((h) => h.produce === "noodle");

  const plans = schedule(now, peaches, noodles);
  const groupOrders: Prisma.GroupOrderCreateManyInput[] = [];
  const groupUnits: Prisma.GroupOrderUnitCreateManyInput[] = [];
  const groupItems: Prisma.GroupOrderItemCreateManyInput[] = [];
  const lots: Prisma.StockLotCreateManyInput[] = [];
  const orders: (Prisma.OrderCreateManyInput & { id: string })[] = [];
  const lines: (Prisma.OrderLineCreateManyInput & { id: string })[] = [];
  const allocations: Prisma.AllocationCreateManyInput[] = [];
  const settlements: { groupOrderId: string; unitCode: string; paidAt: Date; orderIds: string[]; amountFen: number }[] = [];
  const refundable: { orderId: string; lineId: string; refundAt: Date }[] = [];
  const pointer = { peach: 0, noodle: 0 };
  const totalOf = new Map<string, number>();

  plans.forEach((plan, g) => {
    const groupId = `seed-group-${String(g).padStart(3, "0")}`;
    const recent = plan.delivery.getTime() > now.getTime() - 14 * DAY;
    groupOrders.push({
      id: groupId,
      cooperativeId: cooperative.id,
      organizerId: organizerOf.get(plan.circle.opener)!,
      title: plan.title,
      status: "settled",
      opensAt: plan.opens,
      closesAt: plan.closes,
      pickupPoint: pickupPoint(plan.circle.opener),
      deliveryDate: dateOnly(plan.delivery),
      allowCard: false,
      allowUnitSettlement: true,
      closedAt: plan.closes,
      deliveredAt: plan.delivery,
      createdAt: plan.opens,
      updatedAt: plan.delivery,
    });
    for (const code of plan.circle.units) groupUnits.push({ groupOrderId: groupId, unitId: unitId.get(code)! });
    for (const sku of plan.skus)
      groupItems.push({ groupOrderId: groupId, skuId: sku.id, perPersonLimit: plan.produce === "peach" ? 5 : 10 });

    // The units pay together in the days after delivery, each its own settlement.
    const paidOn = new Date(Math.min(later(plan.delivery, between(random, 1, 8), 2).getTime(), now.getTime() - DAY));
    const paidAt = new Map(plan.circle.units.map((code, k) => [code, later(paidOn, 0, k)]));
    // One order per buyer at most, drawn from the invited units' members.
    const pool = plan.circle.units.flatMap((code) => buyersOf.get(code)!.map((buyer) => ({ buyer, code })));
    const count = Math.min(plan.orders, Math.floor(pool.length * 0.85));
    const chosen = shuffle(pool, random).slice(0, count);
    const demand = new Map<string, { lineId: string; quantity: number; createdAt: Date }[]>();
    const byUnit = new Map<string, string[]>();
    for (const [n, { buyer, code }] of chosen.entries()) {
      const orderId = `${groupId}-o${String(n).padStart(3, "0")}`;
      const createdAt = new Date(plan.opens.getTime() + random() * (plan.closes.getTime() - plan.opens.getTime()));
      const wanted = plan.skus.length > 1 && random() < 0.2 ? plan.skus : [plan.skus[random() < 0.6 ? 0 : plan.skus.length - 1]!];
      let total = 0;
      for (const [k, sku] of wanted.entries()) {
        const quantity = plan.produce === "peach" ? (random() < 0.5 ? 1 : random() < 0.7 ? 2 : 3) : between(random, 1, 4);
        const lineId = `${orderId}-l${k}`;
        lines.push({
          id: lineId,
          orderId,
          skuId: sku.id,
          quantity,
          unitPriceFen: sku.priceFen,
          lineTotalFen: sku.priceFen * quantity,
          feeRateBp: sku.feeRateBp,
        });
        if (!demand.has(sku.id)) demand.set(sku.id, []);
        demand.get(sku.id)!.push({ lineId, quantity, createdAt });
        total += sku.priceFen * quantity;
        if (plan.produce === "peach" && quantity >= 2 && random() < 0.025)
          refundable.push({ orderId, lineId, refundAt: later(paidOn, 0, 6) });
      }
      const confirm = recent ? (random() < 0.4 ? "buyer" : null) : random() < 0.8 ? "organizer" : random() < 0.75 ? "buyer" : null;
      orders.push({
        id: orderId,
        number: `AS${orderNumberDay(createdAt)}-S${String(g).padStart(2, "0")}${String(n).padStart(3, "0")}`,
        userId: buyer,
        unitId: unitId.get(code)!,
        groupOrderId: groupId,
        fulfilment: "group_pickup",
        paymentMethod: "unit_settlement",
        fulfilmentStatus: "delivered",
        subtotalFen: total,
        totalFen: total,
        idempotencyKey: `seed:${orderId}`,
        createdAt,
        updatedAt: plan.delivery,
        packedAt: later(plan.delivery, -1),
        shippedAt: later(plan.delivery, 0, -3),
        deliveredAt: plan.delivery,
        receivedAt: confirm ? later(plan.delivery, confirm === "organizer" ? 0 : between(random, 0, 3), 6) : null,
        receivedBy: confirm,
      });
      totalOf.set(orderId, total);
      if (!byUnit.has(code)) byUnit.set(code, []);
      byUnit.get(code)!.push(orderId);
    }

    // The households' lots for this delivery: a few boxes or bags each, taken in turn through the village's growers.
    for (const sku of plan.skus) {
      const wanted = demand.get(sku.id) ?? [];
      const units = wanted.reduce((sum, w) => sum + w.quantity, 0);
      if (units === 0) continue;
      const list = (plan.produce === "peach" ? peachGrowers : noodleMakers).filter(
        (h) => !h.stoppedSelling || plan.delivery.getTime() < now.getTime() - 120 * DAY,
      );
      const count = Math.min(units, list.length, Math.max(2, Math.ceil(units / 6)));
      const sizes = split(units, count, random);
      const lotIds: { id: string; left: number }[] = [];
      for (let k = 0; k < count; k++) {
        const household = list[pointer[plan.produce]++ % list.length]!;
        const id = `${groupId}-${sku.code}-${k}`.toLowerCase();
        const produced = plan.produce === "peach" ? later(plan.delivery, -2) : later(plan.delivery, -between(random, 20, 60));
        lots.push({
          id,
          code: `L-${shopDateOf(plan.delivery).slice(5).replace("-", "")}-${(0x100000 + lots.length).toString(16).toUpperCase()}`,
          traceCode: `S${String(lots.length).padStart(5, "0")}${sku.code.slice(0, 2)}`,
          skuId: sku.id,
          householdId: household.row.id,
          quantityReceived: sizes[k]!,
          quantityAllocated: sizes[k]!,
          producedOn: dateOnly(produced),
          receivedOn: dateOnly(later(plan.delivery, plan.produce === "peach" ? -1 : -10)),
          bestBefore: dateOnly(later(produced, plan.produce === "peach" ? 8 : 240)),
          createdAt: later(plan.delivery, -3),
        });
        lotIds.push({ id, left: sizes[k]! });
      }
      // First come, first served from the lots in turn, a line split where one lot runs out.
      let lot = 0;
      for (const line of wanted) {
        let need = line.quantity;
        while (need > 0) {
          const take = Math.min(need, lotIds[lot]!.left);
          allocations.push({
            id: `${line.lineId}-a${lot}`,
            orderLineId: line.lineId,
            lotId: lotIds[lot]!.id,
            quantity: take,
            createdAt: line.createdAt,
          });
          lotIds[lot]!.left -= take;
          need -= take;
          if (lotIds[lot]!.left === 0) lot++;
        }
      }
    }

    for (const [code, orderIds] of byUnit) {
      const amountFen = orderIds.reduce((sum, id) => sum + totalOf.get(id)!, 0);
      settlements.push({ groupOrderId: groupId, unitCode: code, paidAt: paidAt.get(code)!, orderIds, amountFen });
    }
  });

  await db.$transaction(
    async (tx) => {
      await insertRows(tx, "GroupOrder", groupOrders);
      await insertRows(tx, "GroupOrderUnit", groupUnits);
      await insertRows(tx, "GroupOrderItem", groupItems);
      await insertRows(tx, "StockLot", lots);
      await insertRows(tx, "Order", orders);
      await insertRows(tx, "OrderLine", lines);
      await insertRows(tx, "Allocation", allocations);
      await insertRows(
        tx,
        "UnitSettlement",
        settlements.map((s, k) => ({
          id: `seed-settlement-${k}`,
          groupOrderId: s.groupOrderId,
          unitId: unitId.get(s.unitCode)!,
          amountFen: s.amountFen,
          reference: `工会经费 GH-${s.unitCode}-${shopDateOf(s.paidAt).replace(/-/g, "")}`,
          paidOn: dateOnly(s.paidAt),
          recordedById: organizerOf.get(s.unitCode)!,
          createdAt: s.paidAt,
        })),
      );
      await insertRows(
        tx,
        "Payment",
        settlements.flatMap((s, k) =>
          s.orderIds.map((orderId) => ({
            id: `${orderId}-p`,
            orderId,
            method: "unit_settlement" as const,
            status: "succeeded" as const,
            amountFen: totalOf.get(orderId)!,
            settlementId: `seed-settlement-${k}`,
            succeededAt: s.paidAt,
            createdAt: s.paidAt,
            updatedAt: s.paidAt,
          })),
        ),
      );
      await insertRows(
        tx,
        "AuditLog",
        settlements.map((s, k) => ({
          actorId: organizerOf.get(s.unitCode)!,
          action: "group_order.settle",
          entityType: "GroupOrder",
          entityId: s.groupOrderId,
          changes: {
            settlementId: `seed-settlement-${k}`,
            unitId: unitId.get(s.unitCode)!,
            amountFen: s.amountFen,
            orders: s.orderIds.length,
          },
          createdAt: s.paidAt,
        })),
      );
      // What the settlement job does for each unit's payment: the orders become paid and the households are credited.
      // One batch per group order, at the time the last of its units paid.
      const batches = new Map<string, { paidAt: Date; orders: { orderId: string; paymentId: string }[] }>();
      for (const s of settlements) {
        const batch = batches.get(s.groupOrderId) ?? { paidAt: s.paidAt, orders: [] };
        batch.paidAt = s.paidAt > batch.paidAt ? s.paidAt : batch.paidAt;
        batch.orders.push(...s.orderIds.map((orderId) => ({ orderId, paymentId: `${orderId}-p` })));
        batches.set(s.groupOrderId, batch);
      }
      for (const batch of batches.values()) await confirmOrderPayments(tx, batch.orders, batch.paidAt);
    },
    { timeout: 120_000 },
  );

  // A box that arrived bruised: the cooperative refunds it once the unit has paid.
  // Eight of them, spread over the season.
  const step = Math.max(1, Math.floor(refundable.length / 8));
  for (const [k, refund] of refundable
    .filter((_, n) => n % step === 0)
    .slice(0, 8)
    .entries())
    await refundOrder({
      orderId: refund.orderId,
      actorId: coopUser.id,
      villageId: coopUser.villageId,
      idempotencyKey: `seed-refund-${k}`,
      reason: "到货时一箱桃子磕碰腐烂，按件退款",
      lines: [{ orderLineId: refund.lineId, quantity: 1 }],
      now: refund.refundAt,
    });

  await payOut(now, coopUser.id, cooperative.id);
}

function pickupPoint(opener: string) {
  return opener === "HQ" ? "局机关大院东门传达室" : opener === "T1" ? "第一地质大队办公楼一楼大厅" : "第二地质大队职工食堂门口";
}

function shuffle<T>(list: T[], random: Random) {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** `total` units in `parts` lots of uneven size, each at least one. */
function split(total: number, parts: number, random: Random) {
  const weights = Array.from({ length: parts }, () => 0.5 + random());
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => 1 + Math.floor(((total - parts) * w) / sum));
  let left = total - sizes.reduce((a, b) => a + b, 0);
  for (let k = 0; left > 0; k = (k + 1) % parts, left--) sizes[k]!++;
  return sizes;
}

/**
 * The cooperative pays each household what it has earned after each season — after the peaches in October, after
 * Spring Festival's noodles in February, and at midsummer — in whole hundreds of yuan, never more than the household's
 * balance that day. Written as recordPayout writes them (payout row, `payout:<id>` ledger entry, audit record), in
 * three statements per round instead of three per household.
 */
async function payOut(now: Date, coopUserId: string, cooperativeId: string) {
  const year = currentShopYear(now);
  const rounds = [shopAt(year - 1, 12, 20), shopAt(year, 2, 20), shopAt(year, 6, 20), shopAt(year, 10, 15)].filter(
    (day) => day.getTime() < now.getTime() - DAY,
  );
  for (const [round, paidAt] of rounds.entries()) {
    const prefix = `seed-payout-${round}-`;
    const paidOn = shopDateOf(paidAt);
    await db.$transaction(async (tx) => {
      await tx.$executeRaw`
        INSERT INTO "Payout" ("id", "householdId", "amountFen", "method", "reference", "paidOn", "idempotencyKey", "createdById", "createdAt")
        SELECT ${prefix} || b."householdId", b."householdId", (b."balance" / 10000) * 10000,
          (CASE WHEN ascii(right(b."householdId", 1)) % 3 = 0 THEN 'cash' ELSE 'bank_transfer' END)::"PayoutMethod",
          ${`合作社 ${paidOn} 兑付`}, ${paidOn}::date, b."householdId" || ':' || ${prefix}, ${coopUserId}, ${paidAt}::timestamp(3)
        FROM (
          SELECT "householdId", SUM("amountFen")::int AS "balance" FROM "LedgerEntry"
          WHERE "householdId" IS NOT NULL AND "occurredAt" < ${paidAt}::timestamp(3) GROUP BY 1
        ) b
        WHERE b."balance" >= 10000`;
      await tx.$executeRaw`
        INSERT INTO "LedgerEntry" ("entryKey", "kind", "householdId", "cooperativeId", "amountFen", "payoutId", "occurredAt")
        SELECT 'payout:' || p."id", 'payout', p."householdId", ${cooperativeId}, -p."amountFen", p."id", p."createdAt"
        FROM "Payout" p WHERE p."id" LIKE ${`${prefix}%`}`;
      await tx.$executeRaw`
        INSERT INTO "AuditLog" ("actorId", "action", "entityType", "entityId", "changes", "createdAt")
        SELECT ${coopUserId}, 'payout.record', 'Household', p."householdId",
          jsonb_build_object('payoutId', p."id", 'amountFen', p."amountFen", 'method', p."method"::text, 'reference', p."reference"), p."createdAt"
        FROM "Payout" p WHERE p."id" LIKE ${`${prefix}%`}`;
    });
  }
}
