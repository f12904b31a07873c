import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { HouseholdForm } from "~/components/household-form";
import { PageHeader } from "~/components/page";
import { config } from "~/config.server";
import { openHouseholdFile, updateHousehold } from "~/domain/households/files.server";
import { householdInput, HouseholdSchema } from "~/domain/households/schema";
import { useT } from "~/i18n/react";
import { invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle<typeof loader>((t, data) =>
  data ? t("households.editTitle", { code: data.values.code }) : t("households.edit"),
);

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const clientIp = (context as { clientIp?: string }).clientIp;
  const { _count, exitYear, phone, address, displayName, story, notes, ...values } = await openHouseholdFile(
    viewer,
    params.householdId ?? "",
    "form",
    clientIp,
  );
  return {
    membersRecorded: _count.members,
    values: {
      ...values,
      exitYear: exitYear ?? undefined,
      phone: phone ?? undefined,
      address: address ?? undefined,
      displayName: displayName ?? undefined,
      story: story ?? undefined,
      notes: notes ?? undefined,
    },
  };
}

/** The ID number typed in is never sent back with the form's answer. */
const hideFields = ["headIdNumber"];

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const submission = await parseForm(request, HouseholdSchema);
  if (submission.status !== "success") return invalid(submission, { hideFields });
  const householdId = params.householdId ?? "";
  return runCommand(
    submission,
    async () => {
      await updateHousehold(viewer, householdId, householdInput(submission.value), config().idHashKey);
      return redirect(`/team/households/${householdId}`);
    },
    { hideFields },
  );
}

export default function EditHousehold() {
  const t = useT();
  const { values, membersRecorded } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  return (
    <div className="space-y-4">
      <PageHeader title={t("households.editTitle", { code: values.code })} />
      <HouseholdForm defaultValue={values} lastResult={answer?.result} membersRecorded={membersRecorded} />
    </div>
  );
}
