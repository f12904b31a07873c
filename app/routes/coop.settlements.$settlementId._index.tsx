import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { SettlementStatementView } from "~/components/settlement-statement";
import { statementForCooperative } from "~/domain/group-orders/statement.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle<typeof loader>((t, data) =>
  data ? `${t("groupOrders.statement.title")} · ${data.statement.groupOrder.title}` : t("groupOrders.statement.title"),
);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  const statement = await statementForCooperative(user, params.settlementId ?? "");
  return { statement };
}

/** A unit's settlement statement as the cooperative files it. */
export default function CoopSettlementStatement() {
  const { statement } = useLoaderData<typeof loader>();
  return <SettlementStatementView statement={statement} back="/coop/settlements" xlsx={`/coop/settlements/${statement.id}/xlsx`} />;
}
