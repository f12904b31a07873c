// Units' yearly targets (DOMAIN §3, unit target): set by an admin or the bureau coordinator, one row per unit and
// year so past years keep what was set, each change audited with its before and after. A target is an amount, or an
// amount per member × the unit's members (the member count the same form may update).
import { db, Prisma } from "~/db/client.server";
import { recordAudit } from "~/domain/audit.server";
import { DomainError } from "~/domain/errors";
import { MAX_FEN } from "~/domain/money";
import type { TargetInput } from "./schemas";

/** Every unit with its members and its target for `year`, in code order. */
export async function targetsForYear(year: number) {
  const units = await db.unit.findMany({
    orderBy: { code: "asc" },
    select: {
      id: true,
      code: true,
      name: true,
      nameEn: true,
      memberCount: true,
      targets: { where: { year }, select: { targetFen: true, perMemberFen: true, memberCount: true, updatedAt: true } },
    },
  });
  return units.map(({ targets, ...unit }) => ({ ...unit, target: targets[0] ?? null }));
}

/** A unit's targets over the years, newest first: the history the form keeps. */
export async function targetHistory(unitId: string) {
  return db.unitTarget.findMany({
    where: { unitId },
    orderBy: { year: "desc" },
    select: { year: true, targetFen: true, perMemberFen: true, memberCount: true, updatedAt: true },
  });
}

/**
 * Sets a unit's target for a year (and its member count when given). Refused, writing nothing: an unknown unit, a
 * per-member target for a unit with no member count, and a product beyond what the column holds.
 */
export async function setUnitTarget(actorId: string, input: TargetInput) {
  return db.$transaction(async (tx) => {
    const unit = await tx.unit.findUnique({ where: { id: input.unitId }, select: { id: true, memberCount: true } });
    if (!unit) throw new DomainError("purchases.errors.unit", { field: "unitId", status: 404 });
    const members = input.memberCount ?? unit.memberCount;
    let targetFen = input.amount;
    if (input.mode === "perMember") {
      if (members === null) throw new DomainError("purchases.errors.needMembers", { field: "memberCount" });
      targetFen = input.amount * members;
    }
    if (!Number.isSafeInteger(targetFen) || targetFen > MAX_FEN) throw new DomainError("purchases.errors.tooLarge", { field: "amount" });
    const before = await tx.unitTarget.findUnique({
      where: { unitId_year: { unitId: unit.id, year: input.year } },
      select: { targetFen: true, perMemberFen: true, memberCount: true },
    });
    const row = {
      targetFen,
      perMemberFen: input.mode === "perMember" ? input.amount : null,
      memberCount: input.mode === "perMember" ? members : null,
      setById: actorId,
    };
    await tx.unitTarget.upsert({
      where: { unitId_year: { unitId: unit.id, year: input.year } },
      create: { unitId: unit.id, year: input.year, ...row },
      update: row,
    });
    if (input.memberCount !== undefined && input.memberCount !== unit.memberCount)
      await tx.unit.update({ where: { id: unit.id }, data: { memberCount: input.memberCount } });
    await recordAudit(tx, {
      actorId,
      action: "unit.target.set",
      entityType: "Unit",
      entityId: unit.id,
      changes: {
        year: input.year,
        from: before,
        to: { targetFen, perMemberFen: row.perMemberFen, memberCount: row.memberCount },
        ...(input.memberCount !== undefined && input.memberCount !== unit.memberCount
          ? { members: { from: unit.memberCount, to: input.memberCount } }
          : {}),
      } as Prisma.InputJsonValue,
    });
    return { targetFen };
  });
}
