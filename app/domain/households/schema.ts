// The household file form, shared by the browser (live validation) and the server. Messages are i18n keys.
import { z } from "zod";
import { normalizeIdNumber } from "./id-numbers";
import { percentField, yuanField } from "~/domain/money";

const optionalText = (max: number) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.string().trim().max(max).optional());
const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());

export const HouseholdSchema = z
  .object({
    code: z
      .string({ message: "errors.required" })
      .trim()
      .regex(/^[A-Z]{1,4}-\d{1,5}$/, { message: "households.errors.code" }),
    headName: z.string({ message: "errors.required" }).trim().min(1, { message: "errors.required" }).max(20),
    memberCount: z.coerce
      .number({ message: "households.errors.memberCount" })
      .int({ message: "households.errors.memberCount" })
      .min(1, { message: "households.errors.memberCount" })
      .max(20, { message: "households.errors.memberCount" }),
    villageGroup: z.string({ message: "errors.required" }).trim().min(1, { message: "errors.required" }).max(20),
    status: z.enum(["registered_poor", "low_income", "other"], { message: "errors.required" }),
    exitYear: z.preprocess(
      (v) => (v === "" || v === undefined ? undefined : v),
      z.coerce
        .number({ message: "households.errors.exitYear" })
        .int({ message: "households.errors.exitYear" })
        .min(2014, { message: "households.errors.exitYear" })
        .max(new Date().getFullYear(), { message: "households.errors.exitYear" })
        .optional(),
    ),
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

/** Age bands follow the stages the monitoring looks at: pre-school, compulsory schooling, working age, old age. */
export const AGE_BANDS = ["0-5", "6-15", "16-59", "60-79", "80+"] as const;
export const INCOME_SOURCES = ["wages", "pension", "subsidy", "land_transfer", "business", "other"] as const;
export const RISK_FLAG_KINDS = ["illness", "schooling", "disaster", "disability", "other"] as const;
export const FIRST_FILE_YEAR = 2014;

const requiredText = (max: number) =>
  z.string({ message: "errors.required" }).trim().min(1, { message: "errors.required" }).max(max, { message: "households.errors.tooLong" });
const optionalNote = (max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.string().trim().max(max, { message: "households.errors.tooLong" }).optional(),
  );

export const MemberSchema = z.object({
  name: requiredText(20),
  relation: requiredText(20),
  ageBand: z.enum(AGE_BANDS, { message: "households.errors.ageBand" }),
  health: optionalNote(50),
  disability: optionalNote(50),
  schooling: optionalNote(50),
  employment: optionalNote(50),
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

// The year is checked when the form is submitted, not when the module loads, so a server running over New Year
// accepts the new year.
const recordYear = z.coerce
  .number({ message: "households.errors.year" })
  .int({ message: "households.errors.year" })
  .refine((year) => year >= FIRST_FILE_YEAR && year <= new Date().getFullYear(), { message: "households.errors.year" });

export const IncomeSchema = z.object({
  year: recordYear,
  source: z.enum(INCOME_SOURCES, { message: "households.errors.source" }),
  amount: yuanField("households.errors.amount", { allowZero: true }),
  note: optionalNote(100),
});

export const RiskFlagSchema = z.object({
  kind: z.enum(RISK_FLAG_KINDS, { message: "households.errors.flagKind" }),
  note: requiredText(300),
});

export const AcknowledgeSchema = z.object({
  alertId: z.string().min(1),
  note: requiredText(300),
});

export const MonitoringSettingsSchema = z.object({
  threshold: yuanField("households.errors.threshold"),
  dropShare: percentField("households.errors.dropShare", { minBp: 100, maxBp: 9_999 }),
  noSalesDays: z.coerce
    .number({ message: "households.errors.noSalesDays" })
    .int({ message: "households.errors.noSalesDays" })
    .min(7, { message: "households.errors.noSalesDays" })
    .max(365, { message: "households.errors.noSalesDays" }),
});
