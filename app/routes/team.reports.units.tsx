import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { requireRole } from "~/auth/guards.server";
import { viewerVillageId } from "~/domain/households/files.server";
import { parsePeriodQuery, reportDownload, unitPurchases, unitPurchasesTable } from "~/domain/households/reports.server";
import { getLocale } from "~/i18n/i18n.server";

/** Purchases per bureau unit for `?from=&to=` (shop dates), as CSV or (`&format=xlsx`) Excel. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const query = parsePeriodQuery(request);
  if (!query.period) return data({ errors: query.errors }, { status: 422 });
  const rows = await unitPurchases(viewerVillageId(viewer), query.period);
  return reportDownload(unitPurchasesTable(rows, await getLocale(request)), "unit-purchases", query.period, query.xlsx);
}
