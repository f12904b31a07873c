import { parseWithZod } from "@conform-to/zod/v4";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/auth/guards.server";
import { bureauTable, bureauYear } from "~/domain/purchases/counted.server";
import { BureauQuerySchema } from "~/domain/purchases/schemas";
import { getLocale } from "~/i18n/i18n.server";
import { currentShopYear } from "~/utils/dates";
import { invalid } from "~/utils/forms.server";
import { tableDownload } from "~/utils/tables.server";

/** The bureau's view of `?year=&sort=` as XLSX: the same rows as the page, sub-units indented under their parent. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "bureau", "admin");
  const submission = parseWithZod(new URL(request.url).searchParams, { schema: BureauQuerySchema });
  if (submission.status !== "success") return invalid(submission);
  const year = submission.value.year ?? currentShopYear();
  const { rows } = await bureauYear(year, submission.value.sort);
  return tableDownload(bureauTable(rows, await getLocale(request)), `units-${year}`, "xlsx");
}
