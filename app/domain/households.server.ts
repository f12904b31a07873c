// 一户一档: the work team's household files. Only `team` (for their village) and `admin` open them; every opening of
// a full file and every change goes to the audit log (DOMAIN §7). Employees and the cooperative never come here.
import type { Prisma } from "~/db/client.server";
import { db } from "~/db/client.server";
import type { HouseholdStatus, IncomeSource } from "~/db/generated/client";
import { recordAudit } from "./audit.server";
import { maskIdNumber } from "./id-numbers";
import { hashIdNumber } from "./id-numbers.server";

export type Viewer = { id: string; roles: string[]; villageId: string | null };

/** The villages whose households a viewer may open: admins all, team members their own. */
export function villageScope(viewer: Viewer): Prisma.HouseholdWhereInput {
  if (viewer.roles.includes("admin")) return {};
  return { villageId: viewer.villageId ?? "__none__" };
}

export const HOUSEHOLDS_PAGE_SIZE = 20;

export async function listHouseholds(viewer: Viewer, { q, status, page }: { q: string; status?: HouseholdStatus; page: number }) {
  const where: Prisma.HouseholdWhereInput = {
    ...villageScope(viewer),
    ...(status ? { status } : {}),
    ...(q ? { OR: [{ code: { contains: q, mode: "insensitive" } }, { headName: { contains: q } }, { villageGroup: { contains: q } }] } : {}),
  };
  const [total, households] = await Promise.all([
    db.household.count({ where }),
    db.household.findMany({
      where,
      orderBy: { code: "asc" },
      skip: (page - 1) * HOUSEHOLDS_PAGE_SIZE,
      take: HOUSEHOLDS_PAGE_SIZE,
      select: { id: true, code: true, headName: true, villageGroup: true, status: true, memberCount: true },
    }),
  ]);
  const balances = await db.ledgerEntry.groupBy({ by: ["householdId"], where: { householdId: { in: households.map((h) => h.id) } }, _sum: { amountFen: true } });
  const balanceById = new Map(balances.map((b) => [b.householdId, b._sum.amountFen ?? 0]));
  return {
    total,
    pages: Math.max(1, Math.ceil(total / HOUSEHOLDS_PAGE_SIZE)),
    households: households.map((h) => ({ ...h, balanceFen: balanceById.get(h.id) ?? 0 })),
  };
}

/** Finds a household in the viewer's scope by a full ID number, through its keyed hash. */
export async function findHouseholdByIdNumber(viewer: Viewer, idNumber: string, key: string) {
  const hash = hashIdNumber(idNumber, key);
  return db.household.findFirst({
    where: { ...villageScope(viewer), OR: [{ headIdHash: hash }, { members: { some: { idHash: hash } } }] },
    select: { id: true, code: true },
  });
}

/** The full file, for the team; the read itself is audited. Null when it is not in the viewer's scope. */
export async function openHouseholdFile(viewer: Viewer, householdId: string, ip?: string) {
  const household = await db.household.findFirst({
    where: { id: householdId, ...villageScope(viewer) },
    select: {
      id: true,
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
      displayName: true,
      story: true,
      notes: true,
      village: { select: { name: true, nameEn: true } },
      members: { orderBy: { createdAt: "asc" }, select: { id: true, name: true, relation: true, ageBand: true, health: true, disability: true, schooling: true, employment: true, idMasked: true } },
      incomes: { orderBy: [{ year: "desc" }, { source: "asc" }], select: { year: true, source: true, amountFen: true, note: true } },
    },
  });
  if (household) await recordAudit(db, { actorId: viewer.id, action: "household.file.read", entityType: "Household", entityId: household.id, ip });
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

export class DuplicateHouseholdCodeError extends Error {}

export async function createHousehold(viewer: Viewer, villageId: string, input: HouseholdInput, idHashKey: string) {
  return db.$transaction(async (tx) => {
    if (await tx.household.findUnique({ where: { villageId_code: { villageId, code: input.code } }, select: { id: true } })) throw new DuplicateHouseholdCodeError();
    const household = await tx.household.create({ data: { villageId, ...fileData(input, idHashKey) }, select: { id: true } });
    await recordAudit(tx, { actorId: viewer.id, action: "household.create", entityType: "Household", entityId: household.id, changes: auditable(input) });
    return household;
  });
}

/** Saves a file and audits exactly the fields that changed (ID numbers by their masked form only). */
export async function updateHousehold(viewer: Viewer, householdId: string, input: HouseholdInput, idHashKey: string) {
  return db.$transaction(async (tx) => {
    const before = await tx.household.findFirst({ where: { id: householdId, ...villageScope(viewer) } });
    if (!before) return null;
    if (input.code !== before.code && (await tx.household.findUnique({ where: { villageId_code: { villageId: before.villageId, code: input.code } }, select: { id: true } }))) {
      throw new DuplicateHouseholdCodeError();
    }
    const data = fileData(input, idHashKey);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const [field, value] of Object.entries(data)) {
      if (field === "headIdHash") continue;
      const previous = (before as Record<string, unknown>)[field];
      if (previous !== value) changes[field] = { from: previous ?? null, to: value ?? null };
    }
    await tx.household.update({ where: { id: householdId }, data });
    if (Object.keys(changes).length) {
      await recordAudit(tx, { actorId: viewer.id, action: "household.update", entityType: "Household", entityId: householdId, changes: changes as Prisma.InputJsonValue });
    }
    return { changed: Object.keys(changes) };
  });
}

function auditable(input: HouseholdInput): Prisma.InputJsonValue {
  const { headIdNumber, ...rest } = input;
  return { ...rest, headIdMasked: headIdNumber ? maskIdNumber(headIdNumber) : null };
}

/** Sets one year's income from one source (wages, pensions, subsidies, land transfer …), audited. */
export async function setOtherIncome(viewer: Viewer, householdId: string, year: number, source: IncomeSource, amountFen: number) {
  return db.$transaction(async (tx) => {
    const household = await tx.household.findFirst({ where: { id: householdId, ...villageScope(viewer) }, select: { id: true } });
    if (!household) return false;
    await tx.householdIncome.upsert({
      where: { householdId_year_source: { householdId, year, source } },
      create: { householdId, year, source, amountFen },
      update: { amountFen },
    });
    await recordAudit(tx, { actorId: viewer.id, action: "household.income.set", entityType: "Household", entityId: householdId, changes: { year, source, amountFen } });
    return true;
  });
}

export const LEDGER_PAGE_SIZE = 50;

/**
 * The household's ledger, newest first, each entry with the balance after it (the sum of all entries up to it:
 * DOMAIN §5.5), and what caused it (the order number or the payout reference).
 */
export async function householdLedger(householdId: string, page: number) {
  const offset = (page - 1) * LEDGER_PAGE_SIZE;
  const [entries, [summary]] = await Promise.all([
    db.$queryRaw<{ id: bigint; kind: string; amountFen: number; occurredAt: Date; balanceFen: number; orderNumber: string | null; payoutReference: string | null }[]>`
      SELECT e."id", e."kind"::text AS "kind", e."amountFen", e."occurredAt",
        (SUM(e."amountFen") OVER (ORDER BY e."occurredAt", e."id"))::int AS "balanceFen",
        o."number" AS "orderNumber", p."reference" AS "payoutReference"
      FROM "LedgerEntry" e
      LEFT JOIN "Order" o ON o."id" = e."orderId"
      LEFT JOIN "Payout" p ON p."id" = e."payoutId"
      WHERE e."householdId" = ${householdId}
      ORDER BY e."occurredAt" DESC, e."id" DESC
      LIMIT ${LEDGER_PAGE_SIZE} OFFSET ${offset}`,
    db.$queryRaw<{ count: number; balanceFen: number }[]>`
      SELECT COUNT(*)::int AS "count", COALESCE(SUM("amountFen"), 0)::int AS "balanceFen" FROM "LedgerEntry" WHERE "householdId" = ${householdId}`,
  ]);
  return {
    entries: entries.map((e) => ({ ...e, id: String(e.id) })),
    balanceFen: summary?.balanceFen ?? 0,
    pages: Math.max(1, Math.ceil((summary?.count ?? 0) / LEDGER_PAGE_SIZE)),
  };
}

/** Consumption-assistance income (credits less reversals) per month of a year, in the shop's time zone. */
export async function householdMonthlyIncome(householdId: string, year: number) {
  const rows = await db.$queryRaw<{ month: number; incomeFen: number }[]>`
    SELECT EXTRACT(MONTH FROM "occurredAt" AT TIME ZONE 'Asia/Shanghai')::int AS "month", SUM("amountFen")::int AS "incomeFen"
    FROM "LedgerEntry"
    WHERE "householdId" = ${householdId} AND "kind" IN ('sale_credit', 'sale_reversal')
      AND EXTRACT(YEAR FROM "occurredAt" AT TIME ZONE 'Asia/Shanghai') = ${year}
    GROUP BY 1 ORDER BY 1`;
  return Array.from({ length: 12 }, (_, i) => ({ month: i + 1, incomeFen: rows.find((r) => r.month === i + 1)?.incomeFen ?? 0 }));
}

/**
 * The income picture of a year: consumption assistance (from the ledger) plus the other income recorded in the
 * file, per member, against the monitoring threshold (a per-capita yearly amount in settings).
 */
export async function incomePicture(householdId: string, year: number) {
  const [household, other, [assistance], threshold] = await Promise.all([
    db.household.findUniqueOrThrow({ where: { id: householdId }, select: { memberCount: true } }),
    db.householdIncome.aggregate({ where: { householdId, year }, _sum: { amountFen: true } }),
    db.$queryRaw<{ incomeFen: number }[]>`
      SELECT COALESCE(SUM("amountFen"), 0)::int AS "incomeFen" FROM "LedgerEntry"
      WHERE "householdId" = ${householdId} AND "kind" IN ('sale_credit', 'sale_reversal')
        AND EXTRACT(YEAR FROM "occurredAt" AT TIME ZONE 'Asia/Shanghai') = ${year}`,
    db.setting.findUnique({ where: { key: "monitoring.perCapitaThresholdFen" }, select: { value: true } }),
  ]);
  const assistanceFen = assistance?.incomeFen ?? 0;
  const otherFen = other._sum.amountFen ?? 0;
  const members = Math.max(1, household.memberCount);
  const perCapitaFen = Math.floor((assistanceFen + otherFen) / members);
  const thresholdFen = typeof threshold?.value === "number" ? threshold.value : null;
  return { year, assistanceFen, otherFen, totalFen: assistanceFen + otherFen, perCapitaFen, thresholdFen, belowThreshold: thresholdFen !== null && perCapitaFen < thresholdFen };
}
