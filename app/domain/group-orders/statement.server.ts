// The settlement statement (对账单) a unit's finance office files: for one unit's settlement of a group order, the
// orders it paid for (number, buyer, lines, amount), the settlement's reference and date, and the households its
// money was credited to. The unit's organizer (or the opener, or an admin) and the group order's cooperative read it.
import { db } from "~/db/client.server";
import { forbidden, notFound } from "~/domain/errors";
import { cooperativeForVillage } from "~/domain/cooperative/scope.server";
import type { Locale } from "~/i18n/i18n";
import { catalogs } from "~/i18n/i18n.server";
import type { ReportTable } from "~/utils/tables.server";
import { isoDay, shopDateOf } from "~/utils/dates";
import { getGroupOrderForOrganizer, type Organizer } from "./access.server";

export type StatementLine = {
  productZh: string;
  productEn: string;
  skuZh: string;
  skuEn: string;
  quantity: number;
  unitPriceFen: number;
  lineTotalFen: number;
};
export type StatementOrder = { number: string; buyer: string; amountFen: number; lines: StatementLine[] };
export type StatementHousehold = { code: string; name: string | null; creditedFen: number };

export type Statement = Awaited<ReturnType<typeof loadStatement>>;

/** One settlement's statement; 404 if there is none. */
export async function loadStatement(settlementId: string) {
  const settlement = await db.unitSettlement.findUnique({
    where: { id: settlementId },
    select: {
      id: true,
      amountFen: true,
      reference: true,
      paidOn: true,
      createdAt: true,
      recordedById: true,
      unit: { select: { id: true, code: true, name: true, nameEn: true } },
      groupOrder: {
        select: {
          id: true,
          title: true,
          pickupPoint: true,
          deliveryDate: true,
          cooperative: { select: { id: true, name: true, nameEn: true } },
        },
      },
    },
  });
  if (!settlement) throw notFound();
  const [recorder, lineRows, households, fee] = await Promise.all([
    db.user.findUnique({ where: { id: settlement.recordedById }, select: { name: true } }),
    db.$queryRaw<(StatementLine & { number: string; buyer: string; amountFen: number })[]>`
      SELECT o."number", u."name" AS "buyer", pay."amountFen", p."nameZh" AS "productZh", p."nameEn" AS "productEn",
             s."nameZh" AS "skuZh", s."nameEn" AS "skuEn", l."quantity", l."unitPriceFen", l."lineTotalFen"
      FROM "Payment" pay
      JOIN "Order" o ON o."id" = pay."orderId"
      JOIN "User" u ON u."id" = o."userId"
      JOIN "OrderLine" l ON l."orderId" = o."id"
      JOIN "Sku" s ON s."id" = l."skuId"
      JOIN "Product" p ON p."id" = s."productId"
      WHERE pay."settlementId" = ${settlementId}
      ORDER BY o."number", p."nameZh", s."nameZh", l."id"`,
    // Through the order's entries (indexed by order), those the settlement's payments wrote. Names only where the
    // household agreed to show one (DOMAIN §7); the code identifies it either way.
    db.$queryRaw<StatementHousehold[]>`
      SELECT h."code", CASE WHEN h."consentToDisplay" THEN h."displayName" END AS "name", SUM(e."amountFen")::int AS "creditedFen"
      FROM "Payment" pay
      JOIN "LedgerEntry" e ON e."orderId" = pay."orderId" AND e."paymentId" = pay."id"
      JOIN "Household" h ON h."id" = e."householdId"
      WHERE pay."settlementId" = ${settlementId} AND e."kind" = 'sale_credit'
      GROUP BY h."id" ORDER BY h."code"`,
    db.$queryRaw<{ feeFen: number | null }[]>`
      SELECT SUM(e."amountFen")::int AS "feeFen"
      FROM "Payment" pay JOIN "LedgerEntry" e ON e."orderId" = pay."orderId" AND e."paymentId" = pay."id"
      WHERE pay."settlementId" = ${settlementId} AND e."kind" = 'fee'`,
  ]);
  const orders: StatementOrder[] = [];
  for (const { number, buyer, amountFen, ...line } of lineRows) {
    const last = orders[orders.length - 1];
    if (last?.number === number) last.lines.push(line);
    else orders.push({ number, buyer, amountFen, lines: [line] });
  }
  const { recordedById: _, ...rest } = settlement;
  return {
    ...rest,
    recordedBy: recorder?.name ?? "",
    orders,
    households,
    creditedFen: households.reduce((sum, household) => sum + household.creditedFen, 0),
    feeFen: fee[0]?.feeFen ?? 0,
    totalFen: orders.reduce((sum, order) => sum + order.amountFen, 0),
  };
}

/** A unit's statement for the organizer's page: the unit's own organizer, the opener or an admin; 404 before it settled. */
export async function statementForOrganizer(user: Organizer, groupOrderId: string, unitId: string) {
  const group = await getGroupOrderForOrganizer(user, groupOrderId);
  if (group.unitScope !== null && group.unitScope !== unitId) throw forbidden();
  const settlement = await db.unitSettlement.findUnique({ where: { groupOrderId_unitId: { groupOrderId, unitId } }, select: { id: true } });
  if (!settlement) throw notFound();
  return loadStatement(settlement.id);
}

type CoopActor = { villageId: string | null };

/** A statement for the cooperative whose group order it settles; another village's is 403. */
export async function statementForCooperative(actor: CoopActor, settlementId: string) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  const settlement = await db.unitSettlement.findUnique({
    where: { id: settlementId },
    select: { groupOrder: { select: { cooperativeId: true } } },
  });
  if (!settlement) throw notFound();
  if (settlement.groupOrder.cooperativeId !== cooperative.id) throw forbidden();
  return loadStatement(settlementId);
}

/** Every unit settlement of the cooperative's group orders, newest first: what the cooperative sees of each. */
export async function settlementsForCooperative(actor: CoopActor) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  return db.unitSettlement.findMany({
    where: { groupOrder: { cooperativeId: cooperative.id } },
    orderBy: { createdAt: "desc" },
    take: 200,
    select: {
      id: true,
      amountFen: true,
      reference: true,
      paidOn: true,
      createdAt: true,
      unit: { select: { name: true, nameEn: true } },
      groupOrder: { select: { id: true, title: true, deliveryDate: true } },
      _count: { select: { payments: true } },
    },
  });
}

/** The statement as spreadsheet sheets: a summary, one row per order line, and the households credited. Money in fen. */
export function statementTables(statement: Statement, locale: Locale): ReportTable[] {
  const m = catalogs[locale].groupOrders.statement;
  const en = locale === "en";
  const summary: ReportTable = {
    sheet: m.summarySheet,
    header: [m.title, "", m.amount],
    rows: [
      [m.groupOrder, statement.groupOrder.title, ""],
      [m.unit, en ? statement.unit.nameEn : statement.unit.name, ""],
      [m.cooperative, en ? statement.groupOrder.cooperative.nameEn : statement.groupOrder.cooperative.name, ""],
      [m.reference, statement.reference, ""],
      [m.paidOn, isoDay(statement.paidOn), ""],
      [m.recordedAt, shopDateOf(statement.createdAt), ""],
      [m.recordedBy, statement.recordedBy, ""],
      [m.orderCount, statement.orders.length, ""],
      [m.total, "", statement.totalFen],
      [m.households, statement.households.length, statement.creditedFen],
      [m.fee, "", statement.feeFen],
    ],
    moneyColumns: [2],
  };
  const lines: ReportTable = {
    sheet: m.linesSheet,
    header: [m.number, m.buyer, m.items, m.quantity, m.unitPrice, m.amount],
    rows: [
      ...statement.orders.flatMap((order) =>
        order.lines.map((line) => [
          order.number,
          order.buyer,
          en ? `${line.productEn} ${line.skuEn}` : `${line.productZh} ${line.skuZh}`,
          line.quantity,
          line.unitPriceFen,
          line.lineTotalFen,
        ]),
      ),
      [m.total, "", "", "", "", statement.totalFen],
    ],
    moneyColumns: [4, 5],
  };
  const households: ReportTable = {
    sheet: m.householdsSheet,
    header: [m.household, "", m.credited],
    rows: [
      ...statement.households.map((household) => [household.code, household.name ?? "", household.creditedFen]),
      [m.total, "", statement.creditedFen],
      [m.fee, "", statement.feeFen],
    ],
    moneyColumns: [2],
  };
  return [summary, lines, households];
}

/** The file name of a statement download, without extension: the date paid, the unit's code, the reference. */
export function statementFileName(statement: Statement) {
  return `statement-${isoDay(statement.paidOn)}-${statement.unit.code}-${statement.id}`;
}
