// Bad input to the sign-in, registration, language and user-access actions: an empty form, a wrong type and an
// over-long value each get 400 (or 422) with a message on the field, never a 500 and never a write.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { action as userAction, loader as userLoader } from "~/routes/admin.users.$userId";
import { action as languageAction } from "~/routes/language";
import { action as loginAction } from "~/routes/login";
import { action as registerAction } from "~/routes/register";
import type { FormAnswer } from "~/utils/forms";
import { truncateAllTables } from "../../setup/reset";
import { outcome, routeRequest, signedIn } from "../route-helpers";

type Action = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;

const post = (action: Action, path: string, form: Record<string, string>, cookie = "", params: Record<string, string> = {}) =>
  outcome(() => action({ request: routeRequest(path, cookie, form), params, context: { clientIp: "203.0.113.9" } }));

const errorsOf = (answer: { data?: unknown }) => (answer.data as FormAnswer).result.error ?? {};

let unitId: string;

beforeEach(async () => {
  await truncateAllTables();
  unitId = (await db.unit.create({ data: { code: "HQ", name: "局机关", nameEn: "Headquarters" } })).id;
});

describe("sign-in", () => {
  it("answers an empty form, a malformed login and over-long values with 400 and field messages", async () => {
    const empty = await post(loginAction, "/login", {});
    expect(empty.status).toBe(400);
    expect(errorsOf(empty)).toEqual({ login: ["errors.required"], password: ["errors.required"] });

    const wrong = await post(loginAction, "/login", { login: "12345", password: "x" });
    expect(wrong.status).toBe(400);
    expect(errorsOf(wrong)).toEqual({ login: ["errors.invalidLogin"] });

    const long = await post(loginAction, "/login", {
      login: `${"a".repeat(250)}@b.example`,
      password: "p".repeat(129),
      redirectTo: `/${"x".repeat(2000)}`,
    });
    expect(long.status).toBe(400);
    expect(errorsOf(long)).toEqual({
      login: ["errors.tooLong"],
      password: ["errors.passwordTooLong"],
      redirectTo: ["errors.tooLong"],
    });
    expect(await db.loginAttempt.count()).toBe(0);
  });

  it("never sends the password back", async () => {
    const answer = await post(loginAction, "/login", { login: "12345", password: "secret-password" });
    expect(JSON.stringify(answer.data)).not.toContain("secret-password");
  });
});

describe("registration", () => {
  it("answers an empty form, wrong values and over-long ones with 400 and field messages, writing nothing", async () => {
    const empty = await post(registerAction, "/register", {});
    expect(empty.status).toBe(400);
    expect(errorsOf(empty)).toEqual({
      name: ["errors.required"],
      login: ["errors.required"],
      password: ["errors.required"],
      unitId: ["errors.unitRequired"],
    });

    const long = await post(registerAction, "/register", {
      name: "张".repeat(41),
      login: "1".repeat(300),
      password: "p".repeat(129),
      unitId: "u".repeat(101),
    });
    expect(long.status).toBe(400);
    expect(errorsOf(long)).toEqual({
      name: ["errors.nameTooLong"],
      login: ["errors.tooLong"],
      password: ["errors.passwordTooLong"],
      unitId: ["errors.unknownUnit"],
    });
    expect(await db.user.count()).toBe(0);
  });
});

describe("the language switch", () => {
  it("refuses an unknown language or an over-long way back with 400, and sets nothing", async () => {
    for (const form of [{}, { locale: "fr" }, { locale: "en", redirectTo: `/${"x".repeat(2000)}` }]) {
      const answer = await post(languageAction, "/language", form as Record<string, string>);
      expect(answer.status).toBe(400);
      expect(Object.keys(errorsOf(answer)).length).toBeGreaterThan(0);
    }
    expect(await post(languageAction, "/language", { locale: "en", redirectTo: "/orders" })).toMatchObject({
      status: 302,
      location: "/orders",
    });
  });
});

describe("an administrator changing a user's access", () => {
  async function setUp() {
    const admin = await signedIn(["admin"], null);
    const { user } = await signedIn(["employee"], null);
    const change = (form: Record<string, string>, userId = user.id) =>
      post(userAction as Action, `/admin/users/${userId}`, form, admin.cookie, { userId });
    return { admin, user, change };
  }

  it("answers wrong and over-long values with 400 and field messages, changing nothing", async () => {
    const { user, change } = await setUp();
    const wrong = await change({ roles: "superuser", unitId: "u".repeat(101), villageId: "v".repeat(101) });
    expect(wrong.status).toBe(400);
    expect(errorsOf(wrong)).toEqual({
      "roles[0]": ["admin.unknownRole"],
      unitId: ["errors.unknownUnit"],
      villageId: ["admin.unknownVillage"],
    });
    expect(await db.userRole.findMany({ where: { userId: user.id }, select: { role: true } })).toEqual([{ role: "employee" }]);
  });

  it("asks for at least one role when the form is empty", async () => {
    const { user, change } = await setUp();
    const empty = await change({});
    expect(empty.status).toBe(400);
    expect(errorsOf(empty)).toEqual({ roles: ["admin.rolesRequired"] });
    expect(await db.userRole.count({ where: { userId: user.id } })).toBe(1);
    expect(await change({ roles: "organizer", unitId })).toMatchObject({ status: 302, location: "/admin/users" });
  });

  it("refuses, on the field concerned, a unit or village that does not exist and taking away one's own admin role", async () => {
    const { admin, user, change } = await setUp();
    const unit = await change({ roles: "employee", unitId: "no-such-unit" });
    expect(unit.status).toBe(422);
    expect(errorsOf(unit)).toEqual({ unitId: ["errors.unknownUnit"] });
    const village = await change({ roles: "employee", unitId, villageId: "no-such-village" });
    expect(errorsOf(village)).toEqual({ villageId: ["admin.unknownVillage"] });
    const own = await change({ roles: "employee" }, admin.user.id);
    expect(own.status).toBe(422);
    expect(errorsOf(own)).toEqual({ roles: ["admin.cannotRemoveOwnAdmin"] });
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { unitId: true } })).toEqual({ unitId: null });
    expect(await db.auditLog.count()).toBe(0);
  });

  it("is a 404 for a user who does not exist", async () => {
    const { admin, change } = await setUp();
    expect((await change({ roles: "employee" }, "no-such-user")).status).toBe(404);
    const page = await outcome(() =>
      userLoader({ request: routeRequest("/admin/users/no-such-user", admin.cookie), params: { userId: "no-such-user" }, context: {} }),
    );
    expect(page.status).toBe(404);
  });
});
