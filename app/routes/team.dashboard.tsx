import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/auth/guards.server";
import { Donut, HorizontalBars, MonthlyLine } from "~/components/charts";
import { PageHeader, StatCard } from "~/components/page";
import { viewerVillageId } from "~/domain/households/files.server";
import { formatFen } from "~/domain/money";
import { reportYears, teamDashboard } from "~/domain/households/reports.server";
import { useLocale, useT } from "~/i18n/react";
import { currentShopYear } from "~/utils/dates";
import { invariantResponse } from "~/utils/responses.server";

const TOP_HOUSEHOLDS = 20;

const DashboardQuery = z.object({
  year: z.coerce.number().int().min(2014).optional(),
  sort: z.enum(["amount", "code"]).default("amount"),
  all: z.enum(["1"]).optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const parsed = DashboardQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  invariantResponse(parsed.success && (parsed.data.year ?? 0) <= currentShopYear(), "Invalid year, sort or all", 400);
  const villageId = viewerVillageId(viewer);
  const year = parsed.data.year ?? currentShopYear();
  const [years, dashboard] = await Promise.all([reportYears(villageId), teamDashboard(villageId, year)]);
  const sorted =
    parsed.data.sort === "code"
      ? dashboard.households
      : [...dashboard.households].sort((a, b) => b.netFen - a.netFen || a.code.localeCompare(b.code));
  return {
    ...dashboard,
    year,
    years: years.includes(year) ? years : [...years, year].sort((a, b) => b - a),
    sort: parsed.data.sort,
    showAll: parsed.data.all === "1",
    householdCount: sorted.length,
    households: parsed.data.all === "1" ? sorted : sorted.slice(0, TOP_HOUSEHOLDS),
  };
}

const cell = "px-2 py-1.5";
const number = `${cell} text-right tabular-nums`;

export default function TeamDashboard() {
  const t = useT();
  const en = useLocale() === "en";
  const d = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const withParams = (change: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(change)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    return `?${next}`;
  };
  const percent = d.coverage.households ? Math.round((d.coverage.withSales / d.coverage.households) * 100) : 0;
  const unitName = (u: { name: string | null; nameEn: string | null }) => (en ? u.nameEn : u.name) ?? t("reports.columns.noUnit");
  const productName = (p: { productZh: string; productEn: string; skuZh: string; skuEn: string }) =>
    en ? `${p.productEn} ${p.skuEn}` : `${p.productZh} ${p.skuZh}`;
  const pill = (active: boolean) =>
    `rounded-full border px-3 py-1 ${active ? "border-brand-600 bg-brand-50 font-medium" : "border-stone-300"}`;

  return (
    <div className="space-y-6">
      <PageHeader title={t("reports.dashboardTitle")} body={t("reports.dashboardBody")}>
        <Link to="/team/reports" className="inline-block text-brand-700 underline">
          {t("reports.reportsLink")}
        </Link>
      </PageHeader>
      <Form method="get" className="flex items-end gap-2">
        <label className="text-sm font-medium">
          {t("reports.year")}
          <select name="year" defaultValue={d.year} className="ml-2 rounded-md border border-stone-300 px-3 py-2 text-base">
            {d.years.map((year) => (
              <option key={year} value={year}>
                {year}
              </option>
            ))}
          </select>
        </label>
        <input type="hidden" name="sort" value={d.sort} />
        <button type="submit" className="rounded-md border border-stone-300 px-3 py-2">
          {t("reports.show")}
        </button>
      </Form>

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
            id="households-chart"
            title={`${t("reports.perHousehold")} · ${d.year}`}
            rows={d.households.map((h) => ({ label: h.code, valueFen: h.netFen }))}
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
        <MonthlyLine
          id="monthly-chart"
          title={`${t("reports.monthly")} · ${d.year}`}
          rows={d.monthly.map((m) => ({ label: String(m.month), valueFen: m.incomeFen }))}
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
          id="coverage-chart"
          title={`${t("reports.coverage")} · ${d.year}`}
          part={d.coverage.withSales}
          total={d.coverage.households}
          centre={`${percent}%`}
          table={
            <div className="mt-2 space-y-1 text-center text-sm">
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
            id="units-chart"
            title={t("reports.units")}
            rows={d.units.map((u) => ({ label: unitName(u), valueFen: u.amountFen }))}
            table={
              <table className="mt-3 w-full text-sm">
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
    </div>
  );
}
