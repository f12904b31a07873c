import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { SettlementStatementView } from "~/components/settlement-statement";
import { statementForOrganizer } from "~/domain/group-orders/statement.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle<typeof loader>((t, data) =>
  data ? `${t("groupOrders.statement.title")} · ${data.statement.groupOrder.title}` : t("groupOrders.statement.title"),
);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "organizer", "admin");
  const statement = await statementForOrganizer(user, params.id ?? "", params.unitId ?? "");
  return { statement };
}

/** A unit's settlement statement (对账单), for paper (A4) and for the Excel file beside it. */
export default function OrganizerSettlementStatement() {
  const { statement } = useLoaderData<typeof loader>();
  const base = `/organizer/group-orders/${statement.groupOrder.id}`;
  return <SettlementStatementView statement={statement} back={base} xlsx={`${base}/statement/${statement.unit.id}/xlsx`} />;
}
