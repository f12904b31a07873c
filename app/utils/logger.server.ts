// One structured (JSON) logger for the server, the jobs and the scripts, and the context of the request or job a
// line belongs to. The server entry and the Remix build are separate module graphs, so both the logger and the
// context store live on globalThis: a line written deep inside a loader still carries its request's id.
import { AsyncLocalStorage } from "node:async_hooks";
import { pooledRandomBytes } from "~/utils/random.server";
import pino, { type Logger } from "pino";

export type LogContext = {
  /** The request's id; a line written for several requests at once (withRequestsLogContext) carries each of theirs. */
  requestId: string;
  route?: string;
  routeDepth?: number;
  job?: string;
  /** The request carried a session or a cart cookie and something read it: its answer is personal. */
  personal?: boolean;
  /** A 429's Retry-After, for the page that shows it. */
  retryAfterSeconds?: number;
};

type Shared = { logger?: Logger; context: AsyncLocalStorage<LogContext> };
const shared = ((globalThis as { __anshangLog?: Shared }).__anshangLog ??= { context: new AsyncLocalStorage<LogContext>() });

function defaultLevel() {
  if (process.env.LOG_LEVEL) return process.env.LOG_LEVEL;
  return process.env.NODE_ENV === "test" ? "warn" : "info";
}

function createLogger(level: string, destination?: pino.DestinationStream) {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: () => {
        const context = shared.context.getStore();
        if (!context) return {};
        const { routeDepth: _, personal: __, retryAfterSeconds: ___, ...fields } = context;
        return fields;
      },
    },
    destination,
  );
}

/** The process's logger; every line carries the current request's (or job's) id when there is one. */
export function logger(): Logger {
  shared.logger ??= createLogger(defaultLevel());
  return shared.logger;
}

/** Sends the log, from `level` up, somewhere else than standard output (tests read what was logged). */
export function useLogDestination(destination: pino.DestinationStream, level = "info") {
  shared.logger = createLogger(level, destination);
}

export function logContext(): LogContext | undefined {
  return shared.context.getStore();
}

/** Notes that the current request's answer depends on who sent it (server.ts then makes it `private, no-store`). */
export function markPersonal() {
  const context = shared.context.getStore();
  if (context) context.personal = true;
}

export function noteRetryAfter(seconds: number) {
  const context = shared.context.getStore();
  if (context) context.retryAfterSeconds = seconds;
}

export function withLogContext<T>(context: LogContext, run: () => T): T {
  return shared.context.run(context, run);
}

/**
 * Runs work done for several requests at once (a batch of placements) in a context of its own: its lines carry each
 * of their ids, comma-separated, and their route or job when they share one. Left in the context it was started
 * from, the work would log under whichever request happened to start it.
 */
export function withRequestsLogContext<T>(contexts: (LogContext | undefined)[], run: () => T): T {
  const present = contexts.filter((context) => context !== undefined);
  if (present.length === 0) return shared.context.exit(run);
  const common = (field: "route" | "job") => {
    const values = new Set(present.map((context) => context[field]));
    const [only] = values;
    return values.size === 1 && only !== undefined ? { [field]: only } : {};
  };
  const requestId = [...new Set(present.map((context) => context.requestId))].join(",");
  return shared.context.run({ requestId, ...common("route"), ...common("job") }, run);
}

/** Names the Remix route serving the current request: of the routes whose loaders run, the deepest (the page). */
function noteRoute(route: string, depth: number) {
  const context = shared.context.getStore();
  if (context && depth >= (context.routeDepth ?? -1)) Object.assign(context, { route, routeDepth: depth });
}

type Build = { routes: Record<string, { parentId?: string; module: { loader?: unknown; action?: unknown } }> };

/** Wraps every loader and action of the server build so that the request's logs and metrics name its route. */
export function namingRoutes<B extends Build>(build: B): B {
  const depth = (id: string): number => {
    const parent = build.routes[id]?.parentId;
    return parent ? depth(parent) + 1 : 0;
  };
  const routes: Build["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    const wrap = (handler: unknown) =>
      typeof handler === "function"
        ? (...args: unknown[]) => {
            noteRoute(id, depth(id));
            return (handler as (...a: unknown[]) => unknown)(...args);
          }
        : handler;
    const module = { ...route.module, loader: wrap(route.module.loader), action: wrap(route.module.action) };
    if (!route.module.loader) delete module.loader;
    if (!route.module.action) delete module.action;
    routes[id] = { ...route, module };
  }
  return { ...build, routes };
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** A load balancer's X-Request-Id when it looks like one, else a new one (16 hex digits). */
export function requestIdFrom(header: string | undefined) {
  return header && REQUEST_ID.test(header) ? header : pooledRandomBytes(8).toString("hex");
}
