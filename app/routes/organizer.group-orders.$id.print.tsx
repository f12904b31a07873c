import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { getGroupOrderForOrganizer } from "~/domain/group-orders/access.server";
import { pickupList } from "~/domain/group-orders/exports.server";
import { skuTotalsFor } from "~/domain/group-orders/queries.server";
import { formatFen } from "~/domain/money";
import { getLocale } from "~/i18n/i18n.server";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { formatDate } from "~/utils/dates";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "organizer", "admin");
  const group = await getGroupOrderForOrganizer(user, params.id ?? "");
  const locale = await getLocale(request);
  const [rows, totals] = await Promise.all([pickupList(group.id, locale, group.unitScope), skuTotalsFor(group.id, group.unitScope)]);
  return { group: { id: group.id, title: group.title, pickupPoint: group.pickupPoint, deliveryDate: group.deliveryDate }, rows, totals };
}

/** The pickup list laid out for paper: one line per order and an empty column to tick at handover. */
export default function PrintPickupList() {
  const t = useT();
  const locale = useLocale();
  const { group, rows, totals } = useLoaderData<typeof loader>();
  const cell = "border border-stone-400 px-2 py-1";
  return (
    <div className="space-y-4 text-sm print:text-xs">
      <div className="flex items-center justify-between gap-2 print:hidden">
        <Link to={`/organizer/group-orders/${group.id}`} className="text-brand-700 underline">
          ← {group.title}
        </Link>
        <button type="button" onClick={() => window.print()} className="rounded border border-stone-300 px-3 py-1.5">
          {t("groupOrders.print")}
        </button>
      </div>
      <h1 className="text-xl font-semibold">{t("groupOrders.printTitle", { title: group.title })}</h1>
      <p>{t("groupOrders.pickup", { place: group.pickupPoint, date: formatDate(group.deliveryDate, languageTag(locale)) })}</p>
      <table className="w-full border-collapse">
        <thead>
          <tr>
            <th className={cell}>#</th>
            <th className={cell}>{t("groupOrders.buyer")}</th>
            <th className={cell}>{t("groupOrders.unit")}</th>
            <th className={cell}>{t("groupOrders.items")}</th>
            <th className={cell}>{t("groupOrders.amount")}</th>
            <th className={cell}>{t("groupOrders.paid")}</th>
            <th className={`${cell} w-20`}>{t("groupOrders.pickedUp")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={row.number} className="break-inside-avoid">
              <td className={cell}>{index + 1}</td>
              <td className={cell}>{row.buyer}</td>
              <td className={cell}>{row.unit}</td>
              <td className={cell}>{row.items}</td>
              <td className={`${cell} text-right`}>{formatFen(row.totalFen)}</td>
              <td className={cell}>{row.paid ? t("groupOrders.yes") : t("groupOrders.no")}</td>
              <td className={cell} />
            </tr>
          ))}
        </tbody>
      </table>
      <h2 className="font-semibold">{t("groupOrders.skuTotals")}</h2>
      <table className="border-collapse">
        <tbody>
          {totals.map((row) => (
            <tr key={row.skuId}>
              <td className={cell}>{locale === "en" ? `${row.productEn} ${row.skuEn}` : `${row.productZh} ${row.skuZh}`}</td>
              <td className={`${cell} text-right`}>{row.quantity}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
