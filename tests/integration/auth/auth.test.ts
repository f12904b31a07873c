import { beforeEach, describe, expect, it } from "vitest";
import { hashPassword } from "~/auth/password.server";
import { getOptionalUser, requireRole } from "~/auth/guards.server";
import { db } from "~/db/client.server";
import { updateUserAccess } from "~/domain/accounts/users.server";
import { action as loginAction } from "~/routes/login";
import { action as logoutAction } from "~/routes/logout";
import { action as registerAction } from "~/routes/register";
import { truncateAllTables } from "../../setup/reset";

const context = { clientIp: "203.0.113.7" };

function post(path: string, fields: Record<string, string>, cookie?: string) {
  const body = new URLSearchParams(fields);
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (cookie) headers.Cookie = cookie;
  return new Request(`http://localhost${path}`, { method: "POST", body, headers });
}

type ActionData = { data: { result: { error?: Record<string, string[] | null> } }; init: { status: number } | null };

/** Route actions return either a Response (redirects) or single-fetch `data()`; this reads both. */
async function run(handler: typeof loginAction, request: Request) {
  try {
    const result = (await handler({ request, params: {}, context })) as unknown;
    if (result instanceof Response) return { status: result.status, response: result };
    const data = result as ActionData;
    return { status: data.init?.status ?? 200, errors: data.data.result.error ?? {} };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, response: thrown };
    throw thrown;
  }
}

const sessionCookie = (response: Response | undefined) => response?.headers.get("Set-Cookie")?.split(";")[0] ?? "";

let unitId: string;

beforeEach(async () => {
  await truncateAllTables();
  unitId = (await db.unit.create({ data: { code: "HQ", name: "局机关", nameEn: "Headquarters" } })).id;
});

describe("registration", () => {
  it("creates an employee of the chosen unit and sends them to sign in with the password they chose", async () => {
    const result = await run(registerAction, post("/register", { name: "张三", login: "139 0000 0000", password: "long-enough", unitId }));
    expect(result.status).toBe(302);
    expect(result.response?.headers.get("Location")).toBe("/login?registered=1");
    const user = await db.user.findUniqueOrThrow({ where: { phone: "13900000000" }, include: { roles: true } });
    expect(user.unitId).toBe(unitId);
    expect(user.roles.map((r) => r.role)).toEqual(["employee"]);
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    const signIn = await run(loginAction, post("/login", { login: "13900000000", password: "long-enough" }));
    expect(signIn.status).toBe(302);
  });

  it("answers a taken phone or email exactly as a new one, and changes nothing (no account enumeration)", async () => {
    const fresh = await run(registerAction, post("/register", { name: "张三", login: "a@b.example", password: "long-enough", unitId }));
    const hash = (await db.user.findFirstOrThrow()).passwordHash;
    const again = await run(registerAction, post("/register", { name: "李四", login: "A@B.example", password: "another-one", unitId }));
    expect({
      status: again.status,
      location: again.response?.headers.get("Location"),
      cookie: again.response?.headers.get("Set-Cookie"),
    }).toEqual({
      status: fresh.status,
      location: fresh.response?.headers.get("Location"),
      cookie: fresh.response?.headers.get("Set-Cookie"),
    });
    expect(await db.user.count()).toBe(1);
    expect((await db.user.findFirstOrThrow()).passwordHash).toBe(hash);
    expect(await db.session.count()).toBe(0);
  });

  it("keeps where the buyer was going for after signing in", async () => {
    const result = await run(
      registerAction,
      post("/register", { name: "张三", login: "13900000002", password: "long-enough", unitId, redirectTo: "/checkout" }),
    );
    expect(result.response?.headers.get("Location")).toBe("/login?registered=1&redirectTo=%2Fcheckout");
  });

  it("refuses short and common passwords and the phone number itself, and takes a passphrase", async () => {
    const attempt = (login: string, password: string) => run(registerAction, post("/register", { name: "张三", login, password, unitId }));
    expect((await attempt("13900000003", "12345678")).errors?.password).toEqual(["errors.passwordTooShort", "errors.passwordCommon"]);
    expect((await attempt("13900000003", "abcdefghi")).errors?.password).toEqual(["errors.passwordTooShort"]);
    expect((await attempt("13900000003", "1234567890")).errors?.password).toEqual(["errors.passwordCommon"]);
    expect((await attempt("13900000003", "QwertyUiop")).errors?.password).toEqual(["errors.passwordCommon"]);
    expect((await attempt("13900000003", "139-0000-0003")).errors?.password).toEqual(["errors.passwordIsPhone"]);
    expect((await attempt("13900000003", "x13900000003x")).errors?.password).toEqual(["errors.passwordIsPhone"]);
    expect(await db.user.count()).toBe(0);
    expect((await attempt("13900000003", "red hat cow")).status).toBe(302);
    expect((await attempt("13900000004", "tea-leaf-hill")).status).toBe(302);
    expect(await db.user.count()).toBe(2);
  });

  it("answers malformed and missing fields with 400 and field messages", async () => {
    const result = await run(registerAction, post("/register", { name: "", login: "12345", password: "short" }));
    expect(result.status).toBe(400);
    expect(result.errors).toMatchObject({
      name: ["errors.required"],
      login: ["errors.invalidLogin"],
      password: ["errors.passwordTooShort"],
      unitId: ["errors.unitRequired"],
    });
    expect(await db.user.count()).toBe(0);
  });

  it("refuses a unit that does not exist", async () => {
    const result = await run(
      registerAction,
      post("/register", { name: "张三", login: "13900000001", password: "long-enough", unitId: "nope" }),
    );
    expect(result.status).toBe(422);
    expect(result.errors?.unitId).toEqual(["errors.unknownUnit"]);
    expect(await db.user.count()).toBe(0);
  });
});

describe("sign-in", () => {
  beforeEach(async () => {
    await db.user.create({
      data: {
        name: "王五",
        phone: "13700000000",
        passwordHash: await hashPassword("correct-horse"),
        roles: { create: [{ role: "coop" }] },
      },
    });
  });

  it("sends a user to their role's home with a database-backed session", async () => {
    const result = await run(loginAction, post("/login", { login: "13700000000", password: "correct-horse" }));
    expect(result.status).toBe(302);
    expect(result.response?.headers.get("Location")).toBe("/coop");
    const cookie = result.response?.headers.get("Set-Cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(await db.session.count()).toBe(1);
  });

  it("honours a same-site redirectTo and ignores another site's", async () => {
    const local = await run(loginAction, post("/login", { login: "13700000000", password: "correct-horse", redirectTo: "/account" }));
    expect(local.response?.headers.get("Location")).toBe("/account");
    const foreign = await run(
      loginAction,
      post("/login", { login: "13700000000", password: "correct-horse", redirectTo: "https://evil.example" }),
    );
    expect(foreign.response?.headers.get("Location")).toBe("/coop");
  });

  it("answers a wrong password or unknown login with the same form message", async () => {
    const wrong = await run(loginAction, post("/login", { login: "13700000000", password: "wrong-password" }));
    const unknown = await run(loginAction, post("/login", { login: "13711111111", password: "wrong-password" }));
    for (const result of [wrong, unknown]) {
      expect(result.status).toBe(422);
      expect(result.errors?.[""]).toEqual(["errors.wrongCredentials"]);
    }
    expect(await db.session.count()).toBe(0);
  });

  it("locks a login out after 5 failures in 15 minutes, even with the right password", async () => {
    for (let i = 0; i < 5; i++) await run(loginAction, post("/login", { login: "13700000000", password: `wrong-${i}` }));
    const locked = await run(loginAction, post("/login", { login: "13700000000", password: "correct-horse" }));
    expect(locked.status).toBe(429);
    expect(locked.errors?.[""]).toEqual(["errors.tooManyAttempts"]);
    expect(await db.session.count()).toBe(0);
  });

  it("signs out by deleting the session", async () => {
    const signedIn = await run(loginAction, post("/login", { login: "13700000000", password: "correct-horse" }));
    const cookie = sessionCookie(signedIn.response);
    const signedOut = await run(logoutAction, post("/logout", {}, cookie));
    expect(signedOut.status).toBe(302);
    expect(await db.session.count()).toBe(0);
    await expect(requireRole(new Request("http://localhost/coop", { headers: { Cookie: cookie } }), "coop")).rejects.toMatchObject({
      status: 302,
    });
  });
});

describe("guards", () => {
  async function signedInAs(roles: ("employee" | "admin" | "team")[]) {
    const user = await db.user.create({
      data: {
        name: "测试",
        email: `${roles.join("-")}@test.example`,
        passwordHash: await hashPassword("password-123"),
        roles: { create: roles.map((role) => ({ role })) },
      },
    });
    const result = await run(loginAction, post("/login", { login: user.email!, password: "password-123" }));
    return { user, cookie: sessionCookie(result.response) };
  }

  it("redirects a signed-out visitor to sign in with the way back", async () => {
    const thrown = await requireRole(new Request("http://localhost/team?tab=alerts"), "team").catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).headers.get("Location")).toBe("/login?redirectTo=%2Fteam%3Ftab%3Dalerts");
  });

  it("refuses a user without the role with 403", async () => {
    const { cookie } = await signedInAs(["employee"]);
    const thrown = await requireRole(new Request("http://localhost/admin", { headers: { Cookie: cookie } }), "admin").catch(
      (e: unknown) => e,
    );
    expect((thrown as Response).status).toBe(403);
  });

  it("lets a user with any of the roles through", async () => {
    const { cookie, user } = await signedInAs(["team"]);
    const found = await requireRole(new Request("http://localhost/team", { headers: { Cookie: cookie } }), "team", "admin");
    expect(found.id).toBe(user.id);
  });

  it("reads the session user once per request, with the unit and roles, and not past the session's end", async () => {
    const { cookie, user } = await signedInAs(["team", "employee"]);
    await db.user.update({ where: { id: user.id }, data: { unitId } });
    const request = new Request("http://localhost/", { headers: { Cookie: cookie } });
    const first = getOptionalUser(request);
    expect(getOptionalUser(request)).toBe(first);
    expect(await first).toEqual({
      id: user.id,
      name: "测试",
      phone: null,
      email: user.email,
      unitId,
      villageId: null,
      unit: { id: unitId, name: "局机关", nameEn: "Headquarters" },
      roles: ["employee", "team"],
      cartCount: 0,
    });
    await db.session.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await getOptionalUser(request)).not.toBeNull();
    expect(await getOptionalUser(new Request("http://localhost/", { headers: { Cookie: cookie } }))).toBeNull();
  });

  it("records role and unit changes in the audit log", async () => {
    const { user: admin } = await signedInAs(["admin"]);
    const { user } = await signedInAs(["employee"]);
    await updateUserAccess(admin.id, user.id, { roles: ["employee", "organizer"], unitId, villageId: null });
    const roles = await db.userRole.findMany({ where: { userId: user.id }, orderBy: { role: "asc" } });
    expect(roles.map((r) => r.role)).toEqual(["employee", "organizer"]);
    const audit = await db.auditLog.findFirstOrThrow({ where: { entityId: user.id } });
    expect(audit).toMatchObject({ actorId: admin.id, action: "user.access.update" });
    expect(audit.changes).toMatchObject({ before: { roles: ["employee"] }, after: { roles: ["employee", "organizer"], unitId } });
  });
});
