import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { HouseholdPartHeader } from "~/components/household-parts";
import { ledgerEntryCause, type LedgerCause } from "~/domain/households/ledger-causes.server";
import { formatFen } from "~/domain/money";
import { languageTag, type MessageKey } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { formatDateTime, isoDay } from "~/utils/dates";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle<typeof loader>((t, data) =>
  data ? t("households.causePage.title", { code: data.entry.household.code }) : "",
);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  return ledgerEntryCause(viewer, params.householdId ?? "", params.entryId ?? "");
}

const kindKey = (kind: string) => `households.kinds.${kind}` as MessageKey;

export default function LedgerEntryCause() {
  const t = useT();
  const tag = languageTag(useLocale());
  const { entry, order, payout } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <HouseholdPartHeader
        householdId={entry.household.id}
        title={t("households.causePage.title", { code: entry.household.code })}
        body={t("households.causePage.entry", {
          kind: t(kindKey(entry.kind)),
          amount: formatFen(entry.amountFen),
          date: formatDateTime(entry.occurredAt, tag),
        })}
      />
      {order ? <OrderCause order={order} /> : null}
      {payout ? (
        <section aria-labelledby="payout" className="rounded-lg border border-stone-200 bg-white p-4">
          <h2 id="payout" className="text-lg font-semibold">
            {t("households.causePage.payout")} {formatFen(payout.amountFen)}
          </h2>
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-stone-600">{t("households.causePage.payoutMethod")}</dt>
            <dd>{t(`payoutMethods.${payout.method}`)}</dd>
            <dt className="text-stone-600">{t("households.causePage.payoutReference")}</dt>
            <dd>{payout.reference}</dd>
            <dt className="text-stone-600">{t("households.causePage.paidOn")}</dt>
            <dd>{isoDay(payout.paidOn)}</dd>
            <dt className="text-stone-600">{t("households.causePage.recordedBy")}</dt>
            <dd>{`${payout.recordedBy ?? t("common.none")} · ${formatDateTime(payout.createdAt, tag)}`}</dd>
          </dl>
        </section>
      ) : null}
    </div>
  );
}

function OrderCause({ order }: { order: NonNullable<LedgerCause["order"]> }) {
  const t = useT();
  const locale = useLocale();
  const tag = languageTag(locale);
  const en = locale === "en";
  return (
    <section aria-labelledby="order" className="space-y-4 rounded-lg border border-stone-200 bg-white p-4">
      <div>
        <h2 id="order" className="text-lg font-semibold">
          {t("households.causePage.order", { number: order.number })} · {t(`orders.status.${order.status}`)} ·{" "}
          {t(`orders.fulfilmentStatus.${order.fulfilmentStatus}`)}
        </h2>
        <p className="text-sm text-stone-600">
          {[
            `${t("checkout.total")} ${formatFen(order.totalFen)}`,
            t("households.causePage.placedAt", { date: formatDateTime(order.createdAt, tag) }),
            order.paidAt ? t("households.causePage.paidAt", { date: formatDateTime(order.paidAt, tag) }) : null,
            order.unit ? `${t("households.causePage.unit")} ${en ? order.unit.nameEn : order.unit.name}` : null,
            order.groupOrder ? `${t("households.causePage.groupOrder")} ${order.groupOrder.title}` : null,
          ]
            .filter(Boolean)
            .join(" · ")}
        </p>
      </div>
      <div>
        <h3 className="font-medium">{t("households.causePage.lines")}</h3>
        <ul className="mt-1 space-y-2 text-sm">
          {order.lines.map((line) => (
            <li key={line.id}>
              <p>
                {t("households.causePage.lineSummary", {
                  name: en ? `${line.sku.product.nameEn} ${line.sku.nameEn}` : `${line.sku.product.nameZh} ${line.sku.nameZh}`,
                  quantity: line.quantity,
                  price: formatFen(line.unitPriceFen),
                  total: formatFen(line.lineTotalFen),
                  rate: `${line.feeRateBp / 100}%`,
                })}
                {line.refundedQuantity > 0 ? ` · ${t("households.causePage.refundedUnits", { count: line.refundedQuantity })}` : null}
              </p>
              <ul className="ml-4 list-disc text-stone-700">
                {line.allocations.map((a) => (
                  <li key={a.id} className={a.thisHousehold ? "font-medium" : undefined}>
                    {t("households.causePage.allocation", {
                      lot: a.lotCode,
                      producer: a.producer.displayName ? `${a.producer.code} ${a.producer.displayName}` : a.producer.code,
                      quantity: a.quantity,
                    })}
                    {a.refundedQuantity > 0 ? ` · ${t("households.causePage.refundedUnits", { count: a.refundedQuantity })}` : null}
                    {a.replacedById ? ` · ${t("households.causePage.moved")}` : null}
                    {a.thisHousehold ? ` · ${t("households.causePage.thisHousehold")}` : null}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </div>
      {order.refunds.length > 0 ? (
        <div>
          <h3 className="font-medium">{t("households.causePage.refunds")}</h3>
          <ul className="mt-1 text-sm">
            {order.refunds.map((r) => (
              <li key={r.id}>
                {t("households.causePage.refund", {
                  date: formatDateTime(r.createdAt, tag),
                  amount: formatFen(r.amountFen),
                  reason: r.reason,
                })}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div>
        <h3 className="font-medium">{t("households.causePage.entries")}</h3>
        <table className="mt-1 w-full text-sm">
          <tbody className="divide-y divide-stone-100">
            {order.entries.map((e) => (
              <tr key={e.id}>
                <td className="py-1 text-stone-600">{formatDateTime(e.occurredAt, tag)}</td>
                <td className="py-1">{t(kindKey(e.kind))}</td>
                <td className={`py-1 text-right ${e.amountFen < 0 ? "text-red-700" : ""}`}>{formatFen(e.amountFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
