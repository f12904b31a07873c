import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { HouseholdForm } from "~/components/household-form";
import { PageHeader } from "~/components/page";
import { config } from "~/config.server";
import { householdInput, HouseholdSchema } from "~/domain/households/schema";
import { DuplicateHouseholdCodeError, openHouseholdFile, updateHousehold } from "~/domain/households/files.server";
import { useT } from "~/i18n/react";
import { invalid, notFound } from "~/utils/responses.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const household = await openHouseholdFile(viewer, params.householdId ?? "", (context as { clientIp?: string }).clientIp);
  if (!household) notFound();
  const {
    id,
    code,
    headName,
    memberCount,
    members,
    villageGroup,
    status,
    exitYear,
    phone,
    address,
    pensionCovered,
    medicalCovered,
    consentToDisplay,
    displayName,
    story,
    notes,
  } = household;
  return {
    id,
    membersRecorded: members.length,
    values: {
      code,
      headName,
      memberCount,
      villageGroup,
      status,
      exitYear: exitYear ?? undefined,
      phone: phone ?? undefined,
      address: address ?? undefined,
      pensionCovered,
      medicalCovered,
      consentToDisplay,
      displayName: displayName ?? undefined,
      story: story ?? undefined,
      notes: notes ?? undefined,
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const submission = parseWithZod(await request.formData(), { schema: HouseholdSchema });
  if (submission.status !== "success") return invalid(submission.reply({ hideFields: ["headIdNumber"] }), 400);
  try {
    const saved = await updateHousehold(viewer, params.householdId ?? "", householdInput(submission.value), config().idHashKey);
    if (!saved) notFound();
    return redirect(`/team/households/${params.householdId}`);
  } catch (error) {
    if (error instanceof DuplicateHouseholdCodeError)
      return invalid(submission.reply({ fieldErrors: { code: ["households.errors.duplicateCode"] }, hideFields: ["headIdNumber"] }), 422);
    throw error;
  }
}

export default function EditHousehold() {
  const t = useT();
  const { values, membersRecorded } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="space-y-4">
      <PageHeader title={`${t("households.edit")} · ${values.code}`} />
      <HouseholdForm defaultValue={values} lastResult={actionData?.result} membersRecorded={membersRecorded} />
    </div>
  );
}
