// The settlement statement laid out for A4 paper: 40 orders a sheet, each sheet headed with the settlement and its page
// number, opening with what the sheets before it came to and closing with its own total and the running one; then
// the households credited, 40 a sheet. The print stylesheet breaks the page after each sheet.
import type { SerializeFrom } from "@remix-run/node";
import { Link } from "@remix-run/react";
import type { Statement } from "~/domain/group-orders/statement.server";
import { formatFen } from "~/domain/money";
import { languageTag, type MessageKey } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { formatDate, formatDateTime } from "~/utils/dates";

export const ORDERS_PER_SHEET = 40;

const PRINT_CSS = `
@page { size: A4; margin: 12mm; }
@media print {
  .statement-sheet { break-after: page; border: none !important; padding: 0 !important; margin: 0 !important; }
  .statement-sheet:last-child { break-after: auto; }
}`;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

type Props = { statement: SerializeFrom<Statement>; back: string; xlsx: string };

export function SettlementStatementView({ statement, back, xlsx }: Props) {
  const t = useT();
  const locale = useLocale();
  const tag = languageTag(locale);
  const en = locale === "en";
  const orderSheets = chunks(statement.orders, ORDERS_PER_SHEET);
  const householdSheets = chunks(statement.households, ORDERS_PER_SHEET);
  const pages = Math.max(1, orderSheets.length) + Math.max(1, householdSheets.length);
  const cell = "border border-stone-400 px-1.5 py-0.5";
  let running = 0;
  const orderPages = (orderSheets.length ? orderSheets : [[]]).map((orders) => {
    const broughtForward = running;
    const pageTotal = orders.reduce((sum, order) => sum + order.amountFen, 0);
    running += pageTotal;
    return { orders, broughtForward, pageTotal, carried: running };
  });

  const facts: [MessageKey, string, string?][] = [
    ["groupOrders.statement.unit", en ? statement.unit.nameEn : statement.unit.name],
    ["groupOrders.statement.groupOrder", statement.groupOrder.title],
    ["groupOrders.statement.cooperative", en ? statement.groupOrder.cooperative.nameEn : statement.groupOrder.cooperative.name],
    ["groupOrders.statement.reference", statement.reference, "statement-reference"],
    ["groupOrders.statement.paidOn", formatDate(statement.paidOn, tag)],
    ["groupOrders.statement.recordedAt", formatDateTime(statement.createdAt, tag)],
    ["groupOrders.statement.recordedBy", statement.recordedBy],
  ];

  const head = (page: number) => (
    <header className="mb-2 space-y-0.5">
      <div className="flex items-baseline justify-between gap-2">
        <h1 className="text-base font-semibold">{t("groupOrders.statement.title")}</h1>
        <span data-testid="statement-page">{t("groupOrders.statement.page", { page, pages })}</span>
      </div>
      <dl className="flex flex-wrap gap-x-4 gap-y-0.5">
        {facts.map(([label, value, testId]) => (
          <div key={label} className="flex gap-1">
            <dt>{t(label)}:</dt>
            <dd data-testid={testId}>{value}</dd>
          </div>
        ))}
      </dl>
    </header>
  );

  return (
    <div className="space-y-4 text-xs leading-tight">
      <style>{PRINT_CSS}</style>
      <div className="flex items-center justify-between gap-2 text-sm print:hidden">
        <Link to={back} className="text-brand-700 underline">
          ← {t("groupOrders.statement.back")}
        </Link>
        <div className="flex gap-2">
          <a href={xlsx} download className="rounded border border-stone-300 px-3 py-1.5">
            {t("groupOrders.unitSettlement.statementXlsx")}
          </a>
          <button type="button" onClick={() => window.print()} className="rounded border border-stone-300 px-3 py-1.5">
            {t("groupOrders.statement.print")}
          </button>
        </div>
      </div>
      {orderPages.map(({ orders, broughtForward, pageTotal, carried }, index) => {
        const last = index === orderPages.length - 1;
        return (
          <section key={`orders-${index}`} className="statement-sheet mx-auto max-w-[210mm] rounded border border-stone-200 bg-white p-4">
            {head(index + 1)}
            <table className="w-full border-collapse">
              <thead>
                <tr>
                  <th className={cell}>#</th>
                  <th className={cell}>{t("groupOrders.statement.number")}</th>
                  <th className={cell}>{t("groupOrders.statement.buyer")}</th>
                  <th className={cell}>{t("groupOrders.statement.items")}</th>
                  <th className={`${cell} text-right`}>{t("groupOrders.statement.amount")}</th>
                </tr>
              </thead>
              <tbody>
                {index > 0 ? (
                  <tr>
                    <td className={cell} colSpan={4}>
                      {t("groupOrders.statement.broughtForward")}
                    </td>
                    <td className={`${cell} text-right`}>{formatFen(broughtForward)}</td>
                  </tr>
                ) : null}
                {orders.map((order, row) => (
                  <tr key={order.number} className="break-inside-avoid">
                    <td className={cell}>{index * ORDERS_PER_SHEET + row + 1}</td>
                    <td className={`${cell} font-mono`}>{order.number}</td>
                    <td className={cell}>{order.buyer}</td>
                    <td className={cell}>
                      {order.lines
                        .map(
                          (line) =>
                            `${en ? `${line.productEn} ${line.skuEn}` : `${line.productZh} ${line.skuZh}`} × ${line.quantity} @ ${formatFen(line.unitPriceFen)}`,
                        )
                        .join(en ? "; " : "；")}
                    </td>
                    <td className={`${cell} text-right`}>{formatFen(order.amountFen)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <td className={cell} colSpan={4}>
                    {t("groupOrders.statement.pageTotal")}
                  </td>
                  <td className={`${cell} text-right`}>{formatFen(pageTotal)}</td>
                </tr>
                <tr className="font-semibold">
                  <td className={cell} colSpan={4}>
                    {last ? t("groupOrders.statement.total") : t("groupOrders.statement.carriedForward")}
                  </td>
                  <td className={`${cell} text-right`} data-testid={last ? "statement-total" : undefined}>
                    {formatFen(carried)}
                  </td>
                </tr>
              </tfoot>
            </table>
          </section>
        );
      })}
      {(householdSheets.length ? householdSheets : [[]]).map((households, index) => {
        const page = Math.max(1, orderSheets.length) + index + 1;
        const last = index === Math.max(1, householdSheets.length) - 1;
        return (
          <section
            key={`households-${index}`}
            className="statement-sheet mx-auto max-w-[210mm] rounded border border-stone-200 bg-white p-4"
          >
            {head(page)}
            <h2 className="mb-1 font-semibold">{t("groupOrders.statement.households")}</h2>
            <table className="w-full border-collapse">
              <thead>
                <tr>
                  <th className={cell}>{t("groupOrders.statement.household")}</th>
                  <th className={`${cell} text-right`}>{t("groupOrders.statement.credited")}</th>
                </tr>
              </thead>
              <tbody>
                {households.map((household) => (
                  <tr key={household.code} className="break-inside-avoid">
                    <td className={cell}>
                      {household.code}
                      {household.name ? ` ${household.name}` : ""}
                    </td>
                    <td className={`${cell} text-right`}>{formatFen(household.creditedFen)}</td>
                  </tr>
                ))}
              </tbody>
              {last ? (
                <tfoot>
                  <tr className="font-semibold">
                    <td className={cell}>{t("groupOrders.statement.total")}</td>
                    <td className={`${cell} text-right`} data-testid="statement-credited">
                      {formatFen(statement.creditedFen)}
                    </td>
                  </tr>
                  <tr>
                    <td className={cell}>{t("groupOrders.statement.fee")}</td>
                    <td className={`${cell} text-right`}>{formatFen(statement.feeFen)}</td>
                  </tr>
                </tfoot>
              ) : null}
            </table>
          </section>
        );
      })}
    </div>
  );
}
