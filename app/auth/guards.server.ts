// The one guard family. Every loader and action starts with one of these (tests/unit/route-guards.test.ts
// checks it), so a new route is closed until it says who may use it.
import { redirect } from "@remix-run/node";
import { db } from "~/db/client.server";
import type { Role } from "~/db/generated/client";
import { forbidden } from "~/utils/responses.server";
import { getSessionId } from "./session.server";

export type SessionUser = NonNullable<Awaited<ReturnType<typeof findSessionUser>>>;

async function findSessionUser(sessionId: string) {
  const session = await db.session.findUnique({
    where: { id: sessionId },
    select: {
      expiresAt: true,
      user: {
        select: {
          id: true,
          name: true,
          phone: true,
          email: true,
          unitId: true,
          villageId: true,
          unit: { select: { id: true, name: true, nameEn: true } },
          roles: { select: { role: true } },
        },
      },
    },
  });
  if (!session || session.expiresAt < new Date()) return null;
  const { roles, ...user } = session.user;
  return { ...user, roles: roles.map((r) => r.role) };
}

/** The signed-in user, or null. For pages anyone may see that show more to signed-in users. */
export async function getOptionalUser(request: Request): Promise<SessionUser | null> {
  const sessionId = await getSessionId(request);
  return sessionId ? findSessionUser(sessionId) : null;
}

/** Marks a loader or action as open to everyone; it exists so that an open route says so on purpose. */
export function allowAnonymous(_request: Request) {}

export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getOptionalUser(request);
  if (!user) {
    const url = new URL(request.url);
    const redirectTo = `${url.pathname}${url.search}`;
    throw redirect(`/login?${new URLSearchParams({ redirectTo })}`);
  }
  return user;
}

/** Sends signed-in users away from pages like sign-in and registration. */
export async function requireAnonymous(request: Request) {
  if (await getOptionalUser(request)) throw redirect("/");
}

export function hasRole(user: Pick<SessionUser, "roles">, ...roles: Role[]) {
  return roles.some((role) => user.roles.includes(role));
}

/** The signed-in user if they hold any of `roles`; 403 otherwise (and a sign-in redirect when signed out). */
export async function requireRole(request: Request, ...roles: [Role, ...Role[]]): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!hasRole(user, ...roles)) forbidden();
  return user;
}

/** The landing page for a user: the console of their most specific role. */
export function homePathFor(user: Pick<SessionUser, "roles">) {
  if (hasRole(user, "admin")) return "/admin";
  if (hasRole(user, "team")) return "/team";
  if (hasRole(user, "bureau")) return "/bureau";
  if (hasRole(user, "coop")) return "/coop";
  if (hasRole(user, "organizer")) return "/organizer";
  return "/";
}
