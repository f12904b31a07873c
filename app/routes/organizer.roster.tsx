import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { PageHeader } from "~/components/page";
import { RosterImport } from "~/components/roster-import";
import { DomainError } from "~/domain/errors";
import { rosterMembers } from "~/domain/accounts/roster.server";
import { useLocalizedName, useT } from "~/i18n/react";
import { pageTitle } from "~/utils/meta";
import { rosterAction } from "~/utils/roster-action.server";

export const meta = pageTitle("roster.title");

/** An organizer manages the roster of their own unit only. */
function ownUnit(user: { unitId: string | null }) {
  if (!user.unitId) throw new DomainError("roster.errors.noUnit", { status: 403 });
  return user.unitId;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "organizer");
  return rosterMembers(user, ownUnit(user));
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "organizer");
  return rosterAction(request, user, ownUnit(user));
}

export default function OrganizerRoster() {
  const t = useT();
  const localizedName = useLocalizedName();
  const { unit, members } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <PageHeader title={t("roster.pageTitle", { unit: localizedName(unit) })} body={t("roster.body")} />
      <RosterImport members={members} />
    </div>
  );
}
