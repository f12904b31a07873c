import { parseWithZod } from "@conform-to/zod/v4";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { Donut, HorizontalBars, MonthlyColumns } from "~/components/charts";
import { ErrorList } from "~/components/forms";
import { PageHeader, StatCard } from "~/components/page";
import { DashboardQuerySchema } from "~/domain/households/report-schemas";
import { reportYears, teamDashboard } from "~/domain/households/reports.server";
import { viewerVillageId } from "~/domain/households/scope.server";
import { formatFen } from "~/domain/money";
import { useLocale, useT, type Translate } from "~/i18n/react";
import { currentShopYear } from "~/utils/dates";
import { invalid } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("reports.dashboardTitle");

const TOP_HOUSEHOLDS = 20;

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const submission = parseWithZod(new URL(request.url).searchParams, { schema: DashboardQuerySchema });
  const villageId = viewerVillageId(viewer);
  if (submission.status !== "success") return invalid(submission);
  const { sort, all } = submission.value;
  const year = submission.value.year ?? currentShopYear();
  const [years, dashboard] = await Promise.all([reportYears(villageId), teamDashboard(villageId, year)]);
  const sorted =
    sort === "code" ? dashboard.households : [...dashboard.households].sort((a, b) => b.netFen - a.netFen || a.code.localeCompare(b.code));
  return {
    result: undefined,
    dashboard: {
      ...dashboard,
      year,
      years: years.includes(year) ? years : [...years, year].sort((a, b) => b - a),
      sort,
      showAll: all === "1",
      householdCount: sorted.length,
      households: all === "1" ? sorted : sorted.slice(0, TOP_HOUSEHOLDS),
    },
  };
}

type Dashboard = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { dashboard: unknown }>["dashboard"];

const cell = "px-2 py-1.5";
const number = `${cell} text-right tabular-nums`;

export default function TeamDashboard() {
  const t = useT();
  const loaded = useLoaderData<typeof loader>();
  const dashboard = "dashboard" in loaded ? loaded.dashboard : null;
  // A plain GET form: the loader checks the query and answers a bad one with field messages (no conform to download).
  const errors = loaded.result?.error;
  const thisYear = currentShopYear();
  const years = dashboard?.years ?? [thisYear];
  return (
    <div className="space-y-6">
      <PageHeader title={t("reports.dashboardTitle")} body={t("reports.dashboardBody")}>
        <Link to="/team/reports" className="inline-block text-brand-700 underline">
          {t("reports.reportsLink")}
        </Link>
      </PageHeader>
      <Form method="get" id="dashboard-year" className="flex flex-wrap items-center gap-2">
        <label className="text-sm font-medium" htmlFor="dashboard-year-year">
          {t("reports.year")}
        </label>
        <select
          id="dashboard-year-year"
          name="year"
          defaultValue={dashboard ? String(dashboard.year) : undefined}
          aria-invalid={errors?.year ? true : undefined}
          aria-describedby={errors?.year ? "dashboard-year-year-error" : undefined}
          className="rounded-md border border-stone-300 px-3 py-2 text-base"
        >
          {years.map((year) => (
            <option key={year} value={year}>
              {year}
            </option>
          ))}
        </select>
        <input type="hidden" name="sort" value={dashboard?.sort ?? "amount"} />
        <button type="submit" className="rounded-md border border-stone-300 px-3 py-2">
          {t("reports.show")}
        </button>
        <div className="w-full">
          <ErrorList id="dashboard-year-year-error" errors={errors?.year} />
          <ErrorList errors={errors?.sort} />
          <ErrorList errors={errors?.all} />
        </div>
      </Form>
      {dashboard ? <DashboardFigures d={dashboard} /> : null}
    </div>
  );
}

function barsDescription(t: Translate, rows: { label: string; valueFen: number }[]) {
  const top = rows.reduce<(typeof rows)[number] | undefined>(
    (best, row) => (best && best.valueFen >= row.valueFen ? best : row),
    undefined,
  );
  return top
    ? t("reports.charts.barsDesc", { count: rows.length, top: top.label, amount: formatFen(top.valueFen) })
    : t("reports.charts.barsEmpty");
}

/** The year's figures: each chart drawn on the server with its table underneath. */
function DashboardFigures({ d }: { d: Dashboard }) {
  const t = useT();
  const en = useLocale() === "en";
  const [params] = useSearchParams();
  const withParams = (change: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(change)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    return `?${next}`;
  };
  const share = d.coverage.households ? Math.round((d.coverage.withSales / d.coverage.households) * 100) : 0;
  const unitName = (u: { name: string | null; nameEn: string | null }) => (en ? u.nameEn : u.name) ?? t("reports.columns.noUnit");
  const productName = (p: { productZh: string; productEn: string; skuZh: string; skuEn: string }) =>
    en ? `${p.productEn} ${p.skuEn}` : `${p.productZh} ${p.skuZh}`;
  const pill = (active: boolean) =>
    `rounded-full border px-3 py-1 ${active ? "border-brand-600 bg-brand-50 font-medium" : "border-stone-300"}`;
  const householdRows = d.households.map((h) => ({ label: h.code, valueFen: h.netFen }));
  const monthlyRows = d.monthly.map((m) => ({ label: String(m.month), valueFen: m.incomeFen }));
  const peakMonth = d.monthly.reduce((best, m) => (m.incomeFen > best.incomeFen ? m : best), d.monthly[0]!);
  const unitRows = d.units.map((u) => ({ label: unitName(u), valueFen: u.amountFen }));

  return (
    <>
      <StatCard label={`${t("reports.total")} · ${d.year}`} value={formatFen(d.totalFen)} />

      <section className="space-y-2" aria-labelledby="per-household">
        <h2 id="per-household" className="sr-only">
          {t("reports.perHousehold")}
        </h2>
        <nav className="flex flex-wrap items-center gap-2 text-sm" aria-label={t("reports.sortBy")}>
          <span>{t("reports.sortBy")}:</span>
          <Link
            to={withParams({ sort: "amount" })}
            className={pill(d.sort === "amount")}
            aria-current={d.sort === "amount" ? "true" : undefined}
          >
            {t("reports.sortAmount")}
          </Link>
          <Link to={withParams({ sort: "code" })} className={pill(d.sort === "code")} aria-current={d.sort === "code" ? "true" : undefined}>
            {t("reports.sortCode")}
          </Link>
          {d.householdCount > TOP_HOUSEHOLDS ? (
            <Link to={withParams({ all: d.showAll ? null : "1" })} className="text-brand-700 underline">
              {d.showAll ? t("reports.topN", { count: TOP_HOUSEHOLDS }) : t("reports.showAll", { count: d.householdCount })}
            </Link>
          ) : null}
        </nav>
        {d.households.length === 0 ? (
          <p className="text-sm text-stone-600">{t("reports.noHouseholds")}</p>
        ) : (
          <HorizontalBars
            title={`${t("reports.perHousehold")} · ${d.year}`}
            description={barsDescription(t, householdRows)}
            rows={householdRows}
            table={
              <table className="sr-only">
                <caption>{t("reports.chartTable")}</caption>
                <tbody>
                  {d.households.map((h) => (
                    <tr key={h.id}>
                      <th scope="row">{h.code}</th>
                      <td>{formatFen(h.netFen)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            }
          />
        )}
      </section>

      <div className="grid gap-6 md:grid-cols-2">
        <MonthlyColumns
          title={`${t("reports.monthly")} · ${d.year}`}
          description={t("reports.charts.monthlyDesc", {
            year: d.year,
            total: formatFen(d.monthly.reduce((sum, m) => sum + m.incomeFen, 0)),
            month: peakMonth.month,
            peak: formatFen(peakMonth.incomeFen),
          })}
          rows={monthlyRows}
          table={
            <table className="sr-only">
              <caption>{t("reports.chartTable")}</caption>
              <tbody>
                {d.monthly.map((m) => (
                  <tr key={m.month}>
                    <th scope="row">{t("reports.monthName", { month: m.month })}</th>
                    <td>{formatFen(m.incomeFen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          }
        />
        <Donut
          title={`${t("reports.coverage")} · ${d.year}`}
          description={t("reports.charts.coverageDesc", {
            part: d.coverage.withSales,
            total: d.coverage.households,
            percent: `${share}%`,
          })}
          part={d.coverage.withSales}
          total={d.coverage.households}
          table={
            <div className="mt-2 space-y-1 text-center">
              <p>{t("reports.coverageValue", { part: d.coverage.withSales, total: d.coverage.households })}</p>
              <p className="text-stone-600">
                {t("reports.coveragePoor", { part: d.coverage.registeredPoorWithSales, total: d.coverage.registeredPoor })}
              </p>
            </div>
          }
        />
      </div>

      <section aria-labelledby="units" className="space-y-2">
        <h2 id="units" className="text-lg font-semibold">
          {t("reports.units")} · {d.year}
        </h2>
        {d.units.length === 0 ? (
          <p className="text-sm text-stone-600">{t("reports.noData")}</p>
        ) : (
          <HorizontalBars
            title={t("reports.units")}
            description={barsDescription(t, unitRows)}
            rows={unitRows}
            table={
              <table className="mt-3 w-full">
                <thead className="text-left text-stone-600">
                  <tr>
                    <th className={cell}>{t("reports.columns.unit")}</th>
                    <th className={`${cell} text-right`}>{t("reports.columns.orders")}</th>
                    <th className={`${cell} text-right`}>{t("reports.columns.amount")}</th>
                    <th className={`${cell} text-right`}>{t("reports.columns.units")}</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-stone-100">
                  {d.units.map((u) => (
                    <tr key={u.unitId ?? "none"}>
                      <td className={cell}>{unitName(u)}</td>
                      <td className={number}>{u.orders}</td>
                      <td className={number}>{formatFen(u.amountFen)}</td>
                      <td className={number}>{u.units}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            }
          />
        )}
      </section>

      <section aria-labelledby="products" className="space-y-2">
        <h2 id="products" className="text-lg font-semibold">
          {t("reports.products")} · {d.year}
        </h2>
        {d.products.length === 0 ? (
          <p className="text-sm text-stone-600">{t("reports.noData")}</p>
        ) : (
          <table className="w-full rounded-lg border border-stone-200 bg-white text-sm">
            <thead className="text-left text-stone-600">
              <tr>
                <th className={cell}>{t("reports.columns.product")}</th>
                <th className={`${cell} text-right`}>{t("reports.columns.amount")}</th>
                <th className={`${cell} text-right`}>{t("reports.columns.units")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {d.products.map((p) => (
                <tr key={p.skuId}>
                  <td className={cell}>{productName(p)}</td>
                  <td className={number}>{formatFen(p.amountFen)}</td>
                  <td className={number}>{p.units}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
