// The work team's GET forms (a report's period, the dashboard's year and order, the printed file's year), shared by
// the browser (conform validates before the URL changes) and the loaders. Messages are message keys. No server imports.
import { z } from "zod";
import { isCalendarDate } from "~/utils/dates";
import { FIRST_FILE_YEAR, yearSince } from "./schema";

export const MAX_PERIOD_YEARS = 5;

/** The last year a report may reach: far enough for any plan, near enough that every bound is a valid timestamp. */
export const LAST_REPORT_YEAR = 2099;

const shopDate = z
  .string({ error: "reports.errors.date" })
  .refine(isCalendarDate, { message: "reports.errors.date", abort: true })
  .refine((date) => date >= `${FIRST_FILE_YEAR}-01-01` && date <= `${LAST_REPORT_YEAR}-12-31`, {
    message: "reports.errors.range",
    abort: true,
  });

const periodFields = { from: shopDate, to: shopDate };

/** from ≤ to, shorter than MAX_PERIOD_YEARS years. */
function checkPeriod(period: { from: string; to: string }, ctx: z.RefinementCtx) {
  if (period.from > period.to) ctx.addIssue({ code: "custom", path: ["to"], message: "reports.errors.order" });
  else if (period.to >= `${Number(period.from.slice(0, 4)) + MAX_PERIOD_YEARS}${period.from.slice(4)}`)
    ctx.addIssue({ code: "custom", path: ["to"], message: "reports.errors.tooLong" });
}

/** A report period: inclusive calendar dates (YYYY-MM-DD) in the shop's time zone. */
export const PeriodSchema = z.object(periodFields).superRefine(checkPeriod);

/** A report download: its period and its format. */
export const ExportQuerySchema = z
  .object({ ...periodFields, format: z.enum(["csv", "xlsx"], { error: "reports.errors.format" }).default("csv") })
  .superRefine(checkPeriod);

export type Period = z.infer<typeof PeriodSchema>;

const reportYear = yearSince(FIRST_FILE_YEAR, "reports.errors.year");

export const DashboardQuerySchema = z.object({
  year: reportYear.optional(),
  sort: z.enum(["amount", "code"], { error: "reports.errors.sort" }).default("amount"),
  all: z.literal("1", { error: "reports.errors.all" }).optional(),
});

export const PrintQuerySchema = z.object({ year: reportYear.optional() });
