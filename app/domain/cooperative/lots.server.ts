// Stock lots from the cooperative's side: receive a lot from a household, list lots with what is left, reserved and
// sold, and write units off. The cooperative sees households only as producers — code and display name — never the
// personal data of their files (DOMAIN §7). The CHECK constraint on StockLot (allocated + written off <= received)
// is the last line of defence; the guarded UPDATE here gives the clear answer first.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { db } from "~/db/client.server";
import { isCheckViolation, isUniqueViolation } from "~/db/errors.server";
import { recordAudit } from "~/domain/audit.server";
import { cooperativeForVillage, CooperativeAccessError } from "./scope.server";

const isoDate = z
  .string({ error: "cooperative.errors.date" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "cooperative.errors.date")
  .transform((value) => new Date(`${value}T00:00:00Z`))
  .refine((date) => !Number.isNaN(date.getTime()), "cooperative.errors.date");

const wholeUnits = z.coerce
  .number({ error: "cooperative.errors.quantity" })
  .refine((n) => Number.isInteger(n) && n >= 1 && n <= 100_000, "cooperative.errors.quantity");

/** The receive-a-lot form; messages are i18n keys. Best-before before the received date is refused. */
export const ReceiveLotSchema = z
  .object({
    skuId: z.string({ error: "cooperative.errors.sku" }).min(1, "cooperative.errors.sku"),
    householdId: z.string({ error: "cooperative.errors.household" }).min(1, "cooperative.errors.household"),
    quantity: wholeUnits,
    producedOn: isoDate,
    receivedOn: isoDate,
    bestBefore: isoDate,
    notes: z.string().trim().max(500).optional(),
    idempotencyKey: z.uuid("errors.staleForm"),
  })
  // Run even when another field is wrong (`when`), so the form shows every problem at once.
  .refine((lot) => lot.bestBefore >= lot.receivedOn, {
    path: ["bestBefore"],
    message: "cooperative.errors.bestBeforeBeforeReceived",
    when: ({ value }) => areDates(value, "receivedOn", "bestBefore"),
  })
  .refine((lot) => lot.producedOn <= lot.receivedOn, {
    path: ["producedOn"],
    message: "cooperative.errors.producedAfterReceived",
    when: ({ value }) => areDates(value, "producedOn", "receivedOn"),
  });

function areDates(value: unknown, ...keys: string[]) {
  return (
    typeof value === "object" &&
    value !== null &&
    keys.every(
      (key) =>
        (value as Record<string, unknown>)[key] instanceof Date &&
        !Number.isNaN(((value as Record<string, unknown>)[key] as Date).getTime()),
    )
  );
}

export type ReceiveLotInput = z.output<typeof ReceiveLotSchema>;

export const WriteOffSchema = z.object({
  lotId: z.string().min(1),
  quantity: wholeUnits,
  reason: z.string({ error: "cooperative.errors.reason" }).trim().min(2, "cooperative.errors.reason").max(200, "cooperative.errors.reason"),
  idempotencyKey: z.uuid("errors.staleForm"),
});

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

export type ReceiveLotFailure = "sku" | "household";

/** Records a lot received from a household of the coop's village, of one of the coop's own SKUs. */
export async function receiveLot(actor: Actor, input: ReceiveLotInput) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  const [sku, household] = await Promise.all([
    db.sku.findFirst({ where: { id: input.skuId, product: { cooperativeId: cooperative.id } }, select: { id: true } }),
    db.household.findFirst({ where: { id: input.householdId, villageId: cooperative.villageId }, select: { id: true } }),
  ]);
  if (!sku) return { ok: false as const, field: "skuId" as const, message: "cooperative.errors.sku" as const };
  if (!household) return { ok: false as const, field: "householdId" as const, message: "cooperative.errors.household" as const };
  // Keys are the actor's own, so one user's key can never answer with another's lot.
  const key = `${actor.id}:${input.idempotencyKey}`;
  const lotSelect = { id: true, code: true, traceCode: true } as const;
  const existing = await db.stockLot.findUnique({ where: { idempotencyKey: key }, select: lotSelect });
  if (existing) return { ok: true as const, lot: existing, replayed: true };
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
    return { ok: true as const, lot, replayed: false };
  } catch (error) {
    // A concurrent resubmission won the key: answer with its lot.
    const winner = isUniqueViolation(error) ? await db.stockLot.findUnique({ where: { idempotencyKey: key }, select: lotSelect }) : null;
    if (winner) return { ok: true as const, lot: winner, replayed: true };
    throw error;
  }
}

export type LotRow = {
  id: string;
  code: string;
  traceCode: string;
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
  const offset = (page - 1) * pageSize;
  const [rows, [count]] = await Promise.all([
    db.$queryRaw<LotRow[]>`
      SELECT l."id", l."code", l."traceCode", s."code" AS "skuCode", s."nameZh" AS "skuNameZh", s."nameEn" AS "skuNameEn",
        h."code" AS "householdCode", h."displayName" AS "householdDisplayName", l."receivedOn", l."bestBefore",
        l."quantityReceived", l."quantityWrittenOff",
        (l."quantityReceived" - l."quantityAllocated" - l."quantityWrittenOff") AS "remaining",
        COALESCE((SELECT SUM(a."quantity" - a."refundedQuantity") FROM "Allocation" a JOIN "OrderLine" ol ON ol."id" = a."orderLineId"
          JOIN "Order" o ON o."id" = ol."orderId" WHERE a."lotId" = l."id" AND a."releasedAt" IS NULL AND o."status" = 'pending_payment'), 0)::int AS "reserved",
        COALESCE((SELECT SUM(a."quantity" - a."refundedQuantity") FROM "Allocation" a JOIN "OrderLine" ol ON ol."id" = a."orderLineId"
          JOIN "Order" o ON o."id" = ol."orderId" WHERE a."lotId" = l."id" AND a."releasedAt" IS NULL AND o."status" IN ('paid', 'refunded')), 0)::int AS "sold"
      FROM "StockLot" l JOIN "Sku" s ON s."id" = l."skuId" JOIN "Product" p ON p."id" = s."productId" JOIN "Household" h ON h."id" = l."householdId"
      WHERE p."cooperativeId" = ${cooperative.id}
      ORDER BY l."receivedOn" DESC, l."code" DESC
      LIMIT ${pageSize} OFFSET ${offset}`,
    db.$queryRaw<{ total: number }[]>`
      SELECT COUNT(*)::int AS "total" FROM "StockLot" l JOIN "Sku" s ON s."id" = l."skuId" JOIN "Product" p ON p."id" = s."productId"
      WHERE p."cooperativeId" = ${cooperative.id}`,
  ]);
  const total = count?.total ?? 0;
  return { lots: rows, total, page, pages: Math.max(1, Math.ceil(total / pageSize)) };
}

export class WriteOffError extends Error {
  constructor(readonly available: number) {
    super(`Only ${available} units of the lot are neither reserved nor sold`);
    this.name = "WriteOffError";
  }
}

/**
 * Writes units of a lot off (spoiled, damaged), never into what is reserved or sold: one guarded UPDATE under the
 * lot's row lock, so a checkout taking units at the same moment cannot be overtaken.
 */
export async function writeOffLot(actor: Actor, input: { lotId: string; quantity: number; reason: string; idempotencyKey: string }) {
  if (!Number.isSafeInteger(input.quantity) || input.quantity <= 0) throw new WriteOffError(0);
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  const key = `${actor.id}:${input.idempotencyKey}`;
  try {
    return await db.$transaction(async (tx) => {
      const [lot] = await tx.$queryRaw<{ cooperativeId: string; available: number }[]>`
        SELECT p."cooperativeId", (l."quantityReceived" - l."quantityAllocated" - l."quantityWrittenOff") AS "available"
        FROM "StockLot" l JOIN "Sku" s ON s."id" = l."skuId" JOIN "Product" p ON p."id" = s."productId"
        WHERE l."id" = ${input.lotId} FOR UPDATE OF l`;
      if (!lot || lot.cooperativeId !== cooperative.id) throw new CooperativeAccessError();
      // Under the lot's lock, so a resubmission waits for the first and then finds its write-off.
      const done = await tx.stockWriteOff.findUnique({ where: { idempotencyKey: key }, select: { id: true } });
      if (done) return { writeOffId: done.id, availableAfter: lot.available, replayed: true };
      if (input.quantity > lot.available) throw new WriteOffError(lot.available);
      try {
        await tx.$executeRaw`UPDATE "StockLot" SET "quantityWrittenOff" = "quantityWrittenOff" + ${input.quantity} WHERE "id" = ${input.lotId}`;
      } catch (error) {
        if (isCheckViolation(error)) throw new WriteOffError(lot.available);
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
      return { writeOffId: writeOff.id, availableAfter: lot.available - input.quantity, replayed: false };
    });
  } catch (error) {
    // The same key used on another lot: the first write-off stands, this one is not written.
    const done = isUniqueViolation(error)
      ? await db.stockWriteOff.findUnique({ where: { idempotencyKey: key }, select: { id: true, lotId: true } })
      : null;
    if (done) return { writeOffId: done.id, availableAfter: null, replayed: true };
    throw error;
  }
}

/**
 * The public traceability record behind a lot's QR label (/trace/<traceCode>): product, lot and dates, the
 * village, and the producing household only as far as it agreed to be shown (display name and story) — never a
 * name, ID, phone or address from its file (DOMAIN §7). Null for an unknown code.
 */
export async function traceLot(traceCode: string) {
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
          product: { select: { slug: true, nameZh: true, nameEn: true, cooperative: { select: { name: true, nameEn: true } } } },
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
  if (!lot) return null;
  const { household, ...rest } = lot;
  const consented = household.consentToDisplay;
  return {
    ...rest,
    village: household.village,
    producer: consented ? { displayName: household.displayName, story: household.story, storyEn: household.storyEn } : null,
  };
}
