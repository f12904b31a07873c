import { getFormProps, getSelectProps, getTextareaProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { ErrorList, FormAlert, SelectField, SubmitButton } from "~/components/forms";
import { FlagList, HouseholdPartHeader } from "~/components/household-form";
import { RISK_FLAG_KINDS, RiskFlagSchema } from "~/domain/households/schema";
import { addRiskFlag, openHouseholdFile, resolveRiskFlag } from "~/domain/households/files.server";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { notFound } from "~/utils/responses.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const household = await openHouseholdFile(viewer, params.householdId ?? "", (context as { clientIp?: string }).clientIp);
  if (!household) notFound();
  const { id, code, riskFlags } = household;
  return { household: { id, code }, flags: riskFlags };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const householdId = params.householdId ?? "";
  const formData = await request.formData();
  const back = redirect(`/team/households/${householdId}/flags`);
  if (formData.get("intent") === "resolve") {
    if (!(await resolveRiskFlag(viewer, householdId, String(formData.get("flagId") ?? "")))) notFound();
    return back;
  }
  const submission = parseWithZod(formData, { schema: RiskFlagSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 422 });
  if (!(await addRiskFlag(viewer, householdId, submission.value))) notFound();
  return back;
}

export default function HouseholdFlags() {
  const t = useT();
  const tag = languageTag(useLocale());
  const { household, flags } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: `flag-${flags.length}`,
    lastResult: answer?.result,
    constraint: getZodConstraint(RiskFlagSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RiskFlagSchema }),
  });
  return (
    <div className="space-y-6">
      <HouseholdPartHeader householdId={household.id} title={t("households.flagsPage", { code: household.code })} />
      <section aria-labelledby="add-flag" className="rounded-lg border border-stone-200 bg-white p-4">
        <h2 id="add-flag" className="mb-3 text-lg font-semibold">
          {t("households.addFlag")}
        </h2>
        <Form method="post" {...getFormProps(form)} className="max-w-xl space-y-3">
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
          <label className="block text-sm font-medium text-stone-700" htmlFor={fields.note.id}>
            {t("households.flagFields.note")}
          </label>
          <textarea {...getTextareaProps(fields.note)} rows={3} className="block w-full rounded-md border border-stone-300 px-3 py-2" />
          <ErrorList errors={fields.note.errors} />
          <div className="max-w-xs">
            <SubmitButton label={t("households.addFlag")} pendingLabel={t("common.saving")} />
          </div>
        </Form>
      </section>
      {flags.length === 0 ? (
        <p className="text-sm text-stone-600">{t("households.noFlags")}</p>
      ) : (
        <FlagList flags={flags} tag={tag} resolvable />
      )}
    </div>
  );
}
