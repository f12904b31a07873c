import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { MonthlyColumns } from "~/components/charts";
import { DataTable } from "~/components/data-table";
import { FlagList, householdFacts, IncomeSource } from "~/components/household-parts";
import { PageHeader, StatCard } from "~/components/page";
import { Pagination } from "~/components/pagination";
import { householdLedger, householdMonthlyIncome, incomePicture, openHouseholdFile } from "~/domain/households/files.server";
import { formatFen } from "~/domain/money";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { currentShopYear, formatDateTime } from "~/utils/dates";
import { pageTitle } from "~/utils/meta";
import { parsePageQuery } from "~/utils/search-params";

export const meta = pageTitle<typeof loader>((t, data) => (data ? t("households.file", { code: data.household.code }) : ""));

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const clientIp = (context as { clientIp?: string }).clientIp;
  const household = await openHouseholdFile(viewer, params.householdId ?? "", "file", clientIp);
  const { page } = parsePageQuery(request);
  const year = currentShopYear();
  const [ledger, income, monthly] = await Promise.all([
    householdLedger(household.id, page),
    incomePicture(household.id, year),
    householdMonthlyIncome(household.id, year),
  ]);
  return { household, ledger, income, monthly, page };
}

export default function HouseholdFile() {
  const t = useT();
  const locale = useLocale();
  const tag = languageTag(locale);
  const { household: h, ledger, income, monthly, page } = useLoaderData<typeof loader>();
  const facts: [string, string][] = [
    ...householdFacts(t, locale, h),
    [t("households.fields.displayName"), h.displayName ?? t("common.none")],
  ];
  const peak = monthly.reduce((best, m) => (m.incomeFen > best.incomeFen ? m : best), monthly[0]!);
  return (
    <div className="space-y-6">
      <PageHeader title={t("households.file", { code: h.code })}>
        <p className="flex flex-wrap gap-x-4">
          <Link to="edit" className="text-brand-700 underline">
            {t("households.edit")}
          </Link>
          <Link to="print" className="text-brand-700 underline">
            {t("reports.print")}
          </Link>
          <Link to={`/team/cards?${new URLSearchParams({ q: h.code })}`} className="text-brand-700 underline">
            {t("cards.fileLink")}
          </Link>
        </p>
      </PageHeader>
      <dl className="grid grid-cols-[fit-content(40%)_minmax(0,1fr)] gap-x-6 gap-y-1 rounded-lg border border-stone-200 bg-white p-4 text-sm sm:grid-cols-[fit-content(25%)_minmax(0,1fr)_fit-content(25%)_minmax(0,1fr)]">
        {facts.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-stone-600">{label}</dt>
            <dd className="break-words">{value}</dd>
          </div>
        ))}
      </dl>
      {h.story ? <p className="rounded-lg border border-stone-200 bg-white p-4 text-sm">{h.story}</p> : null}

      <section aria-labelledby="income" className="space-y-3">
        <h2 id="income" className="text-lg font-semibold">
          {t("households.incomeTitle", { year: income.year })}
        </h2>
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          <StatCard label={t("households.assistance")} value={formatFen(income.assistanceFen)} />
          <StatCard label={t("households.otherIncome")} value={formatFen(income.otherFen)} />
          <StatCard label={t("households.perCapita")} value={formatFen(income.perCapitaFen)} />
          <StatCard
            label={t("households.threshold")}
            value={income.thresholdFen === null ? t("common.none") : formatFen(income.thresholdFen)}
          />
        </div>
        {income.belowThreshold ? (
          <p role="alert" className="text-sm font-medium text-red-700">
            {t("households.belowThreshold")}
          </p>
        ) : null}
        <MonthlyColumns
          title={t("households.monthly", { year: income.year })}
          description={t("reports.charts.monthlyDesc", {
            year: income.year,
            total: formatFen(income.assistanceFen),
            month: peak.month,
            peak: formatFen(peak.incomeFen),
          })}
          rows={monthly.map((m) => ({ label: String(m.month), valueFen: m.incomeFen }))}
          table={
            <table className="sr-only">
              <caption>{t("reports.chartTable")}</caption>
              <tbody>
                {monthly.map((m) => (
                  <tr key={m.month}>
                    <th scope="row">{t("reports.monthName", { month: m.month })}</th>
                    <td>{formatFen(m.incomeFen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          }
        />
      </section>

      <section aria-labelledby="members">
        <SectionHeading id="members" title={t("households.membersTitle")} manage="members" />
        {h.members.length === 0 ? (
          <p className="mt-2 text-sm text-stone-600">{t("households.noMembers")}</p>
        ) : (
          <ul className="mt-2 divide-y divide-stone-100 rounded-lg border border-stone-200 bg-white text-sm">
            {h.members.map((m) => (
              <li key={m.id} className="flex flex-wrap gap-x-4 p-3">
                <span className="font-medium">{m.name}</span>
                <span>{m.relation}</span>
                <span>{t(`households.ageBands.${m.ageBand as "0-5"}`)}</span>
                {[m.health, m.disability, m.schooling, m.employment, m.idMasked].filter(Boolean).map((v) => (
                  <span key={v} className="break-all text-stone-600">
                    {v}
                  </span>
                ))}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="other-income">
        <SectionHeading id="other-income" title={t("households.otherIncomeTitle")} manage="income" />
        {h.incomes.length === 0 ? (
          <p className="mt-2 text-sm text-stone-600">{t("households.noOtherIncome")}</p>
        ) : (
          <table className="mt-2 w-full rounded-lg border border-stone-200 bg-white text-sm">
            <tbody className="divide-y divide-stone-100">
              {h.incomes.map((income) => (
                <tr key={`${income.year}-${income.source}`}>
                  <td className="p-2">{income.year}</td>
                  <td className="p-2">
                    <IncomeSource income={income} />
                  </td>
                  <td className="p-2 text-right font-medium tabular-nums">{formatFen(income.amountFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="flags">
        <SectionHeading id="flags" title={t("households.flagsTitle")} manage="flags" />
        <div className="mt-2">
          {h.riskFlags.length === 0 ? (
            <p className="text-sm text-stone-600">{t("households.noFlags")}</p>
          ) : (
            <FlagList flags={h.riskFlags} tag={tag} />
          )}
        </div>
      </section>

      <section aria-labelledby="ledger" className="space-y-2">
        <h2 id="ledger" className="text-lg font-semibold">
          {t("households.ledgerTitle")} · {t("households.balance", { amount: formatFen(ledger.balanceFen) })}
        </h2>
        {ledger.entries.length === 0 ? (
          <p className="text-sm text-stone-600">{t("households.ledgerEmpty")}</p>
        ) : (
          <DataTable
            caption={t("households.ledgerTitle")}
            rows={ledger.entries}
            rowKey={(e) => e.id}
            columns={[
              { header: t("reports.columns.date"), cell: (e) => formatDateTime(e.occurredAt, tag) },
              {
                header: t("reports.columns.kind"),
                cell: (e) => (
                  <>
                    {t(`households.kinds.${e.kind as "sale_credit"}`)}
                    <Link to={`/team/households/${h.id}/ledger/${e.id}`} className="block text-xs text-brand-700 underline">
                      {e.orderNumber
                        ? t("households.cause.order", { number: e.orderNumber })
                        : e.payoutReference
                          ? t("households.cause.payout", { reference: e.payoutReference })
                          : t("households.causePage.link")}
                    </Link>
                  </>
                ),
              },
              {
                header: t("reports.columns.amount"),
                numeric: true,
                cell: (e) => <span className={e.amountFen < 0 ? "text-red-700" : undefined}>{formatFen(e.amountFen)}</span>,
              },
              {
                header: t("reports.columns.balance"),
                numeric: true,
                cell: (e) => <span className="font-medium">{formatFen(e.balanceFen)}</span>,
              },
            ]}
          />
        )}
        <Pagination page={page} pages={ledger.pages} />
      </section>
    </div>
  );
}

/** A section's title with the link to the page where the team changes what the section shows. */
function SectionHeading({ id, title, manage }: { id: string; title: string; manage: string }) {
  const t = useT();
  return (
    <h2 id={id} className="text-lg font-semibold">
      {title}{" "}
      <Link to={manage} className="text-sm font-normal text-brand-700 underline">
        {t("households.manage")}
      </Link>
    </h2>
  );
}
