import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { Form } from "@remix-run/react";
import { HouseholdSchema, type HouseholdForm as HouseholdValues } from "~/domain/household-schema";
import { useT } from "~/i18n/react";
import { ErrorList, Field, FormAlert, SelectField, SubmitButton } from "./forms";

const STATUSES = ["registered_poor", "low_income", "other"] as const;

/** The one form for creating and editing a household file (without the ID number, which is never sent back). */
export function HouseholdForm({ defaultValue, lastResult }: { defaultValue?: Partial<HouseholdValues>; lastResult?: SubmissionResult<string[]> }) {
  const t = useT();
  const [form, fields] = useForm({
    id: "household",
    lastResult,
    defaultValue,
    constraint: getZodConstraint(HouseholdSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: HouseholdSchema }),
  });
  const checkbox = (name: "pensionCovered" | "medicalCovered" | "consentToDisplay") => (
    <label className="flex items-center gap-2">
      <input {...getInputProps(fields[name], { type: "checkbox" })} />
      {t(`households.fields.${name}`)}
    </label>
  );
  return (
    <Form method="post" {...getFormProps(form)} className="max-w-xl space-y-4">
      <FormAlert errors={form.errors} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label={t("households.fields.code")} errors={fields.code.errors} inputProps={getInputProps(fields.code, { type: "text" })} />
        <Field label={t("households.fields.headName")} errors={fields.headName.errors} inputProps={getInputProps(fields.headName, { type: "text" })} />
        <Field label={t("households.fields.memberCount")} errors={fields.memberCount.errors} inputProps={{ ...getInputProps(fields.memberCount, { type: "number" }), inputMode: "numeric" }} />
        <Field label={t("households.fields.villageGroup")} errors={fields.villageGroup.errors} inputProps={getInputProps(fields.villageGroup, { type: "text" })} />
        <SelectField label={t("households.fields.status")} errors={fields.status.errors} selectProps={getSelectProps(fields.status)}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`households.status.${s}`)}
            </option>
          ))}
        </SelectField>
        <Field label={t("households.fields.exitYear")} errors={fields.exitYear.errors} inputProps={{ ...getInputProps(fields.exitYear, { type: "number" }), inputMode: "numeric" }} />
      </div>
      <Field
        label={t("households.fields.headIdNumber")}
        hint={t("households.fields.headIdNumberHint")}
        errors={fields.headIdNumber.errors}
        inputProps={{ ...getInputProps(fields.headIdNumber, { type: "text" }), autoComplete: "off" }}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label={t("households.fields.phone")} errors={fields.phone.errors} inputProps={{ ...getInputProps(fields.phone, { type: "tel" }) }} />
        <Field label={t("households.fields.address")} errors={fields.address.errors} inputProps={getInputProps(fields.address, { type: "text" })} />
      </div>
      <fieldset className="space-y-2 rounded-lg border border-stone-200 bg-white p-4">
        {checkbox("pensionCovered")}
        {checkbox("medicalCovered")}
        {checkbox("consentToDisplay")}
      </fieldset>
      <Field label={t("households.fields.displayName")} errors={fields.displayName.errors} inputProps={getInputProps(fields.displayName, { type: "text" })} />
      <label className="block text-sm font-medium text-stone-700">
        {t("households.fields.story")}
        <textarea {...getTextareaProps(fields.story)} rows={3} className="mt-1 block w-full rounded-md border border-stone-300 px-3 py-2" />
      </label>
      <ErrorList errors={fields.story.errors} />
      <label className="block text-sm font-medium text-stone-700">
        {t("households.fields.notes")}
        <textarea {...getTextareaProps(fields.notes)} rows={3} className="mt-1 block w-full rounded-md border border-stone-300 px-3 py-2" />
      </label>
      <SubmitButton label={t("common.save")} pendingLabel={t("common.saving")} />
    </Form>
  );
}
