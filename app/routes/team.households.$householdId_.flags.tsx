import { getFormProps, getSelectProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { DoneNote, FormAlert, SelectField, SubmitButton } from "~/components/forms";
import { TextAreaField } from "~/components/household-form";
import { FlagList, HouseholdPartHeader } from "~/components/household-parts";
import { addRiskFlag, openHouseholdFile, resolveRiskFlag } from "~/domain/households/files.server";
import { RISK_FLAG_KINDS } from "~/domain/households/kinds";
import { FlagsActionSchema } from "~/domain/households/schema";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import type { FormAnswer } from "~/utils/forms";
import { done, invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";
import { RISK_FLAG_CONSTRAINT } from "~/utils/form-constraints";
import { useSchemaValidation } from "~/utils/lazy-validation";

export const meta = pageTitle<typeof loader>((t, data) => (data ? t("households.flagsPage", { code: data.household.code }) : ""));

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const clientIp = (context as { clientIp?: string }).clientIp;
  const { riskFlags, ...household } = await openHouseholdFile(viewer, params.householdId ?? "", "flags", clientIp);
  return { household, flags: riskFlags };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const submission = await parseForm(request, FlagsActionSchema);
  if (submission.status !== "success") return invalid(submission);
  const householdId = params.householdId ?? "";
  const input = submission.value;
  return runCommand(submission, async () => {
    if (input.intent === "resolve") {
      await resolveRiskFlag(viewer, householdId, input.flagId);
      return done(submission, "households.done.flagResolved");
    }
    await addRiskFlag(viewer, householdId, { kind: input.kind, note: input.note });
    return done(submission, "households.done.flagAdded");
  });
}

export default function HouseholdFlags() {
  const t = useT();
  const tag = languageTag(useLocale());
  const { household, flags } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <HouseholdPartHeader householdId={household.id} title={t("households.flagsPage", { code: household.code })} />
      <section aria-labelledby="add-flag" className="rounded-lg border border-stone-200 bg-white p-4">
        <h2 id="add-flag" className="mb-3 text-lg font-semibold">
          {t("households.addFlag")}
        </h2>
        <FlagForm />
      </section>
      {flags.length === 0 ? (
        <p className="text-sm text-stone-600">{t("households.noFlags")}</p>
      ) : (
        <FlagList flags={flags} tag={tag} resolvable />
      )}
    </div>
  );
}

/** A new risk flag, sent through its own fetcher so the resolve buttons below stay usable meanwhile. */
function FlagForm() {
  const t = useT();
  const fetcher = useFetcher<FormAnswer>();
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const [form, fields] = useForm({
    id: "flag-new",
    lastResult: answer?.result,
    constraint: RISK_FLAG_CONSTRAINT,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: useSchemaValidation(() => import("~/domain/households/schema").then((m) => m.RiskFlagSchema)),
  });
  return (
    <fetcher.Form method="post" {...getFormProps(form)} className="max-w-xl space-y-3">
      <input type="hidden" name="intent" value="add" />
      <FormAlert errors={form.errors} />
      <SelectField label={t("households.flagFields.kind")} errors={fields.kind.errors} selectProps={getSelectProps(fields.kind)}>
        <option value="">—</option>
        {RISK_FLAG_KINDS.map((kind) => (
          <option key={kind} value={kind}>
            {t(`households.flagKinds.${kind}`)}
          </option>
        ))}
      </SelectField>
      <TextAreaField label={t("households.flagFields.note")} field={fields.note} />
      <div className="max-w-xs">
        <SubmitButton label={t("households.addFlag")} pendingLabel={t("common.saving")} pending={fetcher.state !== "idle"} />
      </div>
      <DoneNote message={answer?.done} />
    </fetcher.Form>
  );
}
