import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/auth/guards.server";
import { getGroupOrderForOrganizer } from "~/domain/group-orders/access.server";
import { pickupListTable, skuTotalsTable } from "~/domain/group-orders/exports.server";
import { tableDownload } from "~/utils/tables.server";
import { getLocale } from "~/i18n/i18n.server";
import { shopDateOf } from "~/utils/dates";

/** The pickup list (`?report=pickup`) or the per-SKU totals (`?report=totals`), as CSV or (`&format=xlsx`) Excel. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "organizer", "admin");
  const group = await getGroupOrderForOrganizer(user, params.id ?? "");
  const search = new URL(request.url).searchParams;
  const report = search.get("report") === "totals" ? "totals" : "pickup";
  const xlsx = search.get("format") === "xlsx";
  const locale = await getLocale(request);
  const table =
    report === "totals"
      ? await skuTotalsTable(group.id, locale, group.unitScope)
      : await pickupListTable(group.id, locale, group.unitScope);
  return tableDownload(table, `${report}-${shopDateOf(new Date(group.deliveryDate))}-${group.id}`, xlsx ? "xlsx" : "csv");
}
