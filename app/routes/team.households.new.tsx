import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { HouseholdForm } from "~/components/household-form";
import { PageHeader } from "~/components/page";
import { config } from "~/config.server";
import { householdInput, HouseholdSchema } from "~/domain/households/schema";
import { createHousehold, DuplicateHouseholdCodeError } from "~/domain/households/files.server";
import { useT } from "~/i18n/react";
import { invalid } from "~/utils/responses.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  if (!viewer.villageId) throw new Response("Choose a village for this account first", { status: 403 });
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  if (!viewer.villageId) throw new Response("Choose a village for this account first", { status: 403 });
  const submission = parseWithZod(await request.formData(), { schema: HouseholdSchema });
  if (submission.status !== "success") return invalid(submission.reply({ hideFields: ["headIdNumber"] }), 400);
  try {
    const household = await createHousehold(viewer, viewer.villageId, householdInput(submission.value), config().idHashKey);
    return redirect(`/team/households/${household.id}`);
  } catch (error) {
    if (error instanceof DuplicateHouseholdCodeError)
      return invalid(submission.reply({ fieldErrors: { code: ["households.errors.duplicateCode"] }, hideFields: ["headIdNumber"] }), 422);
    throw error;
  }
}

export default function NewHousehold() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  return (
    <div className="space-y-4">
      <PageHeader title={t("households.newHousehold")} />
      <HouseholdForm lastResult={actionData?.result} defaultValue={{ status: "other", memberCount: 1 }} />
    </div>
  );
}
