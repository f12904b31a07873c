// Calling loaders and actions as Remix would, as a given user: a cookie for a fresh user with some roles, a GET or
// form POST request, and one reading of whatever comes back (redirect, thrown response, `data()` or plain object).
import { createUserSession } from "~/auth/session.server";
import { loadConfig, type AppConfig } from "~/config.server";
import { db } from "~/db/client.server";
import type { Role } from "~/db/generated/client";
import { isDomainError } from "~/domain/errors";
import { responseForDomainError } from "~/utils/domain-responses.server";

export async function signedIn(roles: Role[], villageId: string | null, unitId: string | null = null) {
  const user = await db.user.create({
    data: {
      name: "测试",
      email: `${roles.join("-")}-${Math.random()}@t.example`,
      passwordHash: "x",
      villageId,
      unitId,
      roles: { create: roles.map((role) => ({ role })) },
    },
  });
  const response = await createUserSession(user.id, "/");
  return { user, cookie: response.headers.get("Set-Cookie")!.split(";")[0]! };
}

export function routeRequest(path: string, cookie: string, form?: Record<string, string>) {
  return new Request(`http://localhost${path}`, {
    method: form ? "POST" : "GET",
    headers: { Cookie: cookie, ...(form ? { "Content-Type": "application/x-www-form-urlencoded" } : {}) },
    body: form ? new URLSearchParams(form) : undefined,
  });
}

export async function outcome(run: () => Promise<unknown>): Promise<{ status: number; location?: string | null; data?: unknown }> {
  try {
    const result = await run();
    if (result instanceof Response) return { status: result.status, location: result.headers.get("Location") };
    const data = result as { init?: { status?: number } | null; data?: unknown } | null;
    return {
      status: data && typeof data === "object" && "init" in data ? (data.init?.status ?? 200) : 200,
      data: data && typeof data === "object" && "data" in data ? data.data : result,
    };
  } catch (caught) {
    // The server build answers a DomainError that leaves a loader or action this way (withDomainErrorResponses).
    const thrown = isDomainError(caught) ? responseForDomainError(caught) : caught;
    if (thrown instanceof Response) return { status: thrown.status, location: thrown.headers.get("Location") };
    throw thrown;
  }
}

/** Runs `run` with the rate limits on (they are off by default under NODE_ENV=test), `env` adding RATE_LIMIT_* values. */
export async function withRateLimits<T>(run: () => Promise<T>, env: Record<string, string> = {}): Promise<T> {
  const shared = globalThis as unknown as { __anshangConfig?: AppConfig };
  const saved = shared.__anshangConfig;
  shared.__anshangConfig = loadConfig({ ...process.env, RATE_LIMITS: "on", ...env });
  try {
    return await run();
  } finally {
    shared.__anshangConfig = saved;
  }
}
