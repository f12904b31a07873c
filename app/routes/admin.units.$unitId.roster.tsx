import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { PageHeader } from "~/components/page";
import { RosterImport } from "~/components/roster-import";
import { rosterMembers } from "~/domain/accounts/roster.server";
import { useLocalizedName, useT } from "~/i18n/react";
import { pageTitle } from "~/utils/meta";
import { rosterAction } from "~/utils/roster-action.server";

export const meta = pageTitle<typeof loader>((t, data) => (data ? t("roster.pageTitle", { unit: data.unit.name }) : t("roster.title")));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireRole(request, "admin");
  return rosterMembers(admin, params.unitId ?? "");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  return rosterAction(request, admin, params.unitId ?? "");
}

export default function AdminUnitRoster() {
  const t = useT();
  const localizedName = useLocalizedName();
  const { unit, members } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <Link to={`/admin/units/${unit.id}`} className="text-sm text-brand-700 underline">
        {localizedName(unit)}
      </Link>
      <PageHeader title={t("roster.pageTitle", { unit: localizedName(unit) })} body={t("roster.body")} />
      <RosterImport members={members} />
    </div>
  );
}
