// One response-headers rule (issue 17): an answer to a request whose session or cart cookie was read depends on who
// asked, so no shared cache may keep it and no browser should store it: `Cache-Control: private, no-store`, whatever
// the route said. Anonymous requests keep the route's own headers (the catalog's brief public caching). And a 503
// (the database away) and a 429 (a rate limit) always carry Retry-After.
import type { NextFunction, Request, Response } from "express";
import { RETRY_AFTER_SECONDS } from "~/db/unavailable.server";
import type { LogContext } from "./logger.server";

export const PRIVATE_NO_STORE = "private, no-store";

/** A route that already keeps its answer private and revalidated (the poster's ETag) keeps its own header. */
function alreadyPrivate(value: unknown) {
  const text = String(value ?? "");
  return /\bprivate\b/.test(text) && /\bno-(store|cache)\b/.test(text);
}

export function personalAnswersPrivate(_req: Request, res: Response, next: NextFunction) {
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: Parameters<Response["writeHead"]>) {
    const context = res.locals.log as LogContext | undefined;
    if (context?.personal && !alreadyPrivate(res.getHeader("Cache-Control"))) res.setHeader("Cache-Control", PRIVATE_NO_STORE);
    // A document's error page drops the thrown response's headers; a 503 always says when to come back.
    const status = typeof args[0] === "number" ? args[0] : res.statusCode;
    if (status === 429 && context?.retryAfterSeconds && !res.getHeader("Retry-After"))
      res.setHeader("Retry-After", String(context.retryAfterSeconds));
    if (status === 503 && !res.getHeader("Retry-After")) res.setHeader("Retry-After", String(RETRY_AFTER_SECONDS));
    return writeHead.apply(this, args);
  } as Response["writeHead"];
  next();
}
