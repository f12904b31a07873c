// What caused a line of a household's income ledger, for the work team: the order behind a credit or reversal (its
// lines, which lots and so which households filled them, its refunds, and every entry it wrote for this household),
// or the payout. The household must be in the viewer's scope; the other households of an order appear only as
// producers, by code and consented display name.
import { db } from "~/db/client.server";
import { notFound } from "~/domain/errors";
import { ledgerEntryLabel } from "./files.server";
import { villageScope, type Viewer } from "./scope.server";

export type LedgerCause = Awaited<ReturnType<typeof ledgerEntryCause>>;

/** Not found (404) when the entry is unknown, not this household's, or the household is outside the viewer's scope. */
export async function ledgerEntryCause(viewer: Viewer, householdId: string, entryId: string) {
  if (!/^\d{1,18}$/.test(entryId)) throw notFound();
  const entry = await db.ledgerEntry.findFirst({
    where: { id: BigInt(entryId), householdId, household: villageScope(viewer) },
    select: {
      kind: true,
      entryKey: true,
      amountFen: true,
      occurredAt: true,
      orderId: true,
      payoutId: true,
      household: { select: { id: true, code: true, headName: true } },
    },
  });
  if (!entry) throw notFound();
  const summary = {
    kind: ledgerEntryLabel(entry),
    amountFen: entry.amountFen,
    occurredAt: entry.occurredAt,
    household: entry.household!,
  };
  if (entry.payoutId) return { entry: summary, payout: await payoutCause(entry.payoutId), order: null };
  if (entry.orderId) return { entry: summary, payout: null, order: await orderCause(entry.orderId, householdId) };
  return { entry: summary, payout: null, order: null };
}

async function payoutCause(payoutId: string) {
  const payout = await db.payout.findUniqueOrThrow({
    where: { id: payoutId },
    select: { amountFen: true, method: true, reference: true, paidOn: true, createdAt: true, createdById: true },
  });
  const { createdById, ...shown } = payout;
  const recordedBy = await db.user.findUnique({ where: { id: createdById }, select: { name: true } });
  return { ...shown, recordedBy: recordedBy?.name ?? null };
}

async function orderCause(orderId: string, householdId: string) {
  const [order, entries] = await Promise.all([
    db.order.findUniqueOrThrow({
      where: { id: orderId },
      select: {
        number: true,
        status: true,
        fulfilmentStatus: true,
        totalFen: true,
        createdAt: true,
        paidAt: true,
        unit: { select: { name: true, nameEn: true } },
        groupOrder: { select: { title: true } },
        lines: {
          orderBy: { id: "asc" },
          select: {
            id: true,
            quantity: true,
            refundedQuantity: true,
            unitPriceFen: true,
            lineTotalFen: true,
            feeRateBp: true,
            sku: { select: { nameZh: true, nameEn: true, product: { select: { nameZh: true, nameEn: true } } } },
            allocations: {
              orderBy: { createdAt: "asc" },
              select: {
                id: true,
                quantity: true,
                refundedQuantity: true,
                replacedById: true,
                lot: {
                  select: {
                    code: true,
                    householdId: true,
                    household: { select: { code: true, displayName: true, consentToDisplay: true } },
                  },
                },
              },
            },
          },
        },
        refunds: { orderBy: { createdAt: "asc" }, select: { id: true, amountFen: true, reason: true, createdAt: true } },
      },
    }),
    db.ledgerEntry.findMany({
      where: { orderId, householdId },
      orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
      select: { id: true, kind: true, entryKey: true, amountFen: true, occurredAt: true },
    }),
  ]);
  return {
    ...order,
    lines: order.lines.map((line) => ({
      ...line,
      allocations: line.allocations.map(({ lot, ...allocation }) => ({
        ...allocation,
        lotCode: lot.code,
        thisHousehold: lot.householdId === householdId,
        producer: { code: lot.household.code, displayName: lot.household.consentToDisplay ? lot.household.displayName : null },
      })),
    })),
    entries: entries.map(({ entryKey, ...e }) => ({ ...e, id: String(e.id), kind: ledgerEntryLabel({ kind: e.kind, entryKey }) })),
  };
}
