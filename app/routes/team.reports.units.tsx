import { parseWithZod } from "@conform-to/zod/v4";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/auth/guards.server";
import { ExportQuerySchema } from "~/domain/households/report-schemas";
import { reportDownload, unitPurchases, unitPurchasesTable } from "~/domain/households/reports.server";
import { viewerVillageId } from "~/domain/households/scope.server";
import { getLocale } from "~/i18n/i18n.server";
import { invalid } from "~/utils/forms.server";

/** Purchases per bureau unit for `?from=&to=` (shop dates), as CSV or (`&format=xlsx`) Excel. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const submission = parseWithZod(new URL(request.url).searchParams, { schema: ExportQuerySchema });
  if (submission.status !== "success") return invalid(submission, { status: 422 });
  const { format, ...period } = submission.value;
  const rows = await unitPurchases(viewerVillageId(viewer), period);
  return reportDownload(unitPurchasesTable(rows, await getLocale(request)), "unit-purchases", period, format);
}
