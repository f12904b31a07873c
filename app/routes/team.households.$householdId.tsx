import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { FlagList, householdFacts, IncomeCells } from "~/components/household-form";
import { PageHeader, StatCard } from "~/components/page";
import { Pagination } from "~/components/pagination";
import { householdLedger, householdMonthlyIncome, incomePicture, openHouseholdFile } from "~/domain/households/files.server";
import { formatFen } from "~/domain/money";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { currentShopYear, formatDateTime } from "~/utils/dates";
import { notFound } from "~/utils/responses.server";
import { parsePageQuery } from "~/utils/search-params";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const household = await openHouseholdFile(viewer, params.householdId ?? "", (context as { clientIp?: string }).clientIp);
  if (!household) notFound();
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
  const tag = languageTag(useLocale());
  const { household: h, ledger, income, monthly, page } = useLoaderData<typeof loader>();
  const peak = Math.max(1, ...monthly.map((m) => m.incomeFen));
  const facts: [string, string][] = [...householdFacts(t, h), [t("households.fields.displayName"), h.displayName ?? t("common.none")]];
  return (
    <div className="space-y-6">
      <PageHeader title={t("households.file", { code: h.code })}>
        <Link to="edit" className="inline-block text-brand-700 underline">
          {t("households.edit")}
        </Link>
        <Link to="print" className="ml-4 inline-block text-brand-700 underline">
          {t("reports.print")}
        </Link>
        <Link to={`/team/cards?${new URLSearchParams({ q: h.code })}`} className="ml-4 inline-block text-brand-700 underline">
          {t("cards.fileLink")}
        </Link>
      </PageHeader>
      <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 rounded-lg border border-stone-200 bg-white p-4 text-sm sm:grid-cols-[auto_1fr_auto_1fr]">
        {facts.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-stone-600">{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {h.story ? <p className="rounded-lg border border-stone-200 bg-white p-4 text-sm">{h.story}</p> : null}

      <section aria-labelledby="income">
        <h2 id="income" className="text-lg font-semibold">
          {t("households.incomeTitle", { year: income.year })}
        </h2>
        <div className="mt-2 grid grid-cols-2 gap-3 sm:grid-cols-4">
          <StatCard label={t("households.assistance")} value={formatFen(income.assistanceFen)} />
          <StatCard label={t("households.otherIncome")} value={formatFen(income.otherFen)} />
          <StatCard label={t("households.perCapita")} value={formatFen(income.perCapitaFen)} />
          <StatCard
            label={t("households.threshold")}
            value={income.thresholdFen === null ? t("common.none") : formatFen(income.thresholdFen)}
          />
        </div>
        {income.belowThreshold ? (
          <p role="alert" className="mt-2 text-sm font-medium text-red-700">
            {t("households.belowThreshold")}
          </p>
        ) : null}
        <figure className="mt-4 rounded-lg border border-stone-200 bg-white p-4">
          <figcaption className="text-sm text-stone-600">{t("households.monthly", { year: income.year })}</figcaption>
          <ol className="mt-3 flex h-32 items-end gap-1" aria-label={t("households.monthly", { year: income.year })}>
            {monthly.map((m) => (
              <li
                key={m.month}
                className="flex h-full flex-1 flex-col justify-end text-center"
                title={`${m.month}: ${formatFen(m.incomeFen)}`}
              >
                <span
                  className="block rounded-t bg-leaf-600"
                  style={{ height: `${Math.round((Math.max(0, m.incomeFen) / peak) * 100)}%` }}
                />
                <span className="text-[10px] text-stone-500">{m.month}</span>
                <span className="sr-only">{formatFen(m.incomeFen)}</span>
              </li>
            ))}
          </ol>
        </figure>
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
                  <span key={v} className="text-stone-600">
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
                  <IncomeCells income={income} />
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

      <section aria-labelledby="ledger">
        <h2 id="ledger" className="text-lg font-semibold">
          {t("households.ledgerTitle")} · {t("households.balance", { amount: formatFen(ledger.balanceFen) })}
        </h2>
        {ledger.entries.length === 0 ? (
          <p className="mt-2 text-sm text-stone-600">{t("households.ledgerEmpty")}</p>
        ) : (
          <table className="mt-2 w-full rounded-lg border border-stone-200 bg-white text-sm">
            <tbody className="divide-y divide-stone-100">
              {ledger.entries.map((e) => (
                <tr key={e.id}>
                  <td className="p-2 text-stone-600">{formatDateTime(e.occurredAt, tag)}</td>
                  <td className="p-2">
                    {t(`households.kinds.${e.kind as "sale_credit"}`)}
                    <Link to={`/team/households/${h.id}/ledger/${e.id}`} className="block text-xs text-brand-700 underline">
                      {e.orderNumber
                        ? t("households.cause.order", { number: e.orderNumber })
                        : e.payoutReference
                          ? t("households.cause.payout", { reference: e.payoutReference })
                          : t("households.causePage.link")}
                    </Link>
                  </td>
                  <td className={`p-2 text-right ${e.amountFen < 0 ? "text-red-700" : ""}`}>{formatFen(e.amountFen)}</td>
                  <td className="p-2 text-right font-medium">{formatFen(e.balanceFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div className="mt-2">
          <Pagination page={page} pages={ledger.pages} />
        </div>
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
