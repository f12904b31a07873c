import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { HouseholdForm } from "~/components/household-form";
import { PageHeader } from "~/components/page";
import { config } from "~/config.server";
import { createHousehold } from "~/domain/households/files.server";
import { householdInput, HouseholdSchema } from "~/domain/households/schema";
import { villageForNewFile } from "~/domain/households/scope.server";
import { useT } from "~/i18n/react";
import { invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("households.newHousehold");

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  villageForNewFile(viewer);
  return null;
}

/** The ID number typed in is never sent back with the form's answer. */
const hideFields = ["headIdNumber"];

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const submission = await parseForm(request, HouseholdSchema);
  if (submission.status !== "success") return invalid(submission, { hideFields });
  return runCommand(
    submission,
    async () => {
      const household = await createHousehold(viewer, householdInput(submission.value), config().idHashKey);
      return redirect(`/team/households/${household.id}`);
    },
    { hideFields },
  );
}

export default function NewHousehold() {
  const t = useT();
  const answer = useActionData<typeof action>();
  return (
    <div className="space-y-4">
      <PageHeader title={t("households.newHousehold")} />
      <HouseholdForm lastResult={answer?.result} defaultValue={{ status: "other", memberCount: 1 }} />
    </div>
  );
}
