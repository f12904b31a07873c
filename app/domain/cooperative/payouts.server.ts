// Payouts to households (DOMAIN §6: recorded by the cooperative, cash or bank transfer — never sent through
// Stripe). A payout is a negative `payout` ledger entry and can never exceed the household's balance, the sum of its
// ledger entries (§5.5). The household's row is locked (SELECT … FOR UPDATE) before the balance is read, so two
// concurrent payouts queue and the second sees the first's entry. A retried request (same idempotency key) answers
// with the payout already recorded.
import { db, Prisma } from "~/db/client.server";
import { isUniqueViolation } from "~/db/errors.server";
import type { PayoutMethod } from "~/db/generated/client";
import { recordAudit } from "~/domain/audit.server";
import { DomainError } from "~/domain/errors";
import { formatFen } from "~/domain/money";
import { pageCount, pageRows } from "~/domain/pages";
import { assertHouseholdOfVillage } from "./scope.server";

export type PayoutRequest = {
  householdId: string;
  amountFen: number;
  method: PayoutMethod;
  reference: string;
  paidOn: Date;
  idempotencyKey: string;
  actor: { id: string; villageId: string | null };
  now?: Date;
};

export type PayoutResult = { payoutId: string; balanceAfterFen: number; replayed: boolean };

export async function householdBalance(client: Prisma.TransactionClient | typeof db, householdId: string) {
  const [row] = await client.$queryRaw<{ balance: number }[]>`
    SELECT COALESCE(SUM("amountFen"), 0)::int AS "balance" FROM "LedgerEntry" WHERE "householdId" = ${householdId}`;
  return row?.balance ?? 0;
}

export async function recordPayout(request: PayoutRequest): Promise<PayoutResult> {
  if (!Number.isSafeInteger(request.amountFen) || request.amountFen <= 0)
    throw new DomainError("cooperative.errors.amount", { field: "amount" });
  const key = `${request.householdId}:${request.idempotencyKey}`;
  const replay = await findReplay(key, request);
  if (replay) return replay;
  try {
    return await db.$transaction(async (tx) => {
      const cooperative = await assertHouseholdOfVillage(tx, request.householdId, request.actor.villageId);
      await tx.$queryRaw`SELECT "id" FROM "Household" WHERE "id" = ${request.householdId} FOR UPDATE`;
      const balance = await householdBalance(tx, request.householdId);
      if (request.amountFen > balance)
        throw new DomainError("cooperative.errors.overBalance", { status: 409, field: "amount", params: { amount: formatFen(balance) } });
      const now = request.now ?? new Date();
      const payout = await tx.payout.create({
        data: {
          householdId: request.householdId,
          amountFen: request.amountFen,
          method: request.method,
          reference: request.reference,
          paidOn: request.paidOn,
          idempotencyKey: key,
          createdById: request.actor.id,
          createdAt: now,
        },
        select: { id: true },
      });
      await tx.ledgerEntry.create({
        data: {
          entryKey: `payout:${payout.id}`,
          kind: "payout",
          householdId: request.householdId,
          cooperativeId: cooperative.id,
          amountFen: -request.amountFen,
          payoutId: payout.id,
          occurredAt: now,
        },
      });
      await recordAudit(tx, {
        actorId: request.actor.id,
        action: "payout.record",
        entityType: "Household",
        entityId: request.householdId,
        changes: { payoutId: payout.id, amountFen: request.amountFen, method: request.method, reference: request.reference },
      });
      return { payoutId: payout.id, balanceAfterFen: balance - request.amountFen, replayed: false };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      const winner = await findReplay(key, request);
      if (winner) return winner;
    }
    throw error;
  }
}

async function findReplay(key: string, request: PayoutRequest): Promise<PayoutResult | null> {
  const payout = await db.payout.findUnique({ where: { idempotencyKey: key }, select: { id: true, amountFen: true } });
  if (!payout) return null;
  if (payout.amountFen !== request.amountFen) throw new DomainError("cooperative.errors.keyReused", { status: 409 });
  return { payoutId: payout.id, balanceAfterFen: await householdBalance(db, request.householdId), replayed: true };
}

/** A producer of the coop user's village (code and display name only), its balance and its payouts, newest first. */
export async function householdPayouts(actor: { villageId: string | null }, householdId: string, { page = 1, pageSize = 20 } = {}) {
  await assertHouseholdOfVillage(db, householdId, actor.villageId);
  const [household, balanceFen, payouts, total] = await Promise.all([
    db.household.findUniqueOrThrow({ where: { id: householdId }, select: { id: true, code: true, displayName: true } }),
    householdBalance(db, householdId),
    db.payout.findMany({
      where: { householdId },
      orderBy: { createdAt: "desc" },
      ...pageRows(page, pageSize),
      select: { id: true, amountFen: true, method: true, reference: true, paidOn: true },
    }),
    db.payout.count({ where: { householdId } }),
  ]);
  return { household, balanceFen, payouts, page, pages: pageCount(total, pageSize) };
}
