// One response-headers rule (issue 17): an answer to a request whose session or cart cookie was read depends on who
// asked, so no shared cache may keep it and no browser should store it: `Cache-Control: private, no-store`, whatever
// the route said. Anonymous requests keep the route's own headers (the catalog's brief public caching).
import type { NextFunction, Request, Response } from "express";
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
    return writeHead.apply(this, args);
  } as Response["writeHead"];
  next();
}
