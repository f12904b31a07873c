// The lists the pickup point works from: one row per live order (by unit, then buyer), and units and money per SKU,
// as tables for CSV, XLSX and print.
import { db } from "~/db/client.server";
import type { Locale } from "~/i18n/i18n";
import { catalogs } from "~/i18n/i18n.server";
import type { ReportTable } from "~/utils/tables.server";
import { LIVE_ORDER_STATUSES, skuTotalsFor } from "./queries.server";

export type PickupRow = { number: string; buyer: string; unit: string; items: string; totalFen: number; paid: boolean };

/** One row per live order (of one unit's members, with `unitScope`), by unit then buyer, as the pickup point reads it. */
export async function pickupList(groupOrderId: string, locale: Locale, unitScope: string | null = null): Promise<PickupRow[]> {
  const orders = await db.order.findMany({
    where: { groupOrderId, status: { in: [...LIVE_ORDER_STATUSES] }, ...(unitScope === null ? {} : { unitId: unitScope }) },
    select: {
      number: true,
      status: true,
      totalFen: true,
      user: { select: { name: true } },
      unit: { select: { name: true, nameEn: true } },
      lines: {
        orderBy: { skuId: "asc" },
        select: { quantity: true, sku: { select: { nameZh: true, nameEn: true, product: { select: { nameZh: true, nameEn: true } } } } },
      },
    },
  });
  const rows = orders.map((order) => ({
    number: order.number,
    buyer: order.user.name,
    unit: (locale === "en" ? order.unit?.nameEn : order.unit?.name) ?? "",
    items: order.lines
      .map(
        (line) =>
          `${locale === "en" ? `${line.sku.product.nameEn} ${line.sku.nameEn}` : `${line.sku.product.nameZh} ${line.sku.nameZh}`} × ${line.quantity}`,
      )
      .join(locale === "en" ? "; " : "；"),
    totalFen: order.totalFen,
    paid: order.status === "paid",
  }));
  const collator = new Intl.Collator(locale === "en" ? "en" : "zh-CN");
  return rows.sort((a, b) => collator.compare(a.unit, b.unit) || collator.compare(a.buyer, b.buyer) || a.number.localeCompare(b.number));
}

/** The pickup list, with an empty column to tick when the goods are handed over. Money in fen. */
export async function pickupListTable(groupOrderId: string, locale: Locale, unitScope: string | null = null): Promise<ReportTable> {
  const m = catalogs[locale].groupOrders;
  const rows = await pickupList(groupOrderId, locale, unitScope);
  return {
    sheet: m.pickupSheet,
    header: [m.number, m.buyer, m.unit, m.items, m.amount, m.paid, m.pickedUp],
    rows: rows.map((row) => [row.number, row.buyer, row.unit, row.items, row.totalFen, row.paid ? m.yes : m.no, ""]),
    moneyColumns: [4],
  };
}

/** Units and money per SKU (what the cooperative packs for this group order). Money in fen. */
export async function skuTotalsTable(groupOrderId: string, locale: Locale, unitScope: string | null = null): Promise<ReportTable> {
  const m = catalogs[locale].groupOrders;
  const rows = await skuTotalsFor(groupOrderId, unitScope);
  return {
    sheet: m.totalsSheet,
    header: [m.items, m.quantity, m.paidQuantity, m.amount],
    rows: rows.map((row) => [
      locale === "en" ? `${row.productEn} ${row.skuEn}` : `${row.productZh} ${row.skuZh}`,
      row.quantity,
      row.paidQuantity,
      row.totalFen,
    ]),
    moneyColumns: [3],
  };
}
