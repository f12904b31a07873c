// "The database is away" as opposed to "this query is wrong": refused or dropped connections, a connect timeout, a
// full connection queue, the server shutting down, the embedded PGlite aborted. Such a request is answered 503 with
// Retry-After on every route (issue 17): nothing about it is the visitor's fault, and trying again later will work.
import { DatabaseBusyError } from "./client.server";

/** How long a client is asked to wait before trying again. */
export const RETRY_AFTER_SECONDS = 30;

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
// Prisma's connection errors, and PostgreSQL's "admin shutdown", "cannot connect now", "too many connections".
const DATABASE_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "57P01", "57P02", "57P03", "53300"]);
const MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|connection (?:is )?(?:closed|refused)|Can't reach database server|DatabaseNotReachable|ConnectionClosed|Aborted\(\)/i;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 6) return false;
  if (error instanceof DatabaseBusyError) return true;
  const { code, message, cause, meta } = error as { code?: unknown; message?: unknown; cause?: unknown; meta?: unknown };
  if (typeof code === "string" && (NETWORK_CODES.has(code) || DATABASE_CODES.has(code))) return true;
  if (typeof message === "string" && MESSAGES.test(message)) return true;
  return isDatabaseUnavailable(cause, depth + 1) || isDatabaseUnavailable(meta, depth + 1) || hasDriverError(meta, depth);
}

function hasDriverError(meta: unknown, depth: number) {
  const driver = (meta as { driverAdapterError?: unknown } | undefined)?.driverAdapterError;
  return driver !== undefined && isDatabaseUnavailable(driver, depth + 1);
}

export function databaseUnavailableResponse() {
  return new Response("The database is unavailable", {
    status: 503,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": String(RETRY_AFTER_SECONDS) },
  });
}
