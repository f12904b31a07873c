import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { MemberForm } from "~/components/household-form";
import { HouseholdPartHeader } from "~/components/household-parts";
import { RowAction } from "~/components/row-action";
import { config } from "~/config.server";
import { addMember, openHouseholdFile, removeMember, updateMember } from "~/domain/households/files.server";
import { memberInput, MembersActionSchema } from "~/domain/households/schema";
import { useT } from "~/i18n/react";
import { done, invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle<typeof loader>((t, data) => (data ? t("households.membersPage", { code: data.household.code }) : ""));

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const clientIp = (context as { clientIp?: string }).clientIp;
  const { members, ...household } = await openHouseholdFile(viewer, params.householdId ?? "", "members", clientIp);
  return { household, members };
}

/** An ID number typed in is never sent back with the form's answer. */
const hideFields = ["idNumber"];

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const submission = await parseForm(request, MembersActionSchema);
  if (submission.status !== "success") return invalid(submission, { hideFields });
  const householdId = params.householdId ?? "";
  const input = submission.value;
  return runCommand(
    submission,
    async () => {
      switch (input.intent) {
        case "add":
          await addMember(viewer, householdId, memberInput(input), config().idHashKey);
          return done(submission, "households.done.memberAdded");
        case "update":
          await updateMember(viewer, householdId, input.memberId, memberInput(input), config().idHashKey);
          return done(submission, "households.done.memberSaved", undefined, { resetForm: false });
        case "remove":
          await removeMember(viewer, householdId, input.memberId);
          return done(submission, "households.done.memberRemoved");
      }
    },
    { hideFields },
  );
}

export default function HouseholdMembers() {
  const t = useT();
  const { household, members } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <HouseholdPartHeader
        householdId={household.id}
        title={t("households.membersPage", { code: household.code })}
        body={t("households.membersHint")}
      />
      {members.length === 0 ? <p className="text-sm text-stone-600">{t("households.noMembers")}</p> : null}
      <ul className="space-y-3">
        {members.map((m) => (
          <li key={m.id} className="space-y-3 rounded-lg border border-stone-200 bg-white p-4">
            <details>
              <summary className="cursor-pointer">
                <span className="font-medium">{m.name}</span> · {m.relation} · {t(`households.ageBands.${m.ageBand as "0-5"}`)}
                {m.idMasked ? <span className="ml-2 break-all font-mono text-sm text-stone-600">{m.idMasked}</span> : null}
                <span className="ml-3 text-sm text-brand-700 underline">{t("households.editMember")}</span>
              </summary>
              <div className="mt-3">
                <MemberForm
                  memberId={m.id}
                  defaultValue={{
                    name: m.name,
                    relation: m.relation,
                    ageBand: m.ageBand as "0-5",
                    health: m.health ?? undefined,
                    disability: m.disability ?? undefined,
                    schooling: m.schooling ?? undefined,
                    employment: m.employment ?? undefined,
                  }}
                />
              </div>
            </details>
            <RowAction
              intent="remove"
              fields={{ memberId: m.id }}
              label={t("households.removeMember")}
              pendingLabel={t("households.removing")}
              confirm={t("households.confirmRemoveBody", { name: m.name })}
              confirmLabel={t("households.confirmRemove")}
            />
          </li>
        ))}
      </ul>
      <section aria-labelledby="add-member" className="rounded-lg border border-stone-200 bg-white p-4">
        <h2 id="add-member" className="mb-3 text-lg font-semibold">
          {t("households.addMember")}
        </h2>
        <MemberForm />
      </section>
    </div>
  );
}
