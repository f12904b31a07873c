// Stock lots from the cooperative's side: receive a lot from a household, list lots with what is left, reserved and
// sold, and write units off. The cooperative sees households only as producers — code and display name — never the
// personal data of their files (DOMAIN §7). The CHECK constraint on StockLot (allocated + written off <= received)
// is the last line of defence; the guarded UPDATE here gives the clear answer first.
import { randomBytes } from "node:crypto";
import { db } from "~/db/client.server";
import { isCheckViolation, isUniqueViolation } from "~/db/errors.server";
import { recordAudit } from "~/domain/audit.server";
import { DomainError, notFound, type Refusal } from "~/domain/errors";
import { pageCount, pageRows } from "~/domain/pages";
import type { ReceiveLotInput } from "./schemas";
import { cooperativeForVillage, missing, otherVillage } from "./scope.server";

type Actor = { id: string; villageId: string | null };

/** Households of the coop user's village as producers only: code and consented display name. */
export async function searchProducers(actor: Actor, q: string, take = 20) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  const query = q.trim();
  return db.household.findMany({
    where: {
      villageId: cooperative.villageId,
      ...(query
        ? { OR: [{ code: { contains: query, mode: "insensitive" } }, { displayName: { contains: query, mode: "insensitive" } }] }
        : {}),
    },
    orderBy: { code: "asc" },
    take,
    select: { id: true, code: true, displayName: true },
  });
}

/** SKUs of the coop's own products, for the receive form. */
export async function cooperativeSkus(actor: Actor) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  return db.sku.findMany({
    where: { product: { cooperativeId: cooperative.id } },
    orderBy: { code: "asc" },
    select: { id: true, code: true, nameZh: true, nameEn: true, product: { select: { nameZh: true, nameEn: true } } },
  });
}

function lotCode(receivedOn: Date) {
  const mmdd = receivedOn.toISOString().slice(5, 10).replace("-", "");
  return `L-${mmdd}-${randomBytes(3).toString("hex").toUpperCase()}`;
}

/**
 * Records a lot received from a household of the coop's village, of one of the coop's own SKUs. A resubmitted form
 * (same key) answers with the lot it already recorded, `replayed`.
 */
export async function receiveLot(actor: Actor, input: ReceiveLotInput) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  const [sku, household] = await Promise.all([
    db.sku.findFirst({ where: { id: input.skuId, product: { cooperativeId: cooperative.id } }, select: { id: true } }),
    db.household.findFirst({ where: { id: input.householdId, villageId: cooperative.villageId }, select: { id: true } }),
  ]);
  if (!sku || !household) {
    const refusals: Refusal[] = [];
    if (!sku) refusals.push({ code: "cooperative.errors.sku", field: "skuId" });
    if (!household) refusals.push({ code: "cooperative.errors.household", field: "householdId" });
    throw DomainError.of(refusals as [Refusal, ...Refusal[]]);
  }
  // Keys are the actor's own, so one user's key can never answer with another's lot.
  const key = `${actor.id}:${input.idempotencyKey}`;
  const lotSelect = { id: true, code: true, traceCode: true } as const;
  const existing = await db.stockLot.findUnique({ where: { idempotencyKey: key }, select: lotSelect });
  if (existing) return { lot: existing, replayed: true };
  try {
    const lot = await db.$transaction(async (tx) => {
      const created = await tx.stockLot.create({
        data: {
          code: lotCode(input.receivedOn),
          traceCode: randomBytes(9).toString("base64url"),
          skuId: sku.id,
          householdId: household.id,
          quantityReceived: input.quantity,
          producedOn: input.producedOn,
          receivedOn: input.receivedOn,
          bestBefore: input.bestBefore,
          notes: input.notes || null,
          idempotencyKey: key,
        },
        select: lotSelect,
      });
      await recordAudit(tx, {
        actorId: actor.id,
        action: "lot.receive",
        entityType: "StockLot",
        entityId: created.id,
        changes: { quantity: input.quantity },
      });
      return created;
    });
    return { lot, replayed: false };
  } catch (error) {
    // A concurrent resubmission won the key: answer with its lot.
    const winner = isUniqueViolation(error) ? await db.stockLot.findUnique({ where: { idempotencyKey: key }, select: lotSelect }) : null;
    if (winner) return { lot: winner, replayed: true };
    throw error;
  }
}

export type LotRow = {
  id: string;
  code: string;
  skuCode: string;
  skuNameZh: string;
  skuNameEn: string;
  householdCode: string;
  householdDisplayName: string | null;
  receivedOn: Date;
  bestBefore: Date;
  quantityReceived: number;
  quantityWrittenOff: number;
  remaining: number;
  reserved: number;
  sold: number;
};

/**
 * The coop's lots, newest first, with remaining (received − allocated − written off), reserved (held by unpaid
 * orders) and sold (held by paid orders, less refunded units).
 */
export async function listLots(actor: Actor, { page = 1, pageSize = 25 } = {}) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  const { skip, take } = pageRows(page, pageSize);
  const [rows, [count]] = await Promise.all([
    db.$queryRaw<LotRow[]>`
      SELECT l."id", l."code", s."code" AS "skuCode", s."nameZh" AS "skuNameZh", s."nameEn" AS "skuNameEn",
        h."code" AS "householdCode", h."displayName" AS "householdDisplayName", l."receivedOn", l."bestBefore",
        l."quantityReceived", l."quantityWrittenOff",
        "free_units"(l) AS "remaining",
        COALESCE((SELECT SUM(a."quantity" - a."refundedQuantity") FROM "Allocation" a JOIN "OrderLine" ol ON ol."id" = a."orderLineId"
          JOIN "Order" o ON o."id" = ol."orderId" WHERE a."lotId" = l."id" AND a."releasedAt" IS NULL AND o."status" = 'pending_payment'), 0)::int AS "reserved",
        COALESCE((SELECT SUM(a."quantity" - a."refundedQuantity") FROM "Allocation" a JOIN "OrderLine" ol ON ol."id" = a."orderLineId"
          JOIN "Order" o ON o."id" = ol."orderId" WHERE a."lotId" = l."id" AND a."releasedAt" IS NULL AND o."status" IN ('paid', 'refunded')), 0)::int AS "sold"
      FROM "StockLot" l JOIN "Sku" s ON s."id" = l."skuId" JOIN "Product" p ON p."id" = s."productId" JOIN "Household" h ON h."id" = l."householdId"
      WHERE p."cooperativeId" = ${cooperative.id}
      ORDER BY l."receivedOn" DESC, l."code" DESC
      LIMIT ${take} OFFSET ${skip}`,
    db.$queryRaw<{ total: number }[]>`
      SELECT COUNT(*)::int AS "total" FROM "StockLot" l JOIN "Sku" s ON s."id" = l."skuId" JOIN "Product" p ON p."id" = s."productId"
      WHERE p."cooperativeId" = ${cooperative.id}`,
  ]);
  const total = count?.total ?? 0;
  return { lots: rows, total, page, pages: pageCount(total, pageSize) };
}

/** Refuses a write-off of more than the lot's `available` units, on the quantity field. */
const tooMany = (available: number) =>
  new DomainError("cooperative.errors.writeOffTooMany", { status: 409, field: "quantity", params: { count: available } });

/**
 * Writes units of a lot off (spoiled, damaged), never into what is reserved or sold: one guarded UPDATE under the
 * lot's row lock, so a checkout taking units at the same moment cannot be overtaken. The request's key is the
 * actor's and the lot's own: the write-off forms of one page share a key, and each lot's is written once.
 */
export async function writeOffLot(actor: Actor, input: { lotId: string; quantity: number; reason: string; idempotencyKey: string }) {
  if (!Number.isSafeInteger(input.quantity) || input.quantity <= 0)
    throw new DomainError("cooperative.errors.quantity", { field: "quantity" });
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  const key = `${actor.id}:${input.lotId}:${input.idempotencyKey}`;
  return db.$transaction(async (tx) => {
    const [lot] = await tx.$queryRaw<{ cooperativeId: string; available: number }[]>`
      SELECT p."cooperativeId", "free_units"(l) AS "available"
      FROM "StockLot" l JOIN "Sku" s ON s."id" = l."skuId" JOIN "Product" p ON p."id" = s."productId"
      WHERE l."id" = ${input.lotId} FOR UPDATE OF l`;
    if (!lot) throw missing();
    if (lot.cooperativeId !== cooperative.id) throw otherVillage();
    // Under the lot's lock, so a resubmission waits for the first and then finds its write-off.
    const done = await tx.stockWriteOff.findUnique({ where: { idempotencyKey: key }, select: { id: true, quantity: true } });
    if (done) return { writeOffId: done.id, quantity: done.quantity, availableAfter: lot.available, replayed: true };
    if (input.quantity > lot.available) throw tooMany(lot.available);
    try {
      await tx.$executeRaw`UPDATE "StockLot" SET "quantityWrittenOff" = "quantityWrittenOff" + ${input.quantity} WHERE "id" = ${input.lotId}`;
    } catch (error) {
      if (isCheckViolation(error)) throw tooMany(lot.available);
      throw error;
    }
    const writeOff = await tx.stockWriteOff.create({
      data: { lotId: input.lotId, quantity: input.quantity, reason: input.reason, createdById: actor.id, idempotencyKey: key },
      select: { id: true },
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "lot.write_off",
      entityType: "StockLot",
      entityId: input.lotId,
      changes: { quantity: input.quantity, reason: input.reason },
    });
    return { writeOffId: writeOff.id, quantity: input.quantity, availableAfter: lot.available - input.quantity, replayed: false };
  });
}

const TRACE_CODE = /^[A-Za-z0-9_-]{4,64}$/;

/**
 * The public traceability record behind a lot's QR label (/trace/<traceCode>): product, lot and dates, the
 * village, and the producing household only as far as it agreed to be shown (display name and story) — never a
 * name, ID, phone or address from its file (DOMAIN §7). 404 for an unknown code, or one that cannot be one.
 */
export async function traceLot(traceCode: string) {
  if (!TRACE_CODE.test(traceCode)) throw notFound("cooperative.trace.notFound");
  const lot = await db.stockLot.findUnique({
    where: { traceCode },
    select: {
      code: true,
      producedOn: true,
      receivedOn: true,
      bestBefore: true,
      sku: {
        select: {
          nameZh: true,
          nameEn: true,
          product: { select: { nameZh: true, nameEn: true, cooperative: { select: { name: true, nameEn: true } } } },
        },
      },
      household: {
        select: {
          consentToDisplay: true,
          displayName: true,
          story: true,
          storyEn: true,
          village: { select: { name: true, nameEn: true, county: true } },
        },
      },
    },
  });
  if (!lot) throw notFound("cooperative.trace.notFound");
  const { household, ...rest } = lot;
  const consented = household.consentToDisplay;
  return {
    ...rest,
    village: household.village,
    producer: consented ? { displayName: household.displayName, story: household.story, storyEn: household.storyEn } : null,
  };
}
