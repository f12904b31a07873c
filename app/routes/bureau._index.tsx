import { parseWithZod } from "@conform-to/zod/v4";
import { ScrollRegion } from "~/components/data-table";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { HorizontalBars } from "~/components/charts";
import { ErrorList } from "~/components/forms";
import { PageHeader, StatCard } from "~/components/page";
import { formatFen } from "~/domain/money";
import { bureauYear, purchaseYears, type BureauSort } from "~/domain/purchases/counted.server";
import { progressPercent } from "~/domain/purchases/progress";
import { BureauQuerySchema } from "~/domain/purchases/schemas";
import { useLocale, useT } from "~/i18n/react";
import { currentShopYear } from "~/utils/dates";
import type { FormAnswer } from "~/utils/forms";
import { invalid } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("purchases.bureau.title");

/**
 * Every unit side by side for a year (`?year=&sort=`); /bureau/export gives the same as XLSX. The bureau sees units'
 * totals only: no employee's name and nothing of any household (docs/decisions/0016-purchases-and-bureau-view.md).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "bureau", "admin");
  const submission = parseWithZod(new URL(request.url).searchParams, { schema: BureauQuerySchema });
  if (submission.status !== "success") return invalid(submission);
  const thisYear = currentShopYear();
  const { sort } = submission.value;
  const year = submission.value.year ?? thisYear;
  const [years, view] = await Promise.all([purchaseYears(thisYear), bureauYear(year, sort)]);
  return { year, sort, years: years.includes(year) ? years : [...years, year].sort((a, b) => b - a), ...view };
}

type View = Awaited<ReturnType<typeof bureauYear>> & { year: number; sort: BureauSort; years: number[] };

const SORTS = [
  ["name", "purchases.bureau.sortName"],
  ["counted", "purchases.bureau.sortCounted"],
  ["target", "purchases.bureau.sortTarget"],
  ["progress", "purchases.bureau.sortProgress"],
] as const;

export default function BureauUnits() {
  const t = useT();
  const loaded = useLoaderData<typeof loader>();
  const view = "rows" in loaded ? (loaded as unknown as View) : null;
  const errors = "result" in loaded ? (loaded as FormAnswer).result.error : undefined;
  return (
    <div className="space-y-6">
      <PageHeader title={t("purchases.bureau.title")} body={t("purchases.bureau.body")}>
        <p className="text-sm text-stone-600">{t("purchases.bureau.privacy")}</p>
        <Link to="/bureau/targets" className="inline-block text-brand-700 underline">
          {t("purchases.bureau.targetsLink")}
        </Link>
      </PageHeader>
      <Form method="get" className="flex flex-wrap items-center gap-2">
        <label className="text-sm font-medium" htmlFor="bureau-year">
          {t("purchases.targets.year")}
        </label>
        <select id="bureau-year" name="year" defaultValue={view?.year} className="rounded-md border border-stone-300 px-3 py-2 text-base">
          {(view?.years ?? [currentShopYear()]).map((year) => (
            <option key={year} value={year}>
              {year}
            </option>
          ))}
        </select>
        <input type="hidden" name="sort" value={view?.sort ?? "name"} />
        <button type="submit" className="rounded-md border border-stone-300 px-3 py-2">
          {t("purchases.bureau.show")}
        </button>
        {view ? (
          <a href={`/bureau/export?year=${view.year}&sort=${view.sort}`} download className="text-brand-700 underline">
            {t("purchases.bureau.download")}
          </a>
        ) : null}
        <div className="w-full">
          <ErrorList errors={errors?.year} />
          <ErrorList errors={errors?.sort} />
        </div>
      </Form>
      {view ? <Figures view={view} /> : null}
    </div>
  );
}

function Figures({ view }: { view: View }) {
  const t = useT();
  const en = useLocale() === "en";
  const name = (row: { name: string; nameEn: string }) => (en ? row.nameEn : row.name);
  const pill = (active: boolean) =>
    `rounded-full border px-3 py-1 ${active ? "border-brand-600 bg-brand-50 font-medium" : "border-stone-300"}`;
  const percent = (counted: number, target: number | null) => {
    const value = progressPercent(counted, target);
    return value === null ? "—" : `${value}%`;
  };
  const cell = "p-2";
  const number = `${cell} text-right tabular-nums`;
  return (
    <>
      <div className="grid gap-3 sm:grid-cols-3">
        <StatCard label={`${t("purchases.bureau.counted")} · ${view.year}`} value={formatFen(view.totals.countedFen)} />
        <StatCard label={t("purchases.bureau.target")} value={formatFen(view.totals.targetFen)} />
        <StatCard label={t("purchases.bureau.pending")} value={formatFen(view.totals.pendingFen)} />
      </div>
      <nav className="flex flex-wrap items-center gap-2 text-sm" aria-label={t("purchases.bureau.sortBy")}>
        {SORTS.map(([sort, label]) => (
          <Link
            key={sort}
            to={`?year=${view.year}&sort=${sort}`}
            className={pill(view.sort === sort)}
            aria-current={view.sort === sort ? "true" : undefined}
          >
            {t(label)}
          </Link>
        ))}
      </nav>
      <ScrollRegion label={t("purchases.bureau.title")}>
        <table className="w-full min-w-[52rem] rounded-lg border border-stone-200 bg-white text-sm" data-testid="bureau-table">
          <caption className="sr-only">{t("purchases.bureau.title")}</caption>
          <thead className="text-left text-stone-600">
            <tr>
              <th scope="col" className={cell}>
                {t("purchases.bureau.unit")}
              </th>
              {(["members", "target", "counted", "percent", "pending", "orders", "buyers", "rolledTarget", "rolledCounted"] as const).map(
                (key) => (
                  <th key={key} scope="col" className={`${cell} text-right`}>
                    {t(`purchases.bureau.${key}`)}
                  </th>
                ),
              )}
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100">
            {view.rows.map((row) => (
              <tr key={row.unitId} data-unit={row.code}>
                <th
                  scope="row"
                  className={`${cell} text-left font-normal`}
                  style={{ paddingLeft: `${0.5 + (view.sort === "name" ? row.depth : 0) * 1.25}rem` }}
                >
                  {name(row)}
                </th>
                <td className={number}>{row.memberCount ?? "—"}</td>
                <td className={number}>{row.targetFen === null ? "—" : formatFen(row.targetFen)}</td>
                <td className={number} data-testid="counted">
                  {formatFen(row.countedFen)}
                </td>
                <td className={number}>{percent(row.countedFen, row.targetFen)}</td>
                <td className={number}>{formatFen(row.pendingFen)}</td>
                <td className={number}>{row.orders}</td>
                <td className={number}>{row.buyers}</td>
                <td className={number}>{row.childCount ? (row.rolledTargetFen === null ? "—" : formatFen(row.rolledTargetFen)) : ""}</td>
                <td className={number}>{row.childCount ? formatFen(row.rolledCountedFen) : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <HorizontalBars
        title={t("purchases.bureau.chartTitle", { year: view.year })}
        description={t("purchases.bureau.chartDesc", { count: view.rows.length, amount: formatFen(view.totals.countedFen) })}
        rows={view.rows.map((row) => ({ label: name(row), valueFen: row.countedFen }))}
        table={null}
      />
    </>
  );
}
