// The fixed lists of the household files, apart from schema.ts so that pages can show them without downloading zod.

/** The first year of the files (targeted poverty alleviation's registration); no record goes back further. */
export const FIRST_FILE_YEAR = 2014;

/** Age bands follow the stages the monitoring looks at: pre-school, compulsory schooling, working age, old age. */
export const AGE_BANDS = ["0-5", "6-15", "16-59", "60-79", "80+"] as const;
export const INCOME_SOURCES = ["wages", "pension", "subsidy", "land_transfer", "business", "other"] as const;
export const RISK_FLAG_KINDS = ["illness", "schooling", "disaster", "disability", "other"] as const;

/** One A4 sheet holds eight cards; one issue covers at most a village's worth of households. */
export const CARDS_PER_SHEET = 8;
export const MAX_CARDS_PER_ISSUE = 600;
