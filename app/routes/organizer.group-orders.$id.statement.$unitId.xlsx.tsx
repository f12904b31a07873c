import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/auth/guards.server";
import { statementFileName, statementForOrganizer, statementTables } from "~/domain/group-orders/statement.server";
import { getLocale } from "~/i18n/i18n.server";
import { workbookDownload } from "~/utils/tables.server";

/** A unit's settlement statement as an Excel workbook: summary, order lines, households credited. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "organizer", "admin");
  const statement = await statementForOrganizer(user, params.id ?? "", params.unitId ?? "");
  return workbookDownload(statementTables(statement, await getLocale(request)), statementFileName(statement));
}
