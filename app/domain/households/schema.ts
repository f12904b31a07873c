// The work team's forms on household files and monitoring, shared by the browser (conform validates as fields are
// left) and the actions. Messages are message keys. Plain zod with no server imports.
import { z } from "zod";
import { percentField, yuanField } from "~/domain/money-fields";
import type { MessageKey } from "~/i18n/i18n";
import { currentShopYear } from "~/utils/dates";
import { normalizeIdNumber } from "./id-numbers";
import { AGE_BANDS, FIRST_FILE_YEAR, INCOME_SOURCES, RISK_FLAG_KINDS } from "./kinds";

const TOO_LONG = "households.errors.tooLong";
/** A form's hidden fields (intent, a row's id) only go wrong when the page is stale or the form was tampered with. */
const STALE = "errors.staleForm";

export { AGE_BANDS, FIRST_FILE_YEAR, INCOME_SOURCES, RISK_FLAG_KINDS } from "./kinds";

/**
 * A year from `first` to this year. Checked when the form is submitted, not when the module loads, so a server
 * running over New Year accepts the new year.
 */
export const yearSince = (first: number, message: MessageKey) =>
  z.coerce
    .number({ error: message })
    .int(message)
    .refine((year) => year >= first && year <= currentShopYear(), message);

const optionalText = (max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.string({ error: TOO_LONG }).trim().max(max, TOO_LONG).optional(),
  );
const requiredText = (max: number) => z.string({ error: "errors.required" }).trim().min(1, "errors.required").max(max, TOO_LONG);
const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());
const rowId = z.string({ error: STALE }).min(1, STALE).max(100, STALE);
/** Destructive steps carry `confirm=yes` from their confirmation; without it nothing happens. */
const confirmed = z.literal("yes", { error: "errors.confirmRequired" });

export const HouseholdSchema = z
  .object({
    code: z
      .string({ message: "errors.required" })
      .trim()
      .regex(/^[A-Z]{1,4}-\d{1,5}$/, { message: "households.errors.code" }),
    headName: requiredText(20),
    memberCount: z.coerce
      .number({ message: "households.errors.memberCount" })
      .int({ message: "households.errors.memberCount" })
      .min(1, { message: "households.errors.memberCount" })
      .max(20, { message: "households.errors.memberCount" }),
    villageGroup: requiredText(20),
    status: z.enum(["registered_poor", "low_income", "other"], { message: "errors.required" }),
    exitYear: yearSince(FIRST_FILE_YEAR, "households.errors.exitYear").optional(),
    headIdNumber: optionalText(30).refine((v) => v === undefined || normalizeIdNumber(v) !== null, {
      message: "households.errors.idNumber",
    }),
    phone: optionalText(20).refine((v) => v === undefined || /^1[3-9]\d{9}$/.test(v), { message: "errors.invalidPhone" }),
    address: optionalText(200),
    pensionCovered: checkbox,
    medicalCovered: checkbox,
    consentToDisplay: checkbox,
    displayName: optionalText(20),
    story: optionalText(300),
    notes: optionalText(1000),
  })
  .superRefine((value, ctx) => {
    if (value.consentToDisplay && !value.displayName)
      ctx.addIssue({ code: "custom", path: ["displayName"], message: "households.errors.displayNameRequired" });
  });

export type HouseholdForm = z.infer<typeof HouseholdSchema>;

/** The form's values as the domain takes them (an ID number normalized; absent optional fields as null). */
export function householdInput(form: HouseholdForm) {
  return {
    ...form,
    exitYear: form.exitYear ?? null,
    headIdNumber: form.headIdNumber ? normalizeIdNumber(form.headIdNumber) : null,
    phone: form.phone ?? null,
    address: form.address ?? null,
    displayName: form.displayName ?? null,
    story: form.story ?? null,
    notes: form.notes ?? null,
  };
}

export const MemberSchema = z.object({
  name: requiredText(20),
  relation: requiredText(20),
  ageBand: z.enum(AGE_BANDS, { message: "households.errors.ageBand" }),
  health: optionalText(50),
  disability: optionalText(50),
  schooling: optionalText(50),
  employment: optionalText(50),
  idNumber: optionalText(30).refine((v) => v === undefined || normalizeIdNumber(v) !== null, { message: "households.errors.idNumber" }),
});

export type MemberForm = z.infer<typeof MemberSchema>;

/** A member as the domain takes it: absent details as null, the ID number normalized (null keeps the current one). */
export function memberInput(form: MemberForm) {
  return {
    name: form.name,
    relation: form.relation,
    ageBand: form.ageBand,
    health: form.health ?? null,
    disability: form.disability ?? null,
    schooling: form.schooling ?? null,
    employment: form.employment ?? null,
    idNumber: form.idNumber ? normalizeIdNumber(form.idNumber) : null,
  };
}

export type MemberInput = ReturnType<typeof memberInput>;

const recordYear = yearSince(FIRST_FILE_YEAR, "households.errors.year");

export const IncomeSchema = z.object({
  year: recordYear,
  source: z.enum(INCOME_SOURCES, { message: "households.errors.source" }),
  amount: yuanField("households.errors.amount", { allowZero: true }),
  note: optionalText(100),
});

/** The members page: add a member, change one, or remove one (confirmed). */
export const MembersActionSchema = z.discriminatedUnion(
  "intent",
  [
    MemberSchema.extend({ intent: z.literal("add") }),
    MemberSchema.extend({ intent: z.literal("update"), memberId: rowId }),
    z.object({ intent: z.literal("remove"), memberId: rowId, confirm: confirmed }),
  ],
  { error: STALE },
);

/** The other-income page: add a year's income from a source, change its amount, or delete it (confirmed). */
export const IncomeActionSchema = z.discriminatedUnion(
  "intent",
  [
    IncomeSchema.extend({ intent: z.literal("add") }),
    IncomeSchema.extend({ intent: z.literal("update") }),
    z.object({
      intent: z.literal("delete"),
      year: recordYear,
      source: z.enum(INCOME_SOURCES, { message: "households.errors.source" }),
      confirm: confirmed,
    }),
  ],
  { error: STALE },
);

export const RiskFlagSchema = z.object({
  kind: z.enum(RISK_FLAG_KINDS, { message: "households.errors.flagKind" }),
  note: requiredText(300),
});

/** The risk-flag page: add a flag, or mark one resolved. */
export const FlagsActionSchema = z.discriminatedUnion(
  "intent",
  [RiskFlagSchema.extend({ intent: z.literal("add") }), z.object({ intent: z.literal("resolve"), flagId: rowId })],
  { error: STALE },
);

export const AcknowledgeSchema = z.object({
  alertId: rowId,
  note: requiredText(300),
});

export const LookupSchema = z.object({
  idNumber: z
    .string({ error: "households.errors.idNumber" })
    .max(30, "households.errors.idNumber")
    .refine((v) => normalizeIdNumber(v) !== null, "households.errors.idNumber")
    .transform((v) => normalizeIdNumber(v)!),
});

export const MonitoringSettingsSchema = z.object({
  threshold: yuanField("households.errors.threshold"),
  dropShare: percentField("households.errors.dropShare", { minBp: 100, maxBp: 9_999 }),
  noSalesDays: z.coerce
    .number({ message: "households.errors.noSalesDays" })
    .int({ message: "households.errors.noSalesDays" })
    .min(7, { message: "households.errors.noSalesDays" })
    .max(365, { message: "households.errors.noSalesDays" }),
  // Settings are per village: a team member's own (the field is ignored for them), the one an admin chose.
  villageId: z.string().max(100).optional(),
});
