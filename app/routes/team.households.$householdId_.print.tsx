import { getFormProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useParams } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { DataTable } from "~/components/data-table";
import { ErrorList } from "~/components/forms";
import { householdFacts, IncomeSource } from "~/components/household-parts";
import { incomePicture, openHouseholdFile } from "~/domain/households/files.server";
import { PrintQuerySchema } from "~/domain/households/report-schemas";
import { householdYearLedger } from "~/domain/households/reports.server";
import { FIRST_FILE_YEAR } from "~/domain/households/kinds";
import { formatFen } from "~/domain/money";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { currentShopYear, formatDate, formatDateTime } from "~/utils/dates";
import { invalid } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";
import { useSchemaValidation } from "~/utils/lazy-validation";

export const meta = pageTitle<typeof loader>((t, data) =>
  data && "household" in data ? t("reports.printTitle", { code: data.household.code, year: data.year }) : t("reports.print"),
);

/** The year is checked before the file is opened, so a malformed link neither reads nor audits anything. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const submission = parseWithZod(new URL(request.url).searchParams, { schema: PrintQuerySchema });
  if (submission.status !== "success") return invalid(submission);
  const clientIp = (context as { clientIp?: string }).clientIp;
  const household = await openHouseholdFile(viewer, params.householdId ?? "", "print", clientIp);
  const year = submission.value.year ?? currentShopYear();
  const [income, ledger] = await Promise.all([incomePicture(household.id, year), householdYearLedger(household.id, year)]);
  return { result: undefined, household, income, ledger, year, printedAt: new Date().toISOString() };
}

const cell = "border border-stone-400 px-2 py-1";

/** The household file on A4 paper: no navigation, tables that do not split a row across pages. */
export default function PrintHouseholdFile() {
  const t = useT();
  const loaded = useLoaderData<typeof loader>();
  const { householdId } = useParams();
  const [form, fields] = useForm({
    id: "print-year",
    lastResult: loaded.result,
    defaultValue: "year" in loaded ? { year: String(loaded.year) } : undefined,
    shouldValidate: "onSubmit",
    onValidate: useSchemaValidation(() => import("~/domain/households/report-schemas").then((m) => m.PrintQuerySchema)),
  });
  const thisYear = currentShopYear();
  const years = Array.from({ length: thisYear - FIRST_FILE_YEAR + 1 }, (_, i) => thisYear - i);
  return (
    <article className="mx-auto max-w-[210mm] space-y-5 bg-white text-sm print:max-w-none print:text-[10pt]">
      <style>{"@page { size: A4; margin: 15mm; }"}</style>
      <div className="flex flex-wrap items-end justify-between gap-3 print:hidden">
        <Link to={`/team/households/${householdId}`} className="text-brand-700 underline">
          {t("households.backToFile")}
        </Link>
        <Form method="get" {...getFormProps(form)} className="flex flex-wrap items-end gap-2">
          <label htmlFor={fields.year.id}>{t("reports.printYear")}</label>
          <select
            {...getSelectProps(fields.year)}
            aria-describedby={fields.year.errors ? `${fields.year.id}-error` : undefined}
            className="rounded border border-stone-300 px-2 py-1.5"
          >
            {years.map((year) => (
              <option key={year} value={year}>
                {year}
              </option>
            ))}
          </select>
          <button type="submit" className="rounded border border-stone-300 px-3 py-1.5">
            {t("reports.show")}
          </button>
          {"household" in loaded ? (
            <button type="button" onClick={() => window.print()} className="rounded border border-stone-300 px-3 py-1.5">
              {t("reports.print")}
            </button>
          ) : null}
          <div className="w-full">
            <ErrorList id={`${fields.year.id}-error`} errors={fields.year.errors} />
          </div>
        </Form>
      </div>
      {"household" in loaded ? <PrintedFile file={loaded} /> : null}
    </article>
  );
}

type PrintData = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { household: unknown }>;

function PrintedFile({ file }: { file: PrintData }) {
  const t = useT();
  const locale = useLocale();
  const tag = languageTag(locale);
  const { household: h, income, ledger, year, printedAt } = file;
  const facts: [string, string][] = [[t("households.fields.code"), h.code], ...householdFacts(t, locale, h)];
  const closingFen = ledger.entries.at(-1)?.balanceFen ?? ledger.openingFen;
  return (
    <>
      <header>
        <h1 className="text-xl font-semibold">{t("reports.printTitle", { code: h.code, year })}</h1>
        <p className="text-stone-600">
          {locale === "en" ? h.village.nameEn : h.village.name} · {t("reports.printedAt", { date: formatDateTime(printedAt, tag) })}
        </p>
      </header>

      <table className="w-full border-collapse">
        <tbody>
          {facts.map(([label, value]) => (
            <tr key={label} className="break-inside-avoid">
              <th scope="row" className={`${cell} w-1/3 bg-stone-50 text-left font-normal`}>
                {label}
              </th>
              <td className={`${cell} break-words`}>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {h.notes ? <p className="break-words border border-stone-300 p-2">{h.notes}</p> : null}

      <section className="break-inside-avoid space-y-2">
        <h2 className="font-semibold">{t("households.membersTitle")}</h2>
        {h.members.length === 0 ? (
          <p>{t("households.noMembers")}</p>
        ) : (
          <DataTable
            caption={t("households.membersTitle")}
            rows={h.members}
            rowKey={(m) => m.id}
            columns={[
              { header: t("households.memberFields.name"), cell: (m) => m.name },
              { header: t("households.memberFields.relation"), cell: (m) => m.relation },
              { header: t("households.memberFields.ageBand"), cell: (m) => t(`households.ageBands.${m.ageBand as "0-5"}`) },
              {
                header: t("households.memberDetails"),
                cell: (m) => [m.health, m.disability, m.schooling, m.employment].filter(Boolean).join("；"),
              },
              { header: t("households.memberIdMasked"), cell: (m) => m.idMasked ?? "" },
            ]}
          />
        )}
      </section>

      <section className="break-inside-avoid space-y-2">
        <h2 className="font-semibold">{t("households.otherIncomeTitle")}</h2>
        {h.incomes.length === 0 ? (
          <p>{t("households.noOtherIncome")}</p>
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
                    <IncomeSource income={i} />
                  </td>
                  <td className={`${cell} text-right tabular-nums`}>{formatFen(i.amountFen)}</td>
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
                <td className={`${cell} text-right tabular-nums`}>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {income.belowThreshold ? <p className="font-semibold">{t("households.belowThreshold")}</p> : null}
      </section>

      <section className="space-y-2">
        <h2 className="font-semibold">{t("reports.ledgerYear", { year })}</h2>
        <p>
          {t("reports.opening")}: <span className="tabular-nums">{formatFen(ledger.openingFen)}</span>
        </p>
        {ledger.entries.length > 0 ? (
          <DataTable
            caption={t("reports.ledgerYear", { year })}
            rows={ledger.entries}
            rowKey={(e) => e.id}
            columns={[
              { header: t("reports.columns.date"), cell: (e) => formatDate(e.occurredAt, tag) },
              {
                header: t("reports.columns.kind"),
                cell: (e) =>
                  `${t(`households.kinds.${e.kind as "sale_credit"}`)}${
                    e.orderNumber
                      ? ` · ${t("households.cause.order", { number: e.orderNumber })}`
                      : e.payoutReference
                        ? ` · ${t("households.cause.payout", { reference: e.payoutReference })}`
                        : ""
                  }`,
              },
              { header: t("reports.columns.amount"), numeric: true, cell: (e) => formatFen(e.amountFen) },
              { header: t("reports.columns.balance"), numeric: true, cell: (e) => formatFen(e.balanceFen) },
            ]}
          />
        ) : null}
        <p className="font-semibold">
          {t("reports.closing")}: <span className="tabular-nums">{formatFen(closingFen)}</span>
        </p>
      </section>
    </>
  );
}
