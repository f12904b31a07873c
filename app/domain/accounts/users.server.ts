import { isLoginThrottled, recordLoginAttempt } from "~/auth/login-attempts.server";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "~/auth/password.server";
import { isPhone } from "~/auth/schemas";
import { Prisma, db } from "~/db/client.server";
import { isUniqueViolation } from "~/db/errors.server";
import type { Role } from "~/db/generated/client";
import { recordAudit } from "~/domain/audit.server";
import { DomainError, notFound } from "~/domain/errors";
import { pageCount, pageRows } from "~/domain/pages";

const loginWhere = (login: string) => (isPhone(login) ? { phone: login } : { email: login });

/** The user when the password matches; an unknown login costs the same time as a wrong password. */
async function verifyLogin(login: string, password: string): Promise<{ id: string; roles: Role[] } | null> {
  const user = await db.user.findUnique({
    where: loginWhere(login),
    select: { id: true, passwordHash: true, roles: { select: { role: true } } },
  });
  if (!user) return verifyAgainstDummy(password).then(() => null);
  if (!(await verifyPassword(user.passwordHash, password))) return null;
  return { id: user.id, roles: user.roles.map((r) => r.role) };
}

/**
 * The user signing in with `login` and `password` from `ip`. Refused the same way for an unknown login and a wrong
 * password (422), and with 429 once either the login or the address has failed too often (login-attempts.server.ts),
 * even with the right password.
 */
export async function signIn(login: string, password: string, ip: string) {
  if (await isLoginThrottled(login, ip)) throw new DomainError("errors.tooManyAttempts", { status: 429 });
  const user = await verifyLogin(login, password);
  await recordLoginAttempt(login, ip, Boolean(user));
  if (!user) throw new DomainError("errors.wrongCredentials", { status: 422 });
  return user;
}

const unknownUnit = () => new DomainError("errors.unknownUnit", { field: "unitId" });

export async function registerEmployee(input: { name: string; login: string; password: string; unitId: string }) {
  const unit = await db.unit.findUnique({ where: { id: input.unitId }, select: { id: true } });
  if (!unit) throw unknownUnit();
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.user.create({
      data: {
        name: input.name,
        ...loginWhere(input.login),
        passwordHash,
        unitId: unit.id,
        roles: { create: [{ role: "employee" }] },
      },
      select: { id: true },
    });
  } catch (error) {
    // The unique index, not a prior lookup, decides: two simultaneous registrations cannot both win. The caller
    // answers a taken login exactly as a new account (no account enumeration), and the password was hashed either way.
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

export function listUnits() {
  return db.unit.findMany({ orderBy: { code: "asc" }, select: { id: true, name: true, nameEn: true } });
}

export function listVillages() {
  return db.village.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, nameEn: true } });
}

export const USERS_PAGE_SIZE = 20;

export async function searchUsers(query: string, page: number) {
  const q = query.trim();
  const where: Prisma.UserWhereInput = q
    ? {
        OR: [{ name: { contains: q, mode: "insensitive" } }, { phone: { contains: q } }, { email: { contains: q, mode: "insensitive" } }],
      }
    : {};
  const [total, users] = await Promise.all([
    db.user.count({ where }),
    db.user.findMany({
      where,
      orderBy: { createdAt: "asc" },
      ...pageRows(page, USERS_PAGE_SIZE),
      select: {
        id: true,
        name: true,
        phone: true,
        email: true,
        unit: { select: { name: true, nameEn: true } },
        roles: { select: { role: true } },
      },
    }),
  ]);
  return { total, pages: pageCount(total, USERS_PAGE_SIZE), users };
}

export async function getUserForAdmin(userId: string) {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, name: true, phone: true, email: true, unitId: true, villageId: true, roles: { select: { role: true } } },
  });
  if (!user) throw notFound();
  return { ...user, roles: user.roles.map((r) => r.role) };
}

/**
 * Replaces a user's roles, unit and village in one transaction, with the before/after in the audit log. An admin
 * cannot take away their own admin role (no one might be left to give it back); the unit and village must exist.
 */
export async function updateUserAccess(
  actorId: string,
  userId: string,
  access: { roles: Role[]; unitId: string | null; villageId: string | null },
) {
  if (userId === actorId && !access.roles.includes("admin")) throw new DomainError("admin.cannotRemoveOwnAdmin", { field: "roles" });
  return db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({
      where: { id: userId },
      select: { unitId: true, villageId: true, roles: { select: { role: true } } },
    });
    if (!before) throw notFound();
    if (access.unitId && !(await tx.unit.findUnique({ where: { id: access.unitId }, select: { id: true } }))) throw unknownUnit();
    if (access.villageId && !(await tx.village.findUnique({ where: { id: access.villageId }, select: { id: true } }))) {
      throw new DomainError("admin.unknownVillage", { field: "villageId" });
    }
    await tx.userRole.deleteMany({ where: { userId } });
    await tx.userRole.createMany({ data: access.roles.map((role) => ({ userId, role })) });
    await tx.user.update({ where: { id: userId }, data: { unitId: access.unitId, villageId: access.villageId } });
    await recordAudit(tx, {
      actorId,
      action: "user.access.update",
      entityType: "User",
      entityId: userId,
      changes: {
        before: { roles: before.roles.map((r) => r.role), unitId: before.unitId, villageId: before.villageId },
        after: access,
      },
    });
  });
}
