// The household file form, shared by the browser (live validation) and the server. Messages are i18n keys.
import { z } from "zod";
import { normalizeIdNumber } from "./id-numbers";

const optionalText = (max: number) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.string().trim().max(max).optional());
const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());

export const HouseholdSchema = z
  .object({
    code: z.string({ message: "errors.required" }).trim().regex(/^[A-Z]{1,4}-\d{1,5}$/, { message: "households.errors.code" }),
    headName: z.string({ message: "errors.required" }).trim().min(1, { message: "errors.required" }).max(20),
    memberCount: z.coerce.number({ message: "households.errors.memberCount" }).int({ message: "households.errors.memberCount" }).min(1, { message: "households.errors.memberCount" }).max(20, { message: "households.errors.memberCount" }),
    villageGroup: z.string({ message: "errors.required" }).trim().min(1, { message: "errors.required" }).max(20),
    status: z.enum(["registered_poor", "low_income", "other"], { message: "errors.required" }),
    exitYear: z.preprocess(
      (v) => (v === "" || v === undefined ? undefined : v),
      z.coerce.number({ message: "households.errors.exitYear" }).int({ message: "households.errors.exitYear" }).min(2014, { message: "households.errors.exitYear" }).max(new Date().getFullYear(), { message: "households.errors.exitYear" }).optional(),
    ),
    headIdNumber: optionalText(30).refine((v) => v === undefined || normalizeIdNumber(v) !== null, { message: "households.errors.idNumber" }),
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
    if (value.consentToDisplay && !value.displayName) ctx.addIssue({ code: "custom", path: ["displayName"], message: "households.errors.displayNameRequired" });
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
