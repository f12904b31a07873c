import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { PageHeader, StatCard } from "~/components/page";
import { coopOverview } from "~/domain/cooperative/scope.server";
import { useT } from "~/i18n/react";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("coop.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  return coopOverview(user);
}

export default function CoopHome() {
  const t = useT();
  const { lots, households } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <PageHeader title={t("coop.title")} body={t("coop.body")} />
      <div className="grid grid-cols-2 gap-3">
        <StatCard label={t("coop.lots")} value={lots} />
        <StatCard label={t("coop.households")} value={households} />
      </div>
    </div>
  );
}
