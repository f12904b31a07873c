// The one guard family. Every loader and action starts with one of these (tests/unit/route-guards.test.ts
// checks it), so a new route is closed until it says who may use it.
import { redirect } from "@remix-run/node";
import { poolQuery } from "~/db/client.server";
import type { Role } from "~/db/generated/client";
import { forbidden } from "~/utils/responses.server";
import { getSessionId } from "./session.server";

export type SessionUser = {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  unitId: string | null;
  villageId: string | null;
  unit: { id: string; name: string; nameEn: string } | null;
  roles: Role[];
  /** Units in the user's cart when the request began (every page's header shows it). */
  cartCount: number;
};

type SessionUserRow = Omit<SessionUser, "unit"> & { expiresAt: Date; unitName: string | null; unitNameEn: string | null };

/**
 * Every page asks for the signed-in user, so this is one statement straight on the pool rather than a Prisma query
 * with three relation joins (docs/decisions/0012-speed-closing-rush.md); it also counts the cart the header shows, a
 * round trip fewer per page (docs/decisions/0019-page-cpu.md), finding its lines by the cart's id
 * (docs/decisions/0025-cart-lines-by-cart-id.md). Prepared once per connection on PostgreSQL (decision 27). Exported
 * for the test of what it reads.
 */
export const SESSION_USER_SQL = `
  SELECT s."expiresAt" AT TIME ZONE 'UTC' AS "expiresAt", u."id", u."name", u."phone", u."email", u."unitId", u."villageId",
         un."name" AS "unitName", un."nameEn" AS "unitNameEn",
         ARRAY(SELECT r."role"::text FROM "UserRole" r WHERE r."userId" = u."id" ORDER BY r."role") AS "roles",
         (SELECT COALESCE(SUM(ci."quantity"), 0)::int FROM "CartItem" ci
          WHERE ci."cartId" = (SELECT c."id" FROM "Cart" c WHERE c."userId" = u."id")) AS "cartCount"
  FROM "Session" s
  JOIN "User" u ON u."id" = s."userId"
  LEFT JOIN "Unit" un ON un."id" = u."unitId"
  WHERE s."id" = $1`;

async function findSessionUser(sessionId: string): Promise<SessionUser | null> {
  const { rows } = await poolQuery<SessionUserRow>(SESSION_USER_SQL, [sessionId]);
  const row = rows[0];
  if (!row || row.expiresAt < new Date()) return null;
  const { expiresAt: _expiresAt, unitName, unitNameEn, ...user } = row;
  return {
    ...user,
    unit: user.unitId && unitName !== null && unitNameEn !== null ? { id: user.unitId, name: unitName, nameEn: unitNameEn } : null,
  };
}

// The root loader and the page's loader get the same Request: the cookie is verified and the session read once.
// An action and the loaders after it get different Requests, so a sign-in or sign-out is seen at once. Kept on
// globalThis because the server entry's copy of this module (a separate module graph from the Remix build) reads the
// user before Remix does, for the signed-in page cache.
const usersByRequest = ((
  globalThis as { __anshangUsersByRequest?: WeakMap<Request, Promise<SessionUser | null>> }
).__anshangUsersByRequest ??= new WeakMap());

/** The signed-in user, or null. For pages anyone may see that show more to signed-in users. */
export function getOptionalUser(request: Request): Promise<SessionUser | null> {
  let user = usersByRequest.get(request);
  if (!user) {
    user = getSessionId(request).then((sessionId) => (sessionId ? findSessionUser(sessionId) : null));
    usersByRequest.set(request, user);
  }
  return user;
}

/**
 * Makes `user` the signed-in user that every loader serving `request` gets: the signed-in page cache renders a page
 * once for stand-in values this way (app/utils/signed-in-page-cache.server.ts).
 */
export function presetUser(request: Request, user: SessionUser) {
  usersByRequest.set(request, Promise.resolve(user));
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
