import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
  type FieldMetadata,
  type SubmissionResult,
} from "@conform-to/react";
import { Form, useFetcher } from "@remix-run/react";
import { AGE_BANDS, INCOME_SOURCES } from "~/domain/households/kinds";
import type { HouseholdForm as HouseholdValues, MemberForm as MemberValues } from "~/domain/households/schema";
import { HOUSEHOLD_CONSTRAINT, INCOME_CONSTRAINT, MEMBER_CONSTRAINT } from "~/utils/form-constraints";
import { useSchemaValidation } from "~/utils/lazy-validation";
import { useT } from "~/i18n/react";
import type { FormAnswer } from "~/utils/forms";
import { DoneNote, ErrorList, Field, FormAlert, SelectField, SubmitButton } from "./forms";

const STATUSES = ["registered_poor", "low_income", "other"] as const;

/** A multi-line text field wired like Field: its label, its errors, and aria-invalid while it has any. */
export function TextAreaField({ label, field, rows = 3 }: { label: string; field: FieldMetadata<string | undefined>; rows?: number }) {
  const errorId = field.errors?.length ? `${field.id}-error` : undefined;
  return (
    <div>
      <label htmlFor={field.id} className="block text-sm font-medium text-stone-700">
        {label}
      </label>
      <textarea
        {...getTextareaProps(field)}
        aria-describedby={errorId}
        rows={rows}
        className="mt-1 block w-full rounded-md border border-stone-300 px-3 py-2 aria-[invalid=true]:border-red-500"
      />
      <ErrorList id={errorId} errors={field.errors} />
    </div>
  );
}

/** The one form for creating and editing a household file (without the ID number, which is never sent back). */
export function HouseholdForm({
  defaultValue,
  lastResult,
  membersRecorded = 0,
}: {
  defaultValue?: Partial<HouseholdValues>;
  lastResult?: SubmissionResult<string[]>;
  membersRecorded?: number;
}) {
  const t = useT();
  const [form, fields] = useForm({
    id: "household",
    lastResult,
    defaultValue,
    constraint: HOUSEHOLD_CONSTRAINT,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: useSchemaValidation(() => import("~/domain/households/schema").then((m) => m.HouseholdSchema)),
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
        <Field
          label={t("households.fields.headName")}
          errors={fields.headName.errors}
          inputProps={getInputProps(fields.headName, { type: "text" })}
        />
        <Field
          label={t("households.fields.memberCount")}
          hint={membersRecorded > 0 ? t("households.memberCountFollows", { count: membersRecorded }) : undefined}
          errors={fields.memberCount.errors}
          inputProps={{ ...getInputProps(fields.memberCount, { type: "number" }), inputMode: "numeric", readOnly: membersRecorded > 0 }}
        />
        <Field
          label={t("households.fields.villageGroup")}
          errors={fields.villageGroup.errors}
          inputProps={getInputProps(fields.villageGroup, { type: "text" })}
        />
        <SelectField label={t("households.fields.status")} errors={fields.status.errors} selectProps={getSelectProps(fields.status)}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`households.status.${s}`)}
            </option>
          ))}
        </SelectField>
        <Field
          label={t("households.fields.exitYear")}
          errors={fields.exitYear.errors}
          inputProps={{ ...getInputProps(fields.exitYear, { type: "number" }), inputMode: "numeric" }}
        />
      </div>
      <Field
        label={t("households.fields.headIdNumber")}
        hint={t("households.fields.headIdNumberHint")}
        errors={fields.headIdNumber.errors}
        inputProps={{ ...getInputProps(fields.headIdNumber, { type: "text" }), autoComplete: "off" }}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label={t("households.fields.phone")}
          errors={fields.phone.errors}
          inputProps={getInputProps(fields.phone, { type: "tel" })}
        />
        <Field
          label={t("households.fields.address")}
          errors={fields.address.errors}
          inputProps={getInputProps(fields.address, { type: "text" })}
        />
      </div>
      <fieldset className="space-y-2 rounded-lg border border-stone-200 bg-white p-4">
        {checkbox("pensionCovered")}
        {checkbox("medicalCovered")}
        {checkbox("consentToDisplay")}
      </fieldset>
      <Field
        label={t("households.fields.displayName")}
        errors={fields.displayName.errors}
        inputProps={getInputProps(fields.displayName, { type: "text" })}
      />
      <TextAreaField label={t("households.fields.story")} field={fields.story} />
      <TextAreaField label={t("households.fields.notes")} field={fields.notes} />
      <SubmitButton label={t("common.save")} pendingLabel={t("common.saving")} />
    </Form>
  );
}

/**
 * Adds a member (no `memberId`) or changes one, through its own fetcher so that every member's form on the page
 * stays usable while one is saved. The ID number is never sent back, only typed in anew.
 */
export function MemberForm({ memberId, defaultValue }: { memberId?: string; defaultValue?: Partial<MemberValues> }) {
  const t = useT();
  const fetcher = useFetcher<FormAnswer>();
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const [form, fields] = useForm({
    id: `member-${memberId ?? "new"}`,
    lastResult: answer?.result,
    defaultValue,
    constraint: MEMBER_CONSTRAINT,
    shouldValidate: "onBlur",
    // Once a message shows, it goes as the entry is corrected: were it to go on blur, as the button is pressed,
    // the form would shrink and move the button from under the pointer, and the click would be lost.
    shouldRevalidate: "onInput",
    onValidate: useSchemaValidation(() => import("~/domain/households/schema").then((m) => m.MemberSchema)),
  });
  const text = (name: "name" | "relation" | "health" | "disability" | "schooling" | "employment") => (
    <Field
      label={t(`households.memberFields.${name}`)}
      errors={fields[name].errors}
      inputProps={getInputProps(fields[name], { type: "text" })}
    />
  );
  return (
    <fetcher.Form method="post" {...getFormProps(form)} className="space-y-3">
      <input type="hidden" name="intent" value={memberId ? "update" : "add"} />
      {memberId ? <input type="hidden" name="memberId" value={memberId} /> : null}
      <FormAlert errors={form.errors} />
      <div className="grid gap-3 sm:grid-cols-3">
        {text("name")}
        {text("relation")}
        <SelectField
          label={t("households.memberFields.ageBand")}
          errors={fields.ageBand.errors}
          selectProps={getSelectProps(fields.ageBand)}
        >
          <option value="">—</option>
          {AGE_BANDS.map((band) => (
            <option key={band} value={band}>
              {t(`households.ageBands.${band}`)}
            </option>
          ))}
        </SelectField>
        {text("health")}
        {text("disability")}
        {text("schooling")}
        {text("employment")}
        <div className="sm:col-span-2">
          <Field
            label={t("households.memberFields.idNumber")}
            hint={t("households.memberFields.idNumberHint")}
            errors={fields.idNumber.errors}
            inputProps={{ ...getInputProps(fields.idNumber, { type: "text" }), autoComplete: "off" }}
          />
        </div>
      </div>
      <div className="max-w-xs">
        <SubmitButton
          label={memberId ? t("common.save") : t("households.addMember")}
          pendingLabel={t("common.saving")}
          pending={fetcher.state !== "idle"}
        />
      </div>
      <DoneNote message={answer?.done} />
    </fetcher.Form>
  );
}

/**
 * Adds a year's income from a source, or (with `fixed`) changes the amount of one already recorded; each through
 * its own fetcher, so one being saved leaves the others usable.
 */
export function IncomeForm({
  fixed,
  defaultValue,
}: {
  fixed?: { year: number; source: string };
  defaultValue?: { year?: string; source?: string; amount?: string; note?: string };
}) {
  const t = useT();
  const fetcher = useFetcher<FormAnswer>();
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const [form, fields] = useForm({
    id: fixed ? `income-${fixed.year}-${fixed.source}` : "income-new",
    lastResult: answer?.result,
    defaultValue: fixed ? { ...defaultValue, year: String(fixed.year), source: fixed.source } : defaultValue,
    constraint: INCOME_CONSTRAINT,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: useSchemaValidation(() => import("~/domain/households/schema").then((m) => m.IncomeSchema)),
  });
  return (
    <fetcher.Form
      method="post"
      {...getFormProps(form)}
      className="grid gap-3 sm:grid-cols-[7rem_10rem_9rem_minmax(0,1fr)_auto] sm:items-start"
    >
      <input type="hidden" name="intent" value={fixed ? "update" : "add"} />
      <div className="sm:col-span-full">
        <FormAlert errors={form.errors} />
      </div>
      {fixed ? (
        <>
          <input {...getInputProps(fields.year, { type: "hidden" })} />
          <input {...getInputProps(fields.source, { type: "hidden" })} />
        </>
      ) : (
        <>
          <Field
            label={t("households.incomeFields.year")}
            errors={fields.year.errors}
            inputProps={{ ...getInputProps(fields.year, { type: "number" }), inputMode: "numeric" }}
          />
          <SelectField
            label={t("households.incomeFields.source")}
            errors={fields.source.errors}
            selectProps={getSelectProps(fields.source)}
          >
            <option value="">—</option>
            {INCOME_SOURCES.map((source) => (
              <option key={source} value={source}>
                {t(`households.sources.${source}`)}
              </option>
            ))}
          </SelectField>
        </>
      )}
      <Field
        label={t("households.incomeFields.amount")}
        errors={fields.amount.errors}
        inputProps={{ ...getInputProps(fields.amount, { type: "text" }), inputMode: "decimal" }}
      />
      <Field
        label={t("households.incomeFields.note")}
        errors={fields.note.errors}
        inputProps={getInputProps(fields.note, { type: "text" })}
      />
      <div className="sm:mt-6">
        <SubmitButton
          label={fixed ? t("common.save") : t("households.addIncome")}
          pendingLabel={t("common.saving")}
          pending={fetcher.state !== "idle"}
          variant="secondary"
        />
      </div>
      <div className="sm:col-span-full">
        <DoneNote message={answer?.done} />
      </div>
    </fetcher.Form>
  );
}
