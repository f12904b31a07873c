// The HTML constraints (required, pattern) of the forms that show them, written out instead of computed in the
// browser with getZodConstraint, which would make every such page download zod (lazy-validation.ts).
// tests/unit/form-constraints.test.ts checks that each equals what getZodConstraint derives from the form's schema.
import { AGE_BANDS, INCOME_SOURCES, RISK_FLAG_KINDS } from "~/domain/households/kinds";

type Constraints = Record<string, { required?: boolean; pattern?: string }>;

function fields(required: string[], optional: string[] = [], patterns: Record<string, readonly string[]> = {}): Constraints {
  const constraints: Constraints = {};
  for (const name of required) constraints[name] = { required: true };
  for (const name of optional) constraints[name] = { required: false };
  for (const [name, options] of Object.entries(patterns)) {
    constraints[name] = {
      ...constraints[name],
      pattern: options.map((option) => option.replace(/[|\\{}()[\]^$+*?.]/g, "\\$&").replace(/-/g, "\\x2d")).join("|"),
    };
  }
  return constraints;
}

export const SIGN_IN_CONSTRAINT = fields(["login", "password"], ["redirectTo"]);
export const REGISTER_CONSTRAINT = fields(["name", "login", "password", "unitId"], ["redirectTo"]);
export const HOUSEHOLD_CONSTRAINT = fields(
  ["code", "headName", "memberCount", "villageGroup", "status", "pensionCovered", "medicalCovered", "consentToDisplay"],
  ["exitYear", "headIdNumber", "phone", "address", "displayName", "story", "notes"],
  { status: ["registered_poor", "low_income", "other"] },
);
export const MEMBER_CONSTRAINT = fields(["name", "relation", "ageBand"], ["health", "disability", "schooling", "employment", "idNumber"], {
  ageBand: AGE_BANDS,
});
export const INCOME_CONSTRAINT = fields(["year", "source", "amount"], ["note"], { source: INCOME_SOURCES });
export const RISK_FLAG_CONSTRAINT = fields(["kind", "note"], [], { kind: RISK_FLAG_KINDS });
export const ACKNOWLEDGE_CONSTRAINT = fields(["alertId", "note"]);
export const NEW_UNIT_CONSTRAINT = fields(["intent", "code", "name", "nameEn"]);
export const COOPERATIVE_FEES_CONSTRAINT = fields(["cooperativeId", "deliveryFee", "defaultFeeRate"]);
export const ACTIVATION_CONSTRAINT = fields(["phone", "code", "password"]);
export const MONITORING_SETTINGS_CONSTRAINT = fields(["threshold", "dropShare", "noSalesDays"], ["villageId"]);
