// The receipt (收款凭证) the household head signs when the cooperative pays out: the amount in figures and in Chinese
// capitals, the household as the cooperative knows it (code and display name: DOMAIN §7), the period the payout
// settles, the method and the reference. The period runs from the day after the household's previous payout (or from
// its first credit) to this payout's date, so consecutive receipts tile the household's history. Printing is
// repeatable; each print is numbered and audited on the household, so a reprint says it is one.
import { db } from "~/db/client.server";
import type { Role } from "~/db/generated/client";
import { recordAudit } from "~/domain/audit.server";
import { forbidden, notFound } from "~/domain/errors";
import { fenInChineseWords } from "~/domain/money-words";
import { addCalendarDays, isoDay, shopDateOf } from "~/utils/dates";

type Viewer = { id: string; roles: Role[]; villageId: string | null };

export async function printPayoutReceipt(viewer: Viewer, payoutId: string) {
  const payout = await db.payout.findUnique({
    where: { id: payoutId },
    select: {
      id: true,
      householdId: true,
      amountFen: true,
      method: true,
      reference: true,
      paidOn: true,
      createdAt: true,
      createdById: true,
      household: {
        select: {
          code: true,
          displayName: true,
          consentToDisplay: true,
          villageId: true,
          village: { select: { name: true, nameEn: true, cooperative: { select: { name: true, nameEn: true } } } },
        },
      },
    },
  });
  if (!payout) throw notFound();
  if (!viewer.roles.includes("admin") && payout.household.villageId !== viewer.villageId) throw forbidden();

  const [previous, firstCredit, [balance], recorder] = await Promise.all([
    db.payout.findFirst({
      where: {
        householdId: payout.householdId,
        OR: [{ paidOn: { lt: payout.paidOn } }, { paidOn: payout.paidOn, createdAt: { lt: payout.createdAt } }],
      },
      orderBy: [{ paidOn: "desc" }, { createdAt: "desc" }],
      select: { paidOn: true },
    }),
    db.ledgerEntry.findFirst({
      where: { householdId: payout.householdId, kind: "sale_credit" },
      orderBy: { occurredAt: "asc" },
      select: { occurredAt: true },
    }),
    // What the cooperative held for the household right after this payout: its entries up to the payout's own.
    db.$queryRaw<{ balanceFen: number }[]>`
      SELECT COALESCE(SUM(e."amountFen"), 0)::int AS "balanceFen" FROM "LedgerEntry" e
      WHERE e."householdId" = ${payout.householdId}
        AND e."id" <= (SELECT p."id" FROM "LedgerEntry" p WHERE p."payoutId" = ${payout.id} AND p."kind" = 'payout')`,
    db.user.findUnique({ where: { id: payout.createdById }, select: { name: true } }),
  ]);
  const to = isoDay(payout.paidOn);
  const from = previous
    ? [addCalendarDays(isoDay(previous.paidOn), 1), to].sort()[0]!
    : firstCredit
      ? [shopDateOf(firstCredit.occurredAt), to].sort()[0]!
      : to;

  // The payout's row lock numbers concurrent prints one after the other.
  const printNumber = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Payout" WHERE "id" = ${payout.id} FOR UPDATE`;
    const before = await tx.auditLog.count({
      where: {
        entityType: "Household",
        entityId: payout.householdId,
        action: "payout.receipt.print",
        changes: { path: ["payoutId"], equals: payout.id },
      },
    });
    await recordAudit(tx, {
      actorId: viewer.id,
      action: "payout.receipt.print",
      entityType: "Household",
      entityId: payout.householdId,
      changes: { payoutId: payout.id, printNumber: before + 1 },
    });
    return before + 1;
  });

  const { household } = payout;
  return {
    number: `SK${to.replace(/-/g, "")}-${payout.id.slice(-8).toUpperCase()}`,
    householdId: payout.householdId,
    household: { code: household.code, displayName: household.consentToDisplay ? household.displayName : null },
    payer: household.village.cooperative ?? { name: household.village.name, nameEn: household.village.nameEn },
    amountFen: payout.amountFen,
    amountWords: fenInChineseWords(payout.amountFen),
    method: payout.method,
    reference: payout.reference,
    paidOn: to,
    period: { from, to },
    balanceAfterFen: balance?.balanceFen ?? 0,
    recordedBy: recorder?.name ?? null,
    printNumber,
    printedAt: new Date(),
  };
}
