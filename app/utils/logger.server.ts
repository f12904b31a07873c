// One structured (JSON) logger for the server, the jobs and the scripts, and the context of the request or job a
// line belongs to. The server entry and the Remix build are separate module graphs, so both the logger and the
// context store live on globalThis: a line written deep inside a loader still carries its request's id.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import pino, { type Logger } from "pino";

export type LogContext = { requestId: string; route?: string; job?: string };

type Shared = { logger?: Logger; context: AsyncLocalStorage<LogContext> };
const shared = ((globalThis as { __anshangLog?: Shared }).__anshangLog ??= { context: new AsyncLocalStorage<LogContext>() });

function defaultLevel() {
  if (process.env.LOG_LEVEL) return process.env.LOG_LEVEL;
  return process.env.NODE_ENV === "test" ? "warn" : "info";
}

/** The process's logger; every line carries the current request's (or job's) id when there is one. */
export function logger(): Logger {
  shared.logger ??= pino({
    level: defaultLevel(),
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => {
      const context = shared.context.getStore();
      return context ? { ...context } : {};
    },
  });
  return shared.logger;
}

export function logContext(): LogContext | undefined {
  return shared.context.getStore();
}

export function withLogContext<T>(context: LogContext, run: () => T): T {
  return shared.context.run(context, run);
}

/** Names the Remix route serving the current request, once the router has picked it. */
export function setLogRoute(route: string) {
  const context = shared.context.getStore();
  if (context && !context.route) context.route = route;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** A load balancer's X-Request-Id when it looks like one, else a new one (16 hex digits). */
export function requestIdFrom(header: string | undefined) {
  return header && REQUEST_ID.test(header) ? header : randomBytes(8).toString("hex");
}
