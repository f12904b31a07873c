// What a refused write means, whether Prisma wrote it (its own error codes, or P2010 carrying PostgreSQL's SQLSTATE
// from the driver adapter for raw SQL) or a statement sent on the pool did (pg's DatabaseError).
import pg from "pg";
import { Prisma } from "./client.server";

/** PostgreSQL's SQLSTATE for the statement that failed, when PostgreSQL refused it. */
export function sqlState(error: unknown): string | undefined {
  if (error instanceof pg.DatabaseError) return error.code;
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return undefined;
  return (error.meta as { driverAdapterError?: { cause?: { originalCode?: string } } } | undefined)?.driverAdapterError?.cause
    ?.originalCode;
}

/** A unique index refused the write (a resubmission or a concurrent twin got there first). */
export function isUniqueViolation(error: unknown) {
  return (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") || sqlState(error) === "23505";
}

/** A CHECK constraint refused the write. */
export function isCheckViolation(error: unknown) {
  return sqlState(error) === "23514";
}

/** PostgreSQL broke a deadlock by refusing this statement; on its own, tried again, it can succeed. */
export function isDeadlock(error: unknown) {
  return sqlState(error) === "40P01";
}
