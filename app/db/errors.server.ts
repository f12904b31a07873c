// What a refused write means, whether Prisma wrote it (its own error codes) or raw SQL did (P2010, carrying
// PostgreSQL's SQLSTATE from the driver adapter).
import { Prisma } from "./client.server";

function sqlState(error: Prisma.PrismaClientKnownRequestError) {
  return (error.meta as { driverAdapterError?: { cause?: { originalCode?: string } } } | undefined)?.driverAdapterError?.cause
    ?.originalCode;
}

/** A unique index refused the write (a resubmission or a concurrent twin got there first). */
export function isUniqueViolation(error: unknown) {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  return error.code === "P2002" || sqlState(error) === "23505";
}

/** A CHECK constraint refused the write. */
export function isCheckViolation(error: unknown) {
  return error instanceof Prisma.PrismaClientKnownRequestError && sqlState(error) === "23514";
}
