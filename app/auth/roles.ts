/** The roles an account can hold; apart from schemas.ts so that the admin's page lists them without downloading zod. */
export const ROLES = ["employee", "organizer", "coop", "team", "admin"] as const;
