import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/auth/guards.server";
import { householdFacts } from "~/components/household-form";
import { incomePicture, openHouseholdFile } from "~/domain/households/files.server";
import { formatFen } from "~/domain/money";
import { householdYearLedger } from "~/domain/households/reports.server";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { currentShopYear, formatDate, formatDateTime } from "~/utils/dates";
import { invariantResponse, notFound } from "~/utils/responses.server";

const PrintQuery = z.object({ year: z.coerce.number().int().min(2014).optional() });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const parsed = PrintQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  invariantResponse(parsed.success && (parsed.data.year ?? 0) <= currentShopYear(), "Invalid year", 400);
  const household = await openHouseholdFile(viewer, params.householdId ?? "", (context as { clientIp?: string }).clientIp);
  if (!household) notFound();
  const year = parsed.data.year ?? currentShopYear();
  const [income, ledger] = await Promise.all([incomePicture(household.id, year), householdYearLedger(household.id, year)]);
  return { household, income, ledger, year, printedAt: new Date().toISOString() };
}

const cell = "border border-stone-400 px-2 py-1";

/** The household file on A4 paper: no navigation, tables that do not split a row across pages. */
export default function PrintHouseholdFile() {
  const t = useT();
  const tag = languageTag(useLocale());
  const { household: h, income, ledger, year, printedAt } = useLoaderData<typeof loader>();
  const facts: [string, string][] = [[t("households.fields.code"), h.code], ...householdFacts(t, h)];
  const closingFen = ledger.entries.at(-1)?.balanceFen ?? ledger.openingFen;
  return (
    <article className="mx-auto max-w-[210mm] space-y-5 bg-white text-sm print:max-w-none print:text-[10pt]">
      <style>{"@page { size: A4; margin: 15mm; }"}</style>
      <div className="flex items-center justify-between gap-2 print:hidden">
        <Link to={`/team/households/${h.id}`} className="text-brand-700 underline">
          ← {t("households.file", { code: h.code })}
        </Link>
        <button type="button" onClick={() => window.print()} className="rounded border border-stone-300 px-3 py-1.5">
          {t("reports.print")}
        </button>
      </div>
      <header>
        <h1 className="text-xl font-semibold">{t("reports.printTitle", { code: h.code, year })}</h1>
        <p className="text-stone-600">
          {tag === "en" ? h.village.nameEn : h.village.name} · {t("reports.printedAt", { date: formatDateTime(printedAt, tag) })}
        </p>
      </header>

      <table className="w-full border-collapse">
        <tbody>
          {facts.map(([label, value]) => (
            <tr key={label} className="break-inside-avoid">
              <th scope="row" className={`${cell} w-1/3 bg-stone-50 text-left font-normal`}>
                {label}
              </th>
              <td className={cell}>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {h.notes ? <p className="border border-stone-300 p-2">{h.notes}</p> : null}

      <section className="break-inside-avoid space-y-2">
        <h2 className="font-semibold">{t("households.membersTitle")}</h2>
        {h.members.length === 0 ? (
          <p>{t("households.noMembers")}</p>
        ) : (
          <table className="w-full border-collapse">
            <tbody>
              {h.members.map((m) => (
                <tr key={m.id} className="break-inside-avoid">
                  <td className={cell}>{m.name}</td>
                  <td className={cell}>{m.relation}</td>
                  <td className={cell}>{t(`households.ageBands.${m.ageBand as "0-5"}`)}</td>
                  <td className={cell}>{[m.health, m.disability, m.schooling, m.employment].filter(Boolean).join("；")}</td>
                  <td className={cell}>{m.idMasked ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="break-inside-avoid space-y-2">
        <h2 className="font-semibold">{t("reports.otherIncomeTitle")}</h2>
        {h.incomes.length === 0 ? (
          <p>{t("reports.noOtherIncome")}</p>
        ) : (
          <table className="w-full border-collapse">
            <thead>
              <tr>
                <th className={cell}>{t("reports.columns.year")}</th>
                <th className={cell}>{t("reports.columns.source")}</th>
                <th className={cell}>{t("reports.columns.amount")}</th>
              </tr>
            </thead>
            <tbody>
              {h.incomes.map((i) => (
                <tr key={`${i.year}-${i.source}`} className="break-inside-avoid">
                  <td className={cell}>{i.year}</td>
                  <td className={cell}>
                    {t(`reports.incomeSource.${i.source}`)}
                    {i.note ? ` · ${i.note}` : ""}
                  </td>
                  <td className={`${cell} text-right`}>{formatFen(i.amountFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="break-inside-avoid space-y-2">
        <h2 className="font-semibold">{t("households.incomeTitle", { year: income.year })}</h2>
        <table className="w-full border-collapse">
          <tbody>
            {(
              [
                [t("households.assistance"), formatFen(income.assistanceFen)],
                [t("households.otherIncome"), formatFen(income.otherFen)],
                [t("households.perCapita"), formatFen(income.perCapitaFen)],
                [t("households.threshold"), income.thresholdFen === null ? t("common.none") : formatFen(income.thresholdFen)],
              ] as const
            ).map(([label, value]) => (
              <tr key={label}>
                <th scope="row" className={`${cell} w-1/3 bg-stone-50 text-left font-normal`}>
                  {label}
                </th>
                <td className={`${cell} text-right`}>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {income.belowThreshold ? <p className="font-semibold">{t("households.belowThreshold")}</p> : null}
      </section>

      <section className="space-y-2">
        <h2 className="font-semibold">{t("reports.ledgerYear", { year })}</h2>
        <table className="w-full border-collapse">
          <thead>
            <tr>
              <th className={cell}>{t("reports.columns.date")}</th>
              <th className={cell}>{t("reports.columns.kind")}</th>
              <th className={cell}>{t("reports.columns.amount")}</th>
              <th className={cell}>{t("reports.columns.balance")}</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td className={cell} colSpan={3}>
                {t("reports.opening")}
              </td>
              <td className={`${cell} text-right`}>{formatFen(ledger.openingFen)}</td>
            </tr>
            {ledger.entries.map((e) => (
              <tr key={e.id} className="break-inside-avoid">
                <td className={cell}>{formatDate(e.occurredAt, tag)}</td>
                <td className={cell}>
                  {t(`households.kinds.${e.kind as "sale_credit"}`)}
                  {e.orderNumber
                    ? ` · ${t("households.cause.order", { number: e.orderNumber })}`
                    : e.payoutReference
                      ? ` · ${t("households.cause.payout", { reference: e.payoutReference })}`
                      : ""}
                </td>
                <td className={`${cell} text-right`}>{formatFen(e.amountFen)}</td>
                <td className={`${cell} text-right`}>{formatFen(e.balanceFen)}</td>
              </tr>
            ))}
            <tr>
              <th scope="row" className={`${cell} text-left`} colSpan={3}>
                {t("reports.closing")}
              </th>
              <td className={`${cell} text-right font-semibold`}>{formatFen(closingFen)}</td>
            </tr>
          </tbody>
        </table>
      </section>
    </article>
  );
}
