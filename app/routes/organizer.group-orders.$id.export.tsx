import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/auth/guards.server";
import { getGroupOrderForOrganizer, pickupListCsv, skuTotalsCsv } from "~/domain/group-orders.server";
import { getLocale } from "~/i18n/i18n.server";
import { shopDateOf } from "~/domain/group-order-state";

/** The pickup list (`?report=pickup`) or the per-product totals (`?report=totals`) as a CSV download. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "organizer", "admin");
  const group = await getGroupOrderForOrganizer(user, params.id ?? "");
  const report = new URL(request.url).searchParams.get("report") === "totals" ? "totals" : "pickup";
  const locale = await getLocale(request);
  const csv = report === "totals" ? await skuTotalsCsv(group.id, locale) : await pickupListCsv(group.id, locale);
  const filename = `${report}-${shopDateOf(new Date(group.deliveryDate))}-${group.id}.csv`;
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
