// The ledger audit (DOMAIN §5.2, §5.3, §5.6): recompute what every household and the cooperative should have been
// credited from orders, allocations, refunds and payouts alone, compare with the ledger, and list every difference.
// It shares the split and refund rules with the code that wrote the ledger (money.ts) but none of its bookkeeping,
// so a bug in how entries are written — a missed, doubled or wrong entry — shows up here. Paid lines are read in
// chunks by id and each chunk's line totals checked against the ledger at once; payouts and the ledger's accounts
// are summed in SQL.
import { db } from "~/db/client.server";
import { reversalForRefund, splitLineTotal } from "~/domain/ledger/split";

export type AuditDifference = {
  account: string;
  kind: "household_income" | "cooperative_fee" | "payouts" | "line_total";
  expectedFen: number;
  ledgerFen: number;
};

type Totals = { income: number; fee: number; payouts: number };

/** Paid lines are read this many at a time, so the audit's memory grows with the accounts, not with the sales. */
export const AUDIT_CHUNK = 1_000;

export async function auditLedger({ chunk = AUDIT_CHUNK } = {}): Promise<{ householdsSeen: number; differences: AuditDifference[] }> {
  const expected = new Map<string, Totals>();
  const totalsFor = (account: string) => {
    let totals = expected.get(account);
    if (!totals) expected.set(account, (totals = { income: 0, fee: 0, payouts: 0 }));
    return totals;
  };
  const differences: AuditDifference[] = [];

  for (let cursor = ""; ;) {
    const lines = await db.orderLine.findMany({
      where: { id: { gt: cursor }, order: { paidAt: { not: null }, status: { in: ["paid", "refunded"] } } },
      orderBy: { id: "asc" },
      take: chunk,
      select: {
        id: true,
        lineTotalFen: true,
        feeRateBp: true,
        sku: { select: { product: { select: { cooperativeId: true } } } },
        allocations: {
          where: { OR: [{ releasedAt: null }, { replacedById: { not: null } }] },
          orderBy: [{ lot: { bestBefore: "asc" } }, { lot: { code: "asc" } }],
          select: {
            id: true,
            quantity: true,
            refundedQuantity: true,
            releasedAt: true,
            replacedById: true,
            lot: { select: { householdId: true } },
          },
        },
      },
    });
    if (lines.length === 0) break;
    cursor = lines[lines.length - 1]!.id;
    const lineExpected = new Map<string, number>();
    for (const line of lines) {
      const live = movedAllocationChains(line.allocations);
      if (live.length === 0) continue;
      const cooperative = `cooperative:${line.sku.product.cooperativeId}`;
      const parts = splitLineTotal(
        line.lineTotalFen,
        line.feeRateBp,
        live.map((chain) => ({ key: chain, quantity: chain[0]!.quantity })),
      );
      let total = 0;
      for (const part of parts) {
        const share = passedDown(part.key, part, line.feeRateBp);
        const current = part.key[part.key.length - 1]!;
        const refunded = current.refundedQuantity;
        const reversed = refunded > 0 ? reversalForRefund(share, line.feeRateBp, 0, refunded) : { feeFen: 0, householdFen: 0 };
        totalsFor(`household:${current.lot.householdId}`).income += share.shareFen - share.feeFen - reversed.householdFen;
        totalsFor(cooperative).fee += share.feeFen - reversed.feeFen;
        total += share.shareFen - reversed.householdFen - reversed.feeFen;
      }
      lineExpected.set(line.id, total);
    }
    // Per paid line, everything the ledger holds for it must add up to the line total of the units still sold.
    const ids = [...lineExpected.keys()];
    const byLine = await db.$queryRaw<{ lineId: string; total: number }[]>`
      SELECT a."orderLineId" AS "lineId", SUM(e."amountFen")::int AS "total"
      FROM "LedgerEntry" e JOIN "Allocation" a ON a."id" = e."allocationId"
      WHERE e."kind" IN ('sale_credit', 'sale_reversal', 'fee', 'fee_reversal') AND a."orderLineId" = ANY(${ids}::text[])
      GROUP BY a."orderLineId"`;
    const ledgerLineTotals = new Map(byLine.map((row) => [row.lineId, row.total]));
    for (const [lineId, expectedFen] of lineExpected) {
      const ledgerFen = ledgerLineTotals.get(lineId) ?? 0;
      if (ledgerFen !== expectedFen) differences.push({ account: `line:${lineId}`, kind: "line_total", expectedFen, ledgerFen });
    }
  }

  const payouts = await db.$queryRaw<{ householdId: string; total: number }[]>`
    SELECT "householdId", SUM("amountFen")::int AS "total" FROM "Payout" GROUP BY 1`;
  for (const payout of payouts) totalsFor(`household:${payout.householdId}`).payouts -= payout.total;

  const ledger = await db.$queryRaw<{ account: string; income: number; fee: number; payouts: number }[]>`
    SELECT CASE WHEN "householdId" IS NULL THEN 'cooperative:' || "cooperativeId" ELSE 'household:' || "householdId" END AS "account",
      COALESCE(SUM("amountFen") FILTER (WHERE "kind" IN ('sale_credit', 'sale_reversal')), 0)::int AS "income",
      COALESCE(SUM("amountFen") FILTER (WHERE "kind" IN ('fee', 'fee_reversal')), 0)::int AS "fee",
      COALESCE(SUM("amountFen") FILTER (WHERE "kind" = 'payout'), 0)::int AS "payouts"
    FROM "LedgerEntry" GROUP BY 1`;
  const actual = new Map(ledger.map((row) => [row.account, row]));

  for (const account of new Set([...expected.keys(), ...actual.keys()])) {
    const want = expected.get(account) ?? { income: 0, fee: 0, payouts: 0 };
    const have = actual.get(account) ?? { income: 0, fee: 0, payouts: 0 };
    if (want.income !== have.income)
      differences.push({ account, kind: "household_income", expectedFen: want.income, ledgerFen: have.income });
    if (want.fee !== have.fee) differences.push({ account, kind: "cooperative_fee", expectedFen: want.fee, ledgerFen: have.fee });
    if (want.payouts !== have.payouts) differences.push({ account, kind: "payouts", expectedFen: want.payouts, ledgerFen: have.payouts });
  }

  const householdsSeen = new Set([...expected.keys(), ...actual.keys()].filter((a) => a.startsWith("household:"))).size;
  return { householdsSeen, differences };
}

type AuditedAllocation = { id: string; quantity: number; refundedQuantity: number; releasedAt: Date | null; replacedById: string | null };

/**
 * Each live allocation with the allocations it replaced (moved to another lot), first to last. The first of each
 * chain is what the payment split the line over (a move before payment keeps the quantity, since nothing can be
 * refunded yet); allocations released without a successor (expired, cancelled) were never credited and drop out.
 */
function movedAllocationChains<A extends AuditedAllocation>(allocations: A[]) {
  const replacedBy = new Map(allocations.filter((a) => a.replacedById).map((a) => [a.replacedById!, a]));
  return allocations
    .filter((a) => a.releasedAt === null)
    .map((current) => {
      const chain = [current];
      for (let previous = replacedBy.get(current.id); previous; previous = replacedBy.get(previous.id)) chain.unshift(previous);
      return chain;
    });
}

/**
 * The share a chain's current allocation holds: the payment's split of the first, then at every move what refunding
 * all units left would have taken back (DOMAIN §5.3) — the old household loses it and the new one is credited it.
 * An allocation moved away nets to zero (credit less refund and move reversals), so only the last one counts.
 */
function passedDown(chain: AuditedAllocation[], first: { shareFen: number; feeFen: number }, feeRateBp: number) {
  let share = { quantity: chain[0]!.quantity, shareFen: first.shareFen, feeFen: first.feeFen };
  for (const moved of chain.slice(0, -1)) {
    const left = moved.quantity - moved.refundedQuantity;
    const passed = reversalForRefund(share, feeRateBp, moved.refundedQuantity, left);
    share = { quantity: left, shareFen: passed.shareFen, feeFen: passed.feeFen };
  }
  return share;
}

/** Runs the audit and keeps its result, which the work team sees in the app. */
export async function runAndRecordLedgerAudit() {
  const startedAt = new Date();
  const result = await auditLedger();
  await db.ledgerAuditRun.create({
    data: {
      startedAt,
      finishedAt: new Date(),
      householdsSeen: result.householdsSeen,
      differenceCount: result.differences.length,
      differences: result.differences,
    },
  });
  return result;
}

export function lastLedgerAudit() {
  return db.ledgerAuditRun.findFirst({
    orderBy: { finishedAt: "desc" },
    select: { finishedAt: true, householdsSeen: true, differenceCount: true },
  });
}
