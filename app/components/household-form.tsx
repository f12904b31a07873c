import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { Form, Link } from "@remix-run/react";
import {
  AGE_BANDS,
  HouseholdSchema,
  INCOME_SOURCES,
  IncomeSchema,
  MemberSchema,
  RISK_FLAG_KINDS,
  type HouseholdForm as HouseholdValues,
  type MemberForm as MemberValues,
} from "~/domain/households/schema";
import { useT, type Translate } from "~/i18n/react";
import { formatDate } from "~/utils/dates";
import { formatFen } from "~/domain/money";
import { PageHeader } from "./page";
import { ErrorList, Field, FormAlert, SelectField, SubmitButton } from "./forms";

const STATUSES = ["registered_poor", "low_income", "other"] as const;

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
          inputProps={{ ...getInputProps(fields.phone, { type: "tel" }) }}
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

/** Adds a member (no `memberId`) or changes one; the ID number is never sent back, only typed in anew. */
export function MemberForm({
  memberId,
  defaultValue,
  lastResult,
}: {
  memberId?: string;
  defaultValue?: Partial<MemberValues>;
  lastResult?: SubmissionResult<string[]>;
}) {
  const t = useT();
  const [form, fields] = useForm({
    id: `member-${memberId ?? "new"}`,
    lastResult,
    defaultValue,
    constraint: getZodConstraint(MemberSchema),
    shouldValidate: "onBlur",
    // Once a message shows, it goes as the entry is corrected: were it to go on blur, as the button is pressed,
    // the form would shrink and move the button from under the pointer, and the click would be lost.
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: MemberSchema }),
  });
  const text = (name: "name" | "relation" | "health" | "disability" | "schooling" | "employment") => (
    <Field
      label={t(`households.memberFields.${name}`)}
      errors={fields[name].errors}
      inputProps={getInputProps(fields[name], { type: "text" })}
    />
  );
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3">
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
        <SubmitButton label={memberId ? t("common.save") : t("households.addMember")} pendingLabel={t("common.saving")} />
      </div>
    </Form>
  );
}

/** Adds a year's income from a source, or (with `fixed`) changes the amount of one already recorded. */
export function IncomeForm({
  fixed,
  defaultValue,
  lastResult,
}: {
  fixed?: { year: number; source: string };
  defaultValue?: { year?: string; source?: string; amount?: string; note?: string };
  lastResult?: SubmissionResult<string[]>;
}) {
  const t = useT();
  const [form, fields] = useForm({
    id: fixed ? `income-${fixed.year}-${fixed.source}` : "income-new",
    lastResult,
    defaultValue: fixed ? { ...defaultValue, year: String(fixed.year), source: fixed.source } : defaultValue,
    constraint: getZodConstraint(IncomeSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: IncomeSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="flex flex-wrap items-end gap-3">
      <input type="hidden" name="intent" value={fixed ? "update" : "add"} />
      <FormAlert errors={form.errors} />
      {fixed ? (
        <>
          <input {...getInputProps(fields.year, { type: "hidden" })} />
          <input {...getInputProps(fields.source, { type: "hidden" })} />
        </>
      ) : (
        <>
          <div className="w-28">
            <Field
              label={t("households.incomeFields.year")}
              errors={fields.year.errors}
              inputProps={{ ...getInputProps(fields.year, { type: "number" }), inputMode: "numeric" }}
            />
          </div>
          <div className="w-40">
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
          </div>
        </>
      )}
      <div className="w-36">
        <Field
          label={t("households.incomeFields.amount")}
          errors={fields.amount.errors}
          inputProps={{ ...getInputProps(fields.amount, { type: "text" }), inputMode: "decimal" }}
        />
      </div>
      <div className="w-48">
        <Field
          label={t("households.incomeFields.note")}
          errors={fields.note.errors}
          inputProps={getInputProps(fields.note, { type: "text" })}
        />
      </div>
      <div className="w-32">
        <SubmitButton label={fixed ? t("common.save") : t("households.addIncome")} pendingLabel={t("common.saving")} />
      </div>
    </Form>
  );
}

type Flag = {
  id: string;
  kind: (typeof RISK_FLAG_KINDS)[number];
  note: string;
  createdAt: string | Date;
  resolvedAt: string | Date | null;
};

/** The household's risk flags, open ones first; with `resolvable` each open one has its resolve button. */
export function FlagList({ flags, tag, resolvable = false }: { flags: Flag[]; tag: string; resolvable?: boolean }) {
  const t = useT();
  return (
    <ul className="divide-y divide-stone-100 rounded-lg border border-stone-200 bg-white text-sm">
      {flags.map((flag) => (
        <li key={flag.id} className={`flex flex-wrap items-center gap-x-4 gap-y-1 p-3 ${flag.resolvedAt ? "text-stone-500" : ""}`}>
          <span className="font-medium">{t(`households.flagKinds.${flag.kind}`)}</span>
          <span>{flag.note}</span>
          <span className="text-stone-500">{t("households.flaggedOn", { date: formatDate(flag.createdAt, tag) })}</span>
          {flag.resolvedAt ? (
            <span>{t("households.resolvedOn", { date: formatDate(flag.resolvedAt, tag) })}</span>
          ) : resolvable ? (
            <Form method="post">
              <input type="hidden" name="intent" value="resolve" />
              <input type="hidden" name="flagId" value={flag.id} />
              <button type="submit" className="rounded-md border border-stone-300 px-3 py-1">
                {t("households.resolveFlag")}
              </button>
            </Form>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** A destructive action (removing a member, deleting income) that needs its box ticked; the server checks it too. */
export function ConfirmedActionForm({
  fields,
  confirmLabel,
  buttonLabel,
  errors,
}: {
  fields: Record<string, string | number>;
  confirmLabel: string;
  buttonLabel: string;
  errors?: string[] | null;
}) {
  return (
    <Form method="post" className="flex flex-wrap items-center gap-3 text-sm">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <label>
        <input type="checkbox" name="confirm" value="yes" required /> {confirmLabel}
      </label>
      <button type="submit" className="rounded-md border border-red-300 px-3 py-1 text-red-800">
        {buttonLabel}
      </button>
      <ErrorList errors={errors} />
    </Form>
  );
}

/** The header of a page that changes one part of a household file, with the way back to the file. */
type HouseholdFacts = {
  headName: string;
  status: "registered_poor" | "low_income" | "other";
  villageGroup: string;
  memberCount: number;
  exitYear: number | null;
  headIdMasked: string | null;
  phone: string | null;
  address: string | null;
  pensionCovered: boolean;
  medicalCovered: boolean;
  consentToDisplay: boolean;
};

/** The basic facts of a household file as label/value pairs, for the file page and its printed form. */
export function householdFacts(t: Translate, h: HouseholdFacts): [string, string][] {
  const yesNo = (value: boolean) => (value ? t("households.yes") : t("households.no"));
  return [
    [t("households.fields.headName"), h.headName],
    [t("households.fields.status"), t(`households.status.${h.status}`)],
    [t("households.fields.villageGroup"), h.villageGroup],
    [t("households.fields.memberCount"), String(h.memberCount)],
    [t("households.fields.exitYear"), h.exitYear ? String(h.exitYear) : t("common.none")],
    [t("households.fields.headIdMasked"), h.headIdMasked ?? t("common.none")],
    [t("households.fields.phone"), h.phone ?? t("common.none")],
    [t("households.fields.address"), h.address ?? t("common.none")],
    [t("households.fields.pensionCovered"), yesNo(h.pensionCovered)],
    [t("households.fields.medicalCovered"), yesNo(h.medicalCovered)],
    [t("households.fields.consentToDisplay"), yesNo(h.consentToDisplay)],
  ];
}

export function HouseholdPartHeader({ householdId, title, body }: { householdId: string; title: string; body?: string }) {
  const t = useT();
  return (
    <PageHeader title={title} body={body}>
      <Link to={`/team/households/${householdId}`} className="inline-block text-brand-700 underline">
        {t("households.backToFile")}
      </Link>
    </PageHeader>
  );
}

/** Year, source (with its note) and amount of one recorded income, as table cells. */
export function IncomeCells({
  income,
}: {
  income: { year: number; source: (typeof INCOME_SOURCES)[number]; amountFen: number; note: string | null };
}) {
  const t = useT();
  return (
    <>
      <td className="p-2">{income.year}</td>
      <td className="p-2">
        {t(`households.sources.${income.source}`)}
        {income.note ? <span className="block text-xs text-stone-500">{income.note}</span> : null}
      </td>
      <td className="p-2 text-right font-medium">{formatFen(income.amountFen)}</td>
    </>
  );
}
