import type { LoaderFunctionArgs } from "@remix-run/node";
import { ScrollRegion } from "~/components/data-table";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { PageHeader } from "~/components/page";
import { settlementsForCooperative } from "~/domain/group-orders/statement.server";
import { formatFen } from "~/domain/money";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { formatDate } from "~/utils/dates";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("groupOrders.statement.listTitle");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  return { settlements: await settlementsForCooperative(user) };
}

/** Every unit's settlement of the cooperative's group orders, each with its statement. */
export default function CoopSettlements() {
  const t = useT();
  const locale = useLocale();
  const tag = languageTag(locale);
  const { settlements } = useLoaderData<typeof loader>();
  const cell = "p-2";
  return (
    <div className="space-y-4">
      <PageHeader title={t("groupOrders.statement.listTitle")} />
      {settlements.length === 0 ? (
        <p className="text-stone-600">{t("groupOrders.statement.noneYet")}</p>
      ) : (
        <ScrollRegion label={t("groupOrders.statement.listTitle")}>
          <table className="w-full rounded-lg border border-stone-200 bg-white text-sm">
            <thead className="bg-stone-50 text-left">
              <tr>
                <th className={cell}>{t("groupOrders.statement.groupOrder")}</th>
                <th className={cell}>{t("groupOrders.statement.unit")}</th>
                <th className={`${cell} text-right`}>{t("groupOrders.statement.orderCount")}</th>
                <th className={`${cell} text-right`}>{t("groupOrders.statement.amount")}</th>
                <th className={cell}>{t("groupOrders.statement.reference")}</th>
                <th className={cell}>{t("groupOrders.statement.paidOn")}</th>
                <th className={cell} />
              </tr>
            </thead>
            <tbody>
              {settlements.map((settlement) => (
                <tr key={settlement.id} className="border-t border-stone-100">
                  <td className={cell}>{settlement.groupOrder.title}</td>
                  <td className={cell}>{locale === "en" ? settlement.unit.nameEn : settlement.unit.name}</td>
                  <td className={`${cell} text-right`}>{settlement._count.payments}</td>
                  <td className={`${cell} text-right`}>{formatFen(settlement.amountFen)}</td>
                  <td className={cell}>{settlement.reference}</td>
                  <td className={cell}>{formatDate(settlement.paidOn, tag)}</td>
                  <td className={`${cell} space-x-3 whitespace-nowrap`}>
                    <Link className="text-brand-700 underline" to={`/coop/settlements/${settlement.id}`}>
                      {t("groupOrders.unitSettlement.statement")}
                    </Link>
                    <a className="text-brand-700 underline" href={`/coop/settlements/${settlement.id}/xlsx`} download>
                      {t("groupOrders.unitSettlement.statementXlsx")}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </div>
  );
}
