// The admin's pages: the bureau's units with their members and organizers, the villages' cooperatives and their
// fees, each village's settings, and the audit log. Every change is audited with its before and after; reading the
// audit log is audited too (who looked at whose trail is itself part of the trail).
import { Prisma, db } from "~/db/client.server";
import { isUniqueViolation } from "~/db/errors.server";
import { recordAudit } from "~/domain/audit.server";
import { DomainError, notFound } from "~/domain/errors";
import { monitoringSettings } from "~/domain/households/monitoring.server";
import { shopDayEnd, shopDayStart } from "~/utils/dates";
import type { AuditFilter } from "./admin-schemas";

type Actor = { id: string };

type UnitNode = { id: string; code: string; name: string; nameEn: string; members: number; organizers: { id: string; name: string }[] };
export type UnitTreeNode = UnitNode & { children: UnitTreeNode[] };

/** The bureau's units as a tree (a sub-unit under its parent), each with its member count and organizers. */
export async function unitTree(): Promise<UnitTreeNode[]> {
  const units = await db.unit.findMany({
    orderBy: { code: "asc" },
    select: {
      id: true,
      code: true,
      name: true,
      nameEn: true,
      parentId: true,
      _count: { select: { users: true } },
      users: { where: { roles: { some: { role: "organizer" } } }, select: { id: true, name: true }, orderBy: { name: "asc" } },
    },
  });
  const nodes = new Map(
    units.map(({ _count, users, parentId: _parent, ...unit }) => [
      unit.id,
      { ...unit, members: _count.users, organizers: users, children: [] as UnitTreeNode[] },
    ]),
  );
  const roots: UnitTreeNode[] = [];
  for (const unit of units) {
    const node = nodes.get(unit.id)!;
    // A parent that is missing (or a unit named as its own parent) leaves the unit directly under the bureau.
    const parent = unit.parentId && unit.parentId !== unit.id ? nodes.get(unit.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

export async function createUnit(actor: Actor, input: { code: string; name: string; nameEn: string }) {
  try {
    return await db.$transaction(async (tx) => {
      const unit = await tx.unit.create({ data: input, select: { id: true, name: true } });
      await recordAudit(tx, { actorId: actor.id, action: "unit.create", entityType: "Unit", entityId: unit.id, changes: { after: input } });
      return unit;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError("adminPages.units.codeTaken", { field: "code" });
    throw error;
  }
}

export const MEMBERS_PAGE_SIZE = 50;

/** A unit and one page of its members with their roles. */
export async function unitMembers(unitId: string, page: number) {
  const unit = await db.unit.findUnique({ where: { id: unitId }, select: { id: true, code: true, name: true, nameEn: true } });
  if (!unit) throw notFound();
  const [total, members] = await Promise.all([
    db.user.count({ where: { unitId } }),
    db.user.findMany({
      where: { unitId },
      orderBy: [{ name: "asc" }, { id: "asc" }],
      skip: (page - 1) * MEMBERS_PAGE_SIZE,
      take: MEMBERS_PAGE_SIZE,
      select: { id: true, name: true, phone: true, email: true, department: true, roles: { select: { role: true } } },
    }),
  ]);
  return {
    unit,
    total,
    pages: Math.max(1, Math.ceil(total / MEMBERS_PAGE_SIZE)),
    members: members.map(({ roles, ...member }) => ({ ...member, roles: roles.map((r) => r.role) })),
  };
}

/**
 * Makes a member of the unit its group-order organizer, or takes the role back. Granting twice or revoking a role
 * the member does not hold changes nothing. Someone left with no role keeps `employee`, so they can still buy.
 */
export async function setOrganizer(actor: Actor, unitId: string, userId: string, grant: boolean) {
  return db.$transaction(async (tx) => {
    const member = await tx.user.findFirst({
      where: { id: userId, unitId },
      select: { id: true, name: true, roles: { select: { role: true } } },
    });
    if (!member) throw new DomainError("adminPages.units.notMember", { status: 404 });
    const before = member.roles.map((r) => r.role);
    if (before.includes("organizer") === grant) return { name: member.name, changed: false };
    if (grant) await tx.userRole.create({ data: { userId, role: "organizer" } });
    else {
      await tx.userRole.delete({ where: { userId_role: { userId, role: "organizer" } } });
      if (before.length === 1) await tx.userRole.create({ data: { userId, role: "employee" } });
    }
    const after = (await tx.userRole.findMany({ where: { userId }, select: { role: true } })).map((r) => r.role);
    await recordAudit(tx, {
      actorId: actor.id,
      action: grant ? "unit.organizer.grant" : "unit.organizer.revoke",
      entityType: "User",
      entityId: userId,
      changes: { unitId, before: { roles: before }, after: { roles: after } },
    });
    return { name: member.name, changed: true };
  });
}

/** Every village with its cooperative's fees. */
export function villagesWithCooperatives() {
  return db.village.findMany({
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      nameEn: true,
      county: true,
      cooperative: { select: { id: true, name: true, nameEn: true, deliveryFeeFen: true, defaultFeeRateBp: true } },
    },
  });
}

export async function updateCooperativeFees(
  actor: Actor,
  cooperativeId: string,
  next: { deliveryFeeFen: number; defaultFeeRateBp: number },
) {
  return db.$transaction(async (tx) => {
    const before = await tx.cooperative.findUnique({
      where: { id: cooperativeId },
      select: { name: true, nameEn: true, deliveryFeeFen: true, defaultFeeRateBp: true },
    });
    if (!before) throw notFound();
    const { name, nameEn, ...fees } = before;
    if (fees.deliveryFeeFen === next.deliveryFeeFen && fees.defaultFeeRateBp === next.defaultFeeRateBp) return { name, nameEn };
    await tx.cooperative.update({ where: { id: cooperativeId }, data: next });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "cooperative.fees.update",
      entityType: "Cooperative",
      entityId: cooperativeId,
      changes: { before: fees, after: next },
    });
    return { name, nameEn };
  });
}

/** Each village's monitoring settings, side by side. */
export async function villageSettings() {
  const villages = await db.village.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, nameEn: true } });
  return Promise.all(villages.map(async (village) => ({ ...village, settings: await monitoringSettings(village.id) })));
}

export const AUDIT_PAGE_SIZE = 50;

function auditWhere(filter: AuditFilter): Prisma.AuditLogWhereInput {
  const actor = filter.actor;
  return {
    ...(actor
      ? {
          actor: {
            OR: [
              { name: { contains: actor, mode: "insensitive" } },
              { phone: { contains: actor } },
              { email: { contains: actor, mode: "insensitive" } },
            ],
          },
        }
      : {}),
    ...(filter.entityType ? { entityType: filter.entityType } : {}),
    ...(filter.entityId ? { entityId: filter.entityId } : {}),
    ...(filter.action ? { action: { startsWith: filter.action } } : {}),
    ...(filter.from || filter.to
      ? { createdAt: { ...(filter.from ? { gte: shopDayStart(filter.from) } : {}), ...(filter.to ? { lt: shopDayEnd(filter.to) } : {}) } }
      : {}),
  };
}

/**
 * One page of the audit log, newest first, filtered. Opening it is recorded (with the filter) before it is read, in
 * the same transaction, so a look at the log cannot go unrecorded.
 */
export async function readAuditLog(actor: Actor, filter: AuditFilter, ip?: string) {
  const where = auditWhere(filter);
  const { page, ...criteria } = filter;
  return db.$transaction(async (tx) => {
    await recordAudit(tx, {
      actorId: actor.id,
      action: "audit.view",
      entityType: "AuditLog",
      entityId: "-",
      changes: JSON.parse(JSON.stringify({ ...criteria, page })) as Prisma.InputJsonValue,
      ip,
    });
    const [total, entries, entityTypes] = await Promise.all([
      tx.auditLog.count({ where }),
      tx.auditLog.findMany({
        where,
        orderBy: { id: "desc" },
        skip: (page - 1) * AUDIT_PAGE_SIZE,
        take: AUDIT_PAGE_SIZE,
        select: {
          id: true,
          action: true,
          entityType: true,
          entityId: true,
          changes: true,
          ip: true,
          createdAt: true,
          actor: { select: { id: true, name: true, phone: true, email: true } },
        },
      }),
      tx.auditLog.groupBy({ by: ["entityType"], orderBy: { entityType: "asc" } }),
    ]);
    return {
      total,
      pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)),
      entityTypes: entityTypes.map((row) => row.entityType),
      entries: entries.map((entry) => ({
        ...entry,
        id: String(entry.id),
        changes: entry.changes === null ? null : JSON.stringify(entry.changes, null, 2),
      })),
    };
  });
}
