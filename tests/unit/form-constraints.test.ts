import { getZodConstraint } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import { RegisterSchema, SignInSchema } from "~/auth/schemas";
import { CooperativeFeesSchema, NewUnitSchema } from "~/domain/accounts/admin-schemas";
import { ActivationSchema } from "~/domain/accounts/roster-schemas";
import {
  AcknowledgeSchema,
  HouseholdSchema,
  IncomeSchema,
  MemberSchema,
  MonitoringSettingsSchema,
  RiskFlagSchema,
} from "~/domain/households/schema";
import * as written from "~/utils/form-constraints";

// The pages write their forms' constraints out so that they need not download zod; these must not drift from the schemas.
describe("form constraints written out for the browser", () => {
  it.each([
    ["SIGN_IN_CONSTRAINT", SignInSchema],
    ["REGISTER_CONSTRAINT", RegisterSchema],
    ["HOUSEHOLD_CONSTRAINT", HouseholdSchema],
    ["MEMBER_CONSTRAINT", MemberSchema],
    ["INCOME_CONSTRAINT", IncomeSchema],
    ["RISK_FLAG_CONSTRAINT", RiskFlagSchema],
    ["ACKNOWLEDGE_CONSTRAINT", AcknowledgeSchema],
    ["MONITORING_SETTINGS_CONSTRAINT", MonitoringSettingsSchema],
    ["NEW_UNIT_CONSTRAINT", NewUnitSchema],
    ["COOPERATIVE_FEES_CONSTRAINT", CooperativeFeesSchema],
    ["ACTIVATION_CONSTRAINT", ActivationSchema],
  ] as const)("%s equals getZodConstraint of its schema", (name, schema) => {
    expect(written[name]).toEqual(getZodConstraint(schema));
  });
});
