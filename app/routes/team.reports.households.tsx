import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { requireRole } from "~/auth/guards.server";
import { viewerVillageId } from "~/domain/households/files.server";
import { householdIncomeReport, householdIncomeTable, parsePeriodQuery, reportDownload } from "~/domain/households/reports.server";
import { getLocale } from "~/i18n/i18n.server";

/** The household income report for `?from=&to=` (shop dates), as CSV or (`&format=xlsx`) Excel. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const query = parsePeriodQuery(request);
  if (!query.period) return data({ errors: query.errors }, { status: 422 });
  const rows = await householdIncomeReport(viewerVillageId(viewer), query.period);
  return reportDownload(householdIncomeTable(rows, await getLocale(request)), "household-income", query.period, query.xlsx);
}
