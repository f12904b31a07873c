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
import { DataTable } from "~/components/data-table";

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
      <DataTable
        caption={t("groupOrders.printTitle", { title: group.title })}
        rows={rows.map((row, index) => ({ ...row, index: index + 1 }))}
        rowKey={(row) => row.number}
        columns={[
          { header: t("groupOrders.buyer"), cell: (row) => `${row.index}. ${row.buyer}` },
          { header: t("groupOrders.unit"), cell: (row) => row.unit },
          { header: t("groupOrders.items"), cell: (row) => row.items },
          { header: t("groupOrders.amount"), cell: (row) => formatFen(row.totalFen), numeric: true },
          { header: t("groupOrders.paid"), cell: (row) => (row.paid ? t("groupOrders.yes") : t("groupOrders.no")) },
          {
            header: t("groupOrders.pickedUp"),
            cell: () => <span aria-hidden="true" className="inline-block h-5 w-5 border border-stone-500" />,
          },
        ]}
      />
      <h2 className="font-semibold">{t("groupOrders.skuTotals")}</h2>
      <table className="max-w-full border-collapse">
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
