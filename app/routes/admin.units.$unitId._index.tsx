import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { PageHeader } from "~/components/page";
import { Pagination } from "~/components/pagination";
import { FetcherOutcome, RowAction } from "~/components/row-action";
import { OrganizerSchema } from "~/domain/accounts/admin-schemas";
import { setOrganizer, unitMembers } from "~/domain/accounts/admin.server";
import { useLocalizedName, useT } from "~/i18n/react";
import { done, invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";
import { parsePageQuery } from "~/utils/search-params";

export const meta = pageTitle<typeof loader>((t, data) =>
  data ? `${t("adminPages.units.title")} · ${data.unit.name}` : t("adminPages.units.title"),
);

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const { page } = parsePageQuery(request);
  return { page, ...(await unitMembers(params.unitId ?? "", page)) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const submission = await parseForm(request, OrganizerSchema);
  if (submission.status !== "success") return invalid(submission);
  const { intent, userId } = submission.value;
  return runCommand(submission, async () => {
    const { name } = await setOrganizer(admin, params.unitId ?? "", userId, intent === "grant");
    return done(submission, intent === "grant" ? "adminPages.units.granted" : "adminPages.units.revoked", { name });
  });
}

const ORGANIZER_FETCHER = "unit-organizer";

export default function AdminUnit() {
  const t = useT();
  const localizedName = useLocalizedName();
  const { unit, members, total, page, pages } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <Link to="/admin/units" className="text-sm text-brand-700 underline">
        {t("adminPages.units.title")}
      </Link>
      <PageHeader title={localizedName(unit)} body={t("adminPages.units.members", { count: total })}>
        <Link to="roster" className="inline-block text-brand-700 underline">
          {t("adminPages.units.roster")}
        </Link>
      </PageHeader>
      <FetcherOutcome fetcherKey={ORGANIZER_FETCHER} />
      {members.length === 0 ? (
        <p className="text-stone-600">{t("adminPages.units.noMembers")}</p>
      ) : (
        <ul className="divide-y divide-stone-100 rounded-lg border border-stone-200 bg-white text-sm">
          {members.map((member) => {
            const isOrganizer = member.roles.includes("organizer");
            return (
              <li key={member.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 p-3">
                <Link to={`/admin/users/${member.id}`} className="font-medium text-brand-700 underline">
                  {member.name}
                </Link>
                <span className="text-stone-600">{member.phone ?? member.email}</span>
                {member.department ? <span className="text-stone-600">{member.department}</span> : null}
                <span>{member.roles.map((role) => t(`roles.${role}`)).join("、")}</span>
                <span className="sm:ml-auto">
                  <RowAction
                    intent={isOrganizer ? "revoke" : "grant"}
                    fields={{ userId: member.id }}
                    label={t(isOrganizer ? "adminPages.units.revoke" : "adminPages.units.grant")}
                    pendingLabel={t("adminPages.units.saving")}
                    fetcherKey={ORGANIZER_FETCHER}
                  />
                </span>
              </li>
            );
          })}
        </ul>
      )}
      <Pagination page={page} pages={pages} />
    </div>
  );
}
