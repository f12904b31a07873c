import { hashPassword, verifyAgainstDummy, verifyPassword } from "~/auth/password.server";
import { isPhone } from "~/auth/schemas";
import { Prisma, db } from "~/db/client.server";
import { isUniqueViolation } from "~/db/errors.server";
import type { Role } from "~/db/generated/client";
import { recordAudit } from "~/domain/audit.server";

export class DuplicateUserError extends Error {}
export class UnknownUnitError extends Error {}

const loginWhere = (login: string) => (isPhone(login) ? { phone: login } : { email: login });

/** The user when the password matches; an unknown login costs the same time as a wrong password. */
export async function verifyLogin(login: string, password: string): Promise<{ id: string; roles: Role[] } | null> {
  const user = await db.user.findUnique({
    where: loginWhere(login),
    select: { id: true, passwordHash: true, roles: { select: { role: true } } },
  });
  if (!user) return verifyAgainstDummy(password).then(() => null);
  if (!(await verifyPassword(user.passwordHash, password))) return null;
  return { id: user.id, roles: user.roles.map((r) => r.role) };
}

export async function registerEmployee(input: { name: string; login: string; password: string; unitId: string }) {
  const unit = await db.unit.findUnique({ where: { id: input.unitId }, select: { id: true } });
  if (!unit) throw new UnknownUnitError();
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
    // The unique index, not a prior lookup, decides: two simultaneous registrations cannot both win.
    if (isUniqueViolation(error)) throw new DuplicateUserError();
    throw error;
  }
}

export function listUnits() {
  return db.unit.findMany({ orderBy: { code: "asc" }, select: { id: true, code: true, name: true, nameEn: true } });
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
      skip: (page - 1) * USERS_PAGE_SIZE,
      take: USERS_PAGE_SIZE,
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
  return { total, pages: Math.max(1, Math.ceil(total / USERS_PAGE_SIZE)), users };
}

export function getUserForAdmin(userId: string) {
  return db.user.findUnique({
    where: { id: userId },
    select: { id: true, name: true, phone: true, email: true, unitId: true, villageId: true, roles: { select: { role: true } } },
  });
}

/** Replaces a user's roles, unit and village in one transaction, with the before/after in the audit log. */
export async function updateUserAccess(
  actorId: string,
  userId: string,
  access: { roles: Role[]; unitId: string | null; villageId: string | null },
) {
  return db.$transaction(async (tx) => {
    const before = await tx.user.findUniqueOrThrow({
      where: { id: userId },
      select: { unitId: true, villageId: true, roles: { select: { role: true } } },
    });
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
