import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/auth/guards.server";
import { statementFileName, statementForCooperative, statementTables } from "~/domain/group-orders/statement.server";
import { getLocale } from "~/i18n/i18n.server";
import { workbookDownload } from "~/utils/tables.server";

/** A unit's settlement statement as an Excel workbook, for the cooperative. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  const statement = await statementForCooperative(user, params.settlementId ?? "");
  return workbookDownload(statementTables(statement, await getLocale(request)), statementFileName(statement));
}
