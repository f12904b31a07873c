// What a household's own card page shows (/h/<token>): this year's and last year's income credited through the shop
// by month, who bought what, the cooperative's fee on its sales, the payouts it received and the balance the
// cooperative holds for it. Everything is read from its ledger entries (and the allocations they name), so the page
// agrees with the team's income ledger to the fen. Nothing about other households, members, ID numbers or health.
import { db, Prisma } from "~/db/client.server";
import { currentShopYear, shopYearStart } from "~/utils/dates";
import { shopLocal } from "~/utils/dates.server";
import { cardName } from "./cards.server";

const local = (column: string) => shopLocal(Prisma.raw(column));

export async function householdCardFigures(householdId: string, now = new Date()) {
  const year = currentShopYear(now);
  const from = shopYearStart(year - 1);
  const to = shopYearStart(year + 1);
  const [household, monthly, purchases, fees, payouts, [totals]] = await Promise.all([
    db.household.findUniqueOrThrow({
      where: { id: householdId },
      select: {
        code: true,
        headName: true,
        displayName: true,
        consentToDisplay: true,
        villageGroup: true,
        village: { select: { name: true, nameEn: true } },
      },
    }),
    db.$queryRaw<{ year: number; month: number; incomeFen: number }[]>`
      SELECT EXTRACT(YEAR FROM ${local(`"occurredAt"`)})::int AS "year", EXTRACT(MONTH FROM ${local(`"occurredAt"`)})::int AS "month",
        SUM("amountFen")::int AS "incomeFen"
      FROM "LedgerEntry"
      WHERE "householdId" = ${householdId} AND "kind" IN ('sale_credit', 'sale_reversal')
        AND "occurredAt" >= ${from}::timestamp AND "occurredAt" < ${to}::timestamp
      GROUP BY 1, 2`,
    // Boxes still sold (refunded ones are not), on the allocations this household's credits were written for; an
    // allocation moved to another lot is released and counts for the household whose lot took it over.
    db.$queryRaw<
      {
        year: number;
        unitName: string | null;
        unitNameEn: string | null;
        productZh: string;
        productEn: string;
        skuZh: string;
        skuEn: string;
        boxes: number;
      }[]
    >`
      SELECT EXTRACT(YEAR FROM ${local(`e."occurredAt"`)})::int AS "year", u."name" AS "unitName", u."nameEn" AS "unitNameEn",
        p."nameZh" AS "productZh", p."nameEn" AS "productEn", s."nameZh" AS "skuZh", s."nameEn" AS "skuEn",
        SUM(a."quantity" - a."refundedQuantity")::int AS "boxes"
      FROM "LedgerEntry" e
      JOIN "Allocation" a ON a."id" = e."allocationId"
      JOIN "OrderLine" ol ON ol."id" = a."orderLineId"
      JOIN "Order" o ON o."id" = ol."orderId"
      LEFT JOIN "Unit" u ON u."id" = o."unitId"
      JOIN "Sku" s ON s."id" = ol."skuId"
      JOIN "Product" p ON p."id" = s."productId"
      WHERE e."householdId" = ${householdId} AND e."kind" = 'sale_credit' AND a."releasedAt" IS NULL
        AND e."occurredAt" >= ${from}::timestamp AND e."occurredAt" < ${to}::timestamp
      GROUP BY 1, u."id", s."id", p."id"
      HAVING SUM(a."quantity" - a."refundedQuantity") > 0
      ORDER BY 1 DESC, "boxes" DESC, u."name", p."nameZh", s."nameZh"`,
    // The fee entries belong to the cooperative (no householdId); each names the allocation, so the lot, it was kept on.
    db.$queryRaw<{ year: number; feeFen: number }[]>`
      SELECT EXTRACT(YEAR FROM ${local(`e."occurredAt"`)})::int AS "year", SUM(e."amountFen")::int AS "feeFen"
      FROM "LedgerEntry" e JOIN "Allocation" a ON a."id" = e."allocationId" JOIN "StockLot" l ON l."id" = a."lotId"
      WHERE l."householdId" = ${householdId} AND e."kind" IN ('fee', 'fee_reversal')
        AND e."occurredAt" >= ${from}::timestamp AND e."occurredAt" < ${to}::timestamp
      GROUP BY 1`,
    db.payout.findMany({
      where: { householdId, paidOn: { gte: new Date(`${year - 1}-01-01T00:00:00Z`) } },
      orderBy: [{ paidOn: "desc" }, { createdAt: "desc" }],
      select: { id: true, paidOn: true, method: true, amountFen: true },
    }),
    db.$queryRaw<{ balanceFen: number; everSold: boolean }[]>`
      SELECT COALESCE(SUM("amountFen"), 0)::int AS "balanceFen", BOOL_OR("kind" = 'sale_credit') IS TRUE AS "everSold"
      FROM "LedgerEntry" WHERE "householdId" = ${householdId}`,
  ]);
  const years = [year, year - 1].map((y) => {
    const months = Array.from({ length: 12 }, (_, i) => monthly.find((m) => m.year === y && m.month === i + 1)?.incomeFen ?? 0);
    return {
      year: y,
      months,
      incomeFen: months.reduce((sum, fen) => sum + fen, 0),
      feeFen: fees.find((f) => f.year === y)?.feeFen ?? 0,
      purchases: purchases.filter((p) => p.year === y).map(({ year: _year, ...row }) => row),
    };
  });
  return {
    household: { code: household.code, name: cardName(household), villageGroup: household.villageGroup, village: household.village },
    years,
    payouts,
    balanceFen: totals?.balanceFen ?? 0,
    everSold: totals?.everSold ?? false,
  };
}

export type HouseholdCardFigures = Awaited<ReturnType<typeof householdCardFigures>>;
