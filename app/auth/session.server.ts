import { createCookieSessionStorage, redirect } from "@remix-run/node";
import { config } from "~/config.server";
import { db } from "~/db/client.server";
import { markPersonal } from "~/utils/logger.server";

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const SESSION_KEY = "sessionId";
export const SESSION_COOKIE = "__session";

type SessionData = { sessionId: string };
type Storage = ReturnType<typeof createCookieSessionStorage<SessionData>>;
let storage: Storage | undefined;

/**
 * The cookie holds only a database session id, never the user id, so signing out (or an admin) can revoke it.
 * Secure everywhere in production except the local demo on http://localhost, which browsers treat as secure anyway.
 */
function sessionStorage(): Storage {
  const { isProduction, appUrl, sessionSecret } = config();
  storage ??= createCookieSessionStorage<SessionData>({
    cookie: {
      name: SESSION_COOKIE,
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secrets: [sessionSecret],
      secure: isProduction && !appUrl.startsWith("http://localhost"),
      maxAge: SESSION_TTL_MS / 1000,
    },
  });
  return storage;
}

export async function getSessionId(request: Request): Promise<string | undefined> {
  const session = await sessionStorage().getSession(request.headers.get("Cookie"));
  const id = session.get(SESSION_KEY);
  if (typeof id !== "string") return undefined;
  markPersonal();
  return id;
}

export async function createUserSession(userId: string, redirectTo: string) {
  const record = await db.session.create({ data: { userId, expiresAt: new Date(Date.now() + SESSION_TTL_MS) } });
  const session = await sessionStorage().getSession();
  session.set(SESSION_KEY, record.id);
  return redirect(redirectTo, { headers: { "Set-Cookie": await sessionStorage().commitSession(session) } });
}

export async function destroyUserSession(request: Request, redirectTo = "/") {
  const session = await sessionStorage().getSession(request.headers.get("Cookie"));
  const id = session.get(SESSION_KEY);
  if (typeof id === "string") await db.session.deleteMany({ where: { id } });
  return redirect(redirectTo, { headers: { "Set-Cookie": await sessionStorage().destroySession(session) } });
}
