// Calling the cart and product routes the way Remix does: a Request in, a Response (redirect) or single-fetch
// `data()` out, with the session and cart cookies carried between calls like a browser would.
import { randomUUID } from "node:crypto";
import { createUserSession } from "~/auth/session.server";
import { db } from "~/db/client.server";
import { isDomainError } from "~/domain/errors";
import { responseForDomainError } from "~/utils/domain-responses.server";

type Handler = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;

type DataResult = { type: "DataWithResponseInit"; data: unknown; init: { status?: number; headers?: HeadersInit } | null };

export type RouteResult = {
  status: number;
  headers: Headers;
  data?: unknown;
  errors: Record<string, string[] | null>;
};

/** Runs a loader or action and reads redirects, thrown responses, `data()` and plain objects alike. */
export async function run(handler: Handler, request: Request, params: Record<string, string> = {}): Promise<RouteResult> {
  try {
    const result = await handler({ request, params, context: {} });
    if (result instanceof Response) return { status: result.status, headers: result.headers, errors: {} };
    if (result && typeof result === "object" && (result as DataResult).type === "DataWithResponseInit") {
      const { data, init } = result as DataResult;
      const body = data as { result?: { error?: Record<string, string[] | null> } };
      return { status: init?.status ?? 200, headers: new Headers(init?.headers), data, errors: body.result?.error ?? {} };
    }
    return { status: 200, headers: new Headers(), data: result, errors: {} };
  } catch (caught) {
    // The server build answers a DomainError that leaves a loader or action this way (withDomainErrorResponses).
    const thrown = isDomainError(caught) ? responseForDomainError(caught) : caught;
    if (thrown instanceof Response) return { status: thrown.status, headers: thrown.headers, errors: {} };
    throw thrown;
  }
}

export function get(path: string, cookie = "") {
  return new Request(`http://localhost${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

export function post(path: string, fields: Record<string, string | number>, cookie = "") {
  const body = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)]));
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (cookie) headers.Cookie = cookie;
  return new Request(`http://localhost${path}`, { method: "POST", body, headers });
}

/** The `name=value` part of a Set-Cookie header, as a browser would send it back. */
export function cookieFrom(headers: Headers, name: string) {
  const setCookie = headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  return setCookie?.split(";")[0] ?? "";
}

export async function signedInEmployee() {
  const user = await db.user.create({
    data: { name: "职工", email: `${randomUUID()}@test.example`, passwordHash: "x", roles: { create: [{ role: "employee" }] } },
  });
  const response = await createUserSession(user.id, "/");
  return { user, cookie: cookieFrom(response.headers, "__session") };
}
