// Issue 17, point 4, over every route: with the database unreachable, each route's loader (GET) and action (a form
// POST), wrapped as the server wraps its build (withDomainErrorResponses), answers 503 with Retry-After when it needed
// the database, and never a 500. Signed in as the role the route is for; the session's cookie is checked by signature,
// so the look-up of its user is what first meets the missing database. The browser journey in
// tests/e2e/database-outage.e2e.ts stops and restarts a real database server in front of a running shop.
import { readdirSync } from "node:fs";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureDatabase, disconnectDatabase } from "~/db/client.server";
import { RETRY_AFTER_SECONDS } from "~/db/unavailable.server";
import { withDomainErrorResponses } from "~/utils/domain-responses.server";
import { signedIn } from "../route-helpers";

type Handler = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;
type RouteModule = { loader?: Handler; action?: Handler };

const routeModules = import.meta.glob<RouteModule>("../../../app/routes/*.tsx");
const routes = readdirSync("app/routes")
  .filter((file) => file.endsWith(".tsx"))
  .map((file) => file.replace(/\.tsx$/, ""));

/** A path for the route with every parameter filled in (the values need not exist: the database is away). */
function pathOf(route: string) {
  const segments = route
    .replace("[.]", "\u0000")
    .split(".")
    .map((segment) => segment.replace("\u0000", "."))
    .filter((segment) => segment !== "_index")
    .map((segment) => (segment.startsWith("$") ? "x1" : segment.replace(/_$/, "")));
  return `/${segments.join("/")}`;
}

const paramsOf = (route: string) =>
  Object.fromEntries(
    [...route.matchAll(/\$([A-Za-z]+)/g)].map((match) => [match[1]!, "x1"]).concat(route.startsWith("$") ? [["*", "x1"]] : []),
  );

const cookies: Record<string, string> = {};
const liveDatabase = () => (globalThis as { __anshangDb?: unknown }).__anshangDb;
let saved: unknown;

beforeAll(async () => {
  const roles = ["employee", "coop", "team", "organizer", "admin", "bureau"] as const;
  for (const role of roles) cookies[role] = (await signedIn([role], null)).cookie;
  saved = liveDatabase();
  // Nothing listens on port 9 (discard): every connection is refused at once.
  configureDatabase("postgresql://postgres@127.0.0.1:9/gone", { connectTimeoutMs: 2_000 });
});

afterAll(async () => {
  await disconnectDatabase();
  (globalThis as { __anshangDb?: unknown }).__anshangDb = saved;
});

function cookieFor(route: string) {
  const console = route.split(".")[0]!;
  return cookies[console in cookies ? console : "employee"]!;
}

async function statusOf(run: () => Promise<unknown>) {
  try {
    const result = await run();
    return { status: result instanceof Response ? result.status : 200, retryAfter: null };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, retryAfter: thrown.headers.get("Retry-After") };
    const status = (thrown as { init?: { status?: number } }).init?.status;
    return { status: status ?? `threw ${String(thrown)}`, retryAfter: null };
  }
}

describe("with the database unreachable", () => {
  it("every loader and action answers 503 with Retry-After where it needed the database, and none answers 500", async () => {
    const modules: ServerBuild["routes"] = {};
    for (const route of routes) {
      const module = await routeModules[`../../../app/routes/${route}.tsx`]!();
      modules[route] = { id: route, path: pathOf(route), module: module as never };
    }
    const build = withDomainErrorResponses({ routes: modules } as ServerBuild);
    const answers: string[] = [];
    let unavailable = 0;
    for (const route of routes) {
      const { loader, action } = build.routes[route]!.module as RouteModule;
      const url = `http://localhost${pathOf(route)}`;
      const headers = { Cookie: cookieFor(route), Origin: "http://localhost" };
      const calls: [string, Handler | undefined, () => Request][] = [
        ["GET", loader, () => new Request(url, { headers })],
        [
          "POST",
          action,
          () =>
            new Request(url, {
              method: "POST",
              headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
              body: new URLSearchParams({ intent: "add", skuId: "x1", quantity: "1" }),
            }),
        ],
      ];
      for (const [method, handler, request] of calls) {
        if (!handler) continue;
        const { status, retryAfter } = await statusOf(() => handler({ request: request(), params: paramsOf(route), context: {} }));
        if (status === 503) {
          unavailable++;
          if (retryAfter !== String(RETRY_AFTER_SECONDS)) answers.push(`${method} ${route}: 503 without Retry-After`);
        } else if (typeof status !== "number" || status >= 500) answers.push(`${method} ${route}: ${status}`);
      }
    }
    expect(answers.join("\n")).toBe("");
    // Nearly every route reads the session first; those that need no database (sign-out, the language, static
    // answers) answer as usual.
    expect(unavailable).toBeGreaterThan(90);
  });
});
