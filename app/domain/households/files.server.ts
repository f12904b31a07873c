// 一户一档: the work team's household files. Only `team` (for their village) and `admin` open them; every opening of
// a file (or of one of its parts) and every change goes to the audit log (DOMAIN §7). Employees and the cooperative
// never come here. A household outside the viewer's scope is not found (404), whatever is asked of it.
import { db, Prisma } from "~/db/client.server";
import { pageCount, pageRows } from "~/domain/pages";
import { shopLocal } from "~/utils/dates.server";
import type { HouseholdStatus, IncomeSource, RiskFlagKind } from "~/db/generated/client";
import { recordAudit } from "~/domain/audit.server";
import { DomainError, notFound } from "~/domain/errors";
import type { MemberInput } from "./schema";
import { maskIdNumber } from "./id-numbers";
import { hashIdNumber } from "./id-numbers.server";
import { monitoringSettings } from "./monitoring.server";
import { villageForNewFile, villageScope, type Viewer } from "./scope.server";

export const HOUSEHOLDS_PAGE_SIZE = 20;

export async function listHouseholds(viewer: Viewer, { q, status, page }: { q: string; status?: HouseholdStatus; page: number }) {
  const where: Prisma.HouseholdWhereInput = {
    ...villageScope(viewer),
    ...(status ? { status } : {}),
    ...(q
      ? { OR: [{ code: { contains: q, mode: "insensitive" } }, { headName: { contains: q } }, { villageGroup: { contains: q } }] }
      : {}),
  };
  const [total, households] = await Promise.all([
    db.household.count({ where }),
    db.household.findMany({
      where,
      orderBy: { code: "asc" },
      ...pageRows(page, HOUSEHOLDS_PAGE_SIZE),
      select: { id: true, code: true, headName: true, villageGroup: true, status: true, memberCount: true },
    }),
  ]);
  const balances = await db.ledgerEntry.groupBy({
    by: ["householdId"],
    where: { householdId: { in: households.map((h) => h.id) } },
    _sum: { amountFen: true },
  });
  const balanceById = new Map(balances.map((b) => [b.householdId, b._sum.amountFen ?? 0]));
  return {
    total,
    pages: pageCount(total, HOUSEHOLDS_PAGE_SIZE),
    households: households.map((h) => ({ ...h, balanceFen: balanceById.get(h.id) ?? 0 })),
  };
}

/** Finds a household in the viewer's scope by a full ID number, through its keyed hash; 404 on the field when none. */
export async function findHouseholdByIdNumber(viewer: Viewer, idNumber: string, key: string) {
  const hash = hashIdNumber(idNumber, key);
  const household = await db.household.findFirst({
    where: { ...villageScope(viewer), OR: [{ headIdHash: hash }, { members: { some: { idHash: hash } } }] },
    select: { id: true },
  });
  if (!household) throw new DomainError("households.errors.lookupNotFound", { field: "idNumber", status: 404 });
  return household;
}

/** The basic facts of a file, as the file page and its printed form list them. */
const FACTS = {
  code: true,
  headName: true,
  memberCount: true,
  villageGroup: true,
  status: true,
  exitYear: true,
  headIdMasked: true,
  phone: true,
  address: true,
  pensionCovered: true,
  medicalCovered: true,
  consentToDisplay: true,
} satisfies Prisma.HouseholdSelect;

const MEMBERS = {
  orderBy: { createdAt: "asc" },
  select: {
    id: true,
    name: true,
    relation: true,
    ageBand: true,
    health: true,
    disability: true,
    schooling: true,
    employment: true,
    idMasked: true,
  },
} satisfies Prisma.Household$membersArgs;

const INCOMES = {
  orderBy: [{ year: "desc" }, { source: "asc" }],
  select: { year: true, source: true, amountFen: true, note: true },
} satisfies Prisma.Household$incomesArgs;

const RISK_FLAGS = {
  orderBy: [{ resolvedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
  select: { id: true, kind: true, note: true, createdAt: true, resolvedAt: true },
} satisfies Prisma.Household$riskFlagsArgs;

/** Each page that opens a file reads only the part it shows. */
const FILE_PARTS = {
  file: { id: true, ...FACTS, displayName: true, story: true, members: MEMBERS, incomes: INCOMES, riskFlags: RISK_FLAGS },
  print: { id: true, ...FACTS, notes: true, village: { select: { name: true, nameEn: true } }, members: MEMBERS, incomes: INCOMES },
  form: {
    code: true,
    headName: true,
    memberCount: true,
    villageGroup: true,
    status: true,
    exitYear: true,
    phone: true,
    address: true,
    pensionCovered: true,
    medicalCovered: true,
    consentToDisplay: true,
    displayName: true,
    story: true,
    notes: true,
    _count: { select: { members: true } },
  },
  members: { id: true, code: true, members: MEMBERS },
  incomes: { id: true, code: true, incomes: INCOMES },
  flags: { id: true, code: true, riskFlags: RISK_FLAGS },
} satisfies Record<string, Prisma.HouseholdSelect>;

export type FilePart = keyof typeof FILE_PARTS;

/** A part of a file, for the team; the read itself is audited, naming the part. */
export async function openHouseholdFile<Part extends FilePart>(viewer: Viewer, householdId: string, part: Part, ip?: string) {
  const household = (await db.household.findFirst({
    where: { id: householdId, ...villageScope(viewer) },
    select: FILE_PARTS[part],
  })) as Prisma.HouseholdGetPayload<{ select: (typeof FILE_PARTS)[Part] }> | null;
  if (!household) throw notFound();
  await recordAudit(db, {
    actorId: viewer.id,
    action: "household.file.read",
    entityType: "Household",
    entityId: householdId,
    changes: { part },
    ip,
  });
  return household;
}

export type HouseholdInput = {
  code: string;
  headName: string;
  memberCount: number;
  villageGroup: string;
  status: HouseholdStatus;
  exitYear: number | null;
  headIdNumber: string | null;
  phone: string | null;
  address: string | null;
  pensionCovered: boolean;
  medicalCovered: boolean;
  consentToDisplay: boolean;
  displayName: string | null;
  story: string | null;
  notes: string | null;
};

function fileData(input: HouseholdInput, idHashKey: string) {
  const { headIdNumber, ...rest } = input;
  return {
    ...rest,
    // Without consent nothing is shown to buyers, so nothing to show is kept either.
    displayName: input.consentToDisplay ? input.displayName : null,
    story: input.consentToDisplay ? input.story : null,
    ...(headIdNumber ? { headIdMasked: maskIdNumber(headIdNumber), headIdHash: hashIdNumber(headIdNumber, idHashKey) } : {}),
  };
}

/** The household code is unique within a village: a second file for the same code is refused on its field. */
const duplicateCode = () => new DomainError("households.errors.duplicateCode", { field: "code" });

/** Opens a new file in the viewer's village (an account serving no village is refused). */
export async function createHousehold(viewer: Viewer, input: HouseholdInput, idHashKey: string) {
  const villageId = villageForNewFile(viewer);
  return db.$transaction(async (tx) => {
    if (await tx.household.findUnique({ where: { villageId_code: { villageId, code: input.code } }, select: { id: true } }))
      throw duplicateCode();
    const household = await tx.household.create({ data: { villageId, ...fileData(input, idHashKey) }, select: { id: true } });
    await recordAudit(tx, {
      actorId: viewer.id,
      action: "household.create",
      entityType: "Household",
      entityId: household.id,
      changes: auditable(input),
    });
    return household;
  });
}

/** Saves a file and audits exactly the fields that changed (ID numbers by their masked form only). */
export async function updateHousehold(viewer: Viewer, householdId: string, input: HouseholdInput, idHashKey: string) {
  return db.$transaction(async (tx) => {
    const before = await tx.household.findFirst({ where: { id: householdId, ...villageScope(viewer) } });
    if (!before) throw notFound();
    if (
      input.code !== before.code &&
      (await tx.household.findUnique({
        where: { villageId_code: { villageId: before.villageId, code: input.code } },
        select: { id: true },
      }))
    ) {
      throw duplicateCode();
    }
    // Once members are listed, the household's size is their number (kept by the member functions below); the
    // figure typed into the file form only counts while no member is recorded.
    const members = await tx.householdMember.count({ where: { householdId } });
    const data = { ...fileData(input, idHashKey), ...(members > 0 ? { memberCount: members } : {}) };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const [field, value] of Object.entries(data)) {
      if (field === "headIdHash") continue;
      const previous = (before as Record<string, unknown>)[field];
      if (previous !== value) changes[field] = { from: previous ?? null, to: value ?? null };
    }
    await tx.household.update({ where: { id: householdId }, data });
    if (Object.keys(changes).length) {
      await recordAudit(tx, {
        actorId: viewer.id,
        action: "household.update",
        entityType: "Household",
        entityId: householdId,
        changes: changes as Prisma.InputJsonValue,
      });
    }
    return { changed: Object.keys(changes) };
  });
}

function auditable(input: HouseholdInput): Prisma.InputJsonValue {
  const { headIdNumber, ...rest } = input;
  return { ...rest, headIdMasked: headIdNumber ? maskIdNumber(headIdNumber) : null };
}

/** The household a change is for, or 404 when it is not in the viewer's scope. */
async function householdInScope(tx: Prisma.TransactionClient, viewer: Viewer, householdId: string) {
  const household = await tx.household.findFirst({
    where: { id: householdId, ...villageScope(viewer) },
    select: { id: true, memberCount: true },
  });
  if (!household) throw notFound();
  return household;
}

/** Keeps memberCount equal to the member list (per-capita income divides by it) and says whether it moved. */
async function syncMemberCount(tx: Prisma.TransactionClient, household: { id: string; memberCount: number }) {
  const members = await tx.householdMember.count({ where: { householdId: household.id } });
  // With the last member removed the list says nothing about the size, so the last known figure stays.
  if (members === 0 || members === household.memberCount) return {};
  await tx.household.update({ where: { id: household.id }, data: { memberCount: members } });
  return { memberCount: { from: household.memberCount, to: members } };
}

const MEMBER_FIELDS = ["name", "relation", "ageBand", "health", "disability", "schooling", "employment"] as const;

function memberData(input: MemberInput, idHashKey: string) {
  const { idNumber, ...rest } = input;
  return { ...rest, ...(idNumber ? { idMasked: maskIdNumber(idNumber), idHash: hashIdNumber(idNumber, idHashKey) } : {}) };
}

/**
 * Records a member; the audit names the fields and the masked ID only. The same name, relation and age band sent
 * again (a retried form) is the member already recorded.
 */
export async function addMember(viewer: Viewer, householdId: string, input: MemberInput, idHashKey: string) {
  return db.$transaction(async (tx) => {
    const household = await householdInScope(tx, viewer, householdId);
    const same = await tx.householdMember.findFirst({
      where: { householdId, name: input.name, relation: input.relation, ageBand: input.ageBand },
      select: { id: true, idMasked: true },
    });
    if (same) return same;
    const data = memberData(input, idHashKey);
    const member = await tx.householdMember.create({ data: { householdId, ...data }, select: { id: true, idMasked: true } });
    const count = await syncMemberCount(tx, household);
    const fields = Object.fromEntries(MEMBER_FIELDS.map((field) => [field, data[field]]));
    await recordAudit(tx, {
      actorId: viewer.id,
      action: "household.member.add",
      entityType: "Household",
      entityId: householdId,
      changes: { memberId: member.id, ...fields, idMasked: member.idMasked, ...count },
    });
    return member;
  });
}

/** Saves a member and audits the fields that changed; an empty ID number keeps the recorded one. */
export async function updateMember(viewer: Viewer, householdId: string, memberId: string, input: MemberInput, idHashKey: string) {
  return db.$transaction(async (tx) => {
    await householdInScope(tx, viewer, householdId);
    const before = await tx.householdMember.findFirst({ where: { id: memberId, householdId } });
    if (!before) throw notFound();
    const data = memberData(input, idHashKey);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const field of [...MEMBER_FIELDS, "idMasked"] as const) {
      if (!(field in data)) continue;
      const value = (data as Record<string, unknown>)[field] ?? null;
      if (before[field] !== value) changes[field] = { from: before[field], to: value };
    }
    // A number with the same masked form can still be a different number: the hash tells.
    if ("idHash" in data && data.idHash !== before.idHash && !changes.idMasked)
      changes.idMasked = { from: before.idMasked, to: data.idMasked };
    await tx.householdMember.update({ where: { id: memberId }, data });
    if (Object.keys(changes).length) {
      await recordAudit(tx, {
        actorId: viewer.id,
        action: "household.member.update",
        entityType: "Household",
        entityId: householdId,
        changes: { memberId, ...changes } as Prisma.InputJsonValue,
      });
    }
    return { changed: Object.keys(changes) };
  });
}

/** Removes a member, audited; removing one already gone changes nothing (a retried form). */
export async function removeMember(viewer: Viewer, householdId: string, memberId: string) {
  return db.$transaction(async (tx) => {
    const household = await householdInScope(tx, viewer, householdId);
    const member = await tx.householdMember.findFirst({
      where: { id: memberId, householdId },
      select: { id: true, name: true, relation: true, idMasked: true },
    });
    if (!member) return { removed: null };
    await tx.householdMember.delete({ where: { id: memberId } });
    const count = await syncMemberCount(tx, household);
    await recordAudit(tx, {
      actorId: viewer.id,
      action: "household.member.remove",
      entityType: "Household",
      entityId: householdId,
      changes: { memberId, name: member.name, relation: member.relation, idMasked: member.idMasked, ...count },
    });
    return { removed: member.id };
  });
}

export type IncomeInput = { year: number; source: IncomeSource; amountFen: number; note: string | null };

/**
 * Records one year's income from one source (wages, pensions, subsidies, land transfer …), audited with the
 * amount before and after. `add` refuses a year and source already recorded, so a second entry cannot silently
 * overwrite the first; `update` saves over it (and creates it if it was deleted meanwhile, so a retry is harmless).
 */
export async function saveOtherIncome(viewer: Viewer, householdId: string, input: IncomeInput, mode: "add" | "update") {
  return db.$transaction(async (tx) => {
    await householdInScope(tx, viewer, householdId);
    const key = { householdId_year_source: { householdId, year: input.year, source: input.source } };
    const before = await tx.householdIncome.findUnique({ where: key, select: { amountFen: true, note: true } });
    if (before && mode === "add") throw new DomainError("households.errors.duplicateIncome", { field: "source" });
    if (before && before.amountFen === input.amountFen && before.note === input.note) return { changed: false };
    await tx.householdIncome.upsert({
      where: key,
      create: { householdId, ...input },
      update: { amountFen: input.amountFen, note: input.note },
    });
    await recordAudit(tx, {
      actorId: viewer.id,
      action: "household.income.set",
      entityType: "Household",
      entityId: householdId,
      changes: {
        year: input.year,
        source: input.source,
        amountFen: { from: before?.amountFen ?? null, to: input.amountFen },
        note: { from: before?.note ?? null, to: input.note },
      },
    });
    return { changed: true };
  });
}

/** Deletes one year's income from one source; deleting what is already gone changes nothing (a retried form). */
export async function deleteOtherIncome(viewer: Viewer, householdId: string, year: number, source: IncomeSource) {
  return db.$transaction(async (tx) => {
    await householdInScope(tx, viewer, householdId);
    const before = await tx.householdIncome.findUnique({
      where: { householdId_year_source: { householdId, year, source } },
      select: { id: true, amountFen: true },
    });
    if (!before) return { deleted: false };
    await tx.householdIncome.delete({ where: { id: before.id } });
    await recordAudit(tx, {
      actorId: viewer.id,
      action: "household.income.delete",
      entityType: "Household",
      entityId: householdId,
      changes: { year, source, amountFen: { from: before.amountFen, to: null } },
    });
    return { deleted: true };
  });
}

/** Records a risk flag; the same kind and note while it is still open (a retried form) is the flag already there. */
export async function addRiskFlag(viewer: Viewer, householdId: string, input: { kind: RiskFlagKind; note: string }) {
  return db.$transaction(async (tx) => {
    await householdInScope(tx, viewer, householdId);
    const same = await tx.riskFlag.findFirst({ where: { householdId, ...input, resolvedAt: null }, select: { id: true } });
    if (same) return same;
    const flag = await tx.riskFlag.create({ data: { householdId, ...input, createdById: viewer.id }, select: { id: true } });
    await recordAudit(tx, {
      actorId: viewer.id,
      action: "household.flag.add",
      entityType: "Household",
      entityId: householdId,
      changes: { flagId: flag.id, ...input },
    });
    return flag;
  });
}

/** Marks a risk flag resolved; resolving it again keeps the first resolution (a retried form). */
export async function resolveRiskFlag(viewer: Viewer, householdId: string, flagId: string) {
  return db.$transaction(async (tx) => {
    await householdInScope(tx, viewer, householdId);
    const resolved = await tx.riskFlag.updateMany({
      where: { id: flagId, householdId, resolvedAt: null },
      data: { resolvedAt: new Date() },
    });
    if (resolved.count === 0) {
      if (await tx.riskFlag.count({ where: { id: flagId, householdId } })) return { resolved: false };
      throw notFound();
    }
    await recordAudit(tx, {
      actorId: viewer.id,
      action: "household.flag.resolve",
      entityType: "Household",
      entityId: householdId,
      changes: { flagId },
    });
    return { resolved: true };
  });
}

export const LEDGER_PAGE_SIZE = 50;

/**
 * What a ledger line says it is: its kind, except that a reversal written because the cooperative moved the
 * boxes to another household's lot (reallocation.server.ts) is not a refund and says so.
 */
export const LEDGER_ENTRY_LABEL = Prisma.sql`CASE WHEN e."entryKey" LIKE 'move-reversal:%' THEN 'move_reversal' ELSE e."kind"::text END`;

/** The same label for an entry read through Prisma. */
export function ledgerEntryLabel(entry: { kind: string; entryKey: string }) {
  return entry.entryKey.startsWith("move-reversal:") ? "move_reversal" : entry.kind;
}

/**
 * The household's ledger, newest first, each entry with the balance after it (the sum of all entries up to it:
 * DOMAIN §5.5), and what caused it (the order number or the payout reference).
 */
export async function householdLedger(householdId: string, page: number) {
  const { skip, take } = pageRows(page, LEDGER_PAGE_SIZE);
  const [entries, [summary]] = await Promise.all([
    db.$queryRaw<
      {
        id: bigint;
        kind: string;
        amountFen: number;
        occurredAt: Date;
        balanceFen: number;
        orderNumber: string | null;
        payoutReference: string | null;
      }[]
    >`
      SELECT e."id", ${LEDGER_ENTRY_LABEL} AS "kind", e."amountFen", e."occurredAt",
        (SUM(e."amountFen") OVER (ORDER BY e."occurredAt", e."id"))::int AS "balanceFen",
        o."number" AS "orderNumber", p."reference" AS "payoutReference"
      FROM "LedgerEntry" e
      LEFT JOIN "Order" o ON o."id" = e."orderId"
      LEFT JOIN "Payout" p ON p."id" = e."payoutId"
      WHERE e."householdId" = ${householdId}
      ORDER BY e."occurredAt" DESC, e."id" DESC
      LIMIT ${take} OFFSET ${skip}`,
    db.$queryRaw<{ count: number; balanceFen: number }[]>`
      SELECT COUNT(*)::int AS "count", COALESCE(SUM("amountFen"), 0)::int AS "balanceFen" FROM "LedgerEntry" WHERE "householdId" = ${householdId}`,
  ]);
  return {
    entries: entries.map((e) => ({ ...e, id: String(e.id) })),
    balanceFen: summary?.balanceFen ?? 0,
    pages: pageCount(summary?.count ?? 0, LEDGER_PAGE_SIZE),
  };
}

/** Consumption-assistance income (credits less reversals) per month of a year, in the shop's time zone. */
export async function householdMonthlyIncome(householdId: string, year: number) {
  const rows = await db.$queryRaw<{ month: number; incomeFen: number }[]>`
    SELECT EXTRACT(MONTH FROM ${shopLocal(Prisma.sql`"occurredAt"`)})::int AS "month", SUM("amountFen")::int AS "incomeFen"
    FROM "LedgerEntry"
    WHERE "householdId" = ${householdId} AND "kind" IN ('sale_credit', 'sale_reversal')
      AND EXTRACT(YEAR FROM ${shopLocal(Prisma.sql`"occurredAt"`)}) = ${year}
    GROUP BY 1 ORDER BY 1`;
  return Array.from({ length: 12 }, (_, i) => ({ month: i + 1, incomeFen: rows.find((r) => r.month === i + 1)?.incomeFen ?? 0 }));
}

/**
 * The income picture of a year: consumption assistance (from the ledger) plus the other income recorded in the
 * file, per member, against the monitoring threshold (a per-capita yearly amount in settings).
 */
export async function incomePicture(householdId: string, year: number) {
  const [household, other, [assistance]] = await Promise.all([
    db.household.findUniqueOrThrow({ where: { id: householdId }, select: { memberCount: true, villageId: true } }),
    db.householdIncome.aggregate({ where: { householdId, year }, _sum: { amountFen: true } }),
    db.$queryRaw<{ incomeFen: number }[]>`
      SELECT COALESCE(SUM("amountFen"), 0)::int AS "incomeFen" FROM "LedgerEntry"
      WHERE "householdId" = ${householdId} AND "kind" IN ('sale_credit', 'sale_reversal')
        AND EXTRACT(YEAR FROM ${shopLocal(Prisma.sql`"occurredAt"`)}) = ${year}`,
  ]);
  const settings = await monitoringSettings(household.villageId);
  const assistanceFen = assistance?.incomeFen ?? 0;
  const otherFen = other._sum.amountFen ?? 0;
  const members = Math.max(1, household.memberCount);
  const perCapitaFen = Math.floor((assistanceFen + otherFen) / members);
  const thresholdFen = settings.perCapitaThresholdFen;
  return {
    year,
    assistanceFen,
    otherFen,
    totalFen: assistanceFen + otherFen,
    perCapitaFen,
    thresholdFen,
    belowThreshold: thresholdFen !== null && perCapitaFen < thresholdFen,
  };
}
