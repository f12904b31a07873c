// Ratings back to the households: after receipt the buyer rates each line of an order once, 1–5 with an optional
// comment. The product page shows the average, the count and the latest comments; the cooperative sees ratings per
// lot and per household (the lots that filled each rated line) and may hide an abusive comment, audited. A hidden
// comment's stars still count. Rating is never required: nothing in counting reads it.
import { db, Prisma } from "~/db/client.server";
import { recordAudit } from "~/domain/audit.server";
import { DomainError, notFound } from "~/domain/errors";
import { purchaseLinesAt } from "./counted.server";

export const LATEST_COMMENTS = 5;

type RateInput = { orderLineId: string; stars: number; comment?: string };

/**
 * The buyer rates one line of their own order. Refused, writing nothing: a line not on this buyer's order (404), an
 * order not yet paid and received (409), a line already rated (409; the primary key on the line makes a concurrent
 * second rating fail too).
 */
export async function rateOrderLine(userId: string, orderNumber: string, input: RateInput, now = new Date()) {
  return db.$transaction(async (tx) => {
    const line = await tx.orderLine.findFirst({
      where: { id: input.orderLineId, order: { number: orderNumber, userId } },
      select: { id: true, orderId: true, sku: { select: { productId: true } } },
    });
    if (!line) throw new DomainError("purchases.errors.line", { field: "orderLineId", status: 404 });
    const [received] = await tx.$queryRaw<{ counted: boolean }[]>`
      SELECT bool_or(pl."countedAt" IS NOT NULL) AS "counted" FROM ${purchaseLinesAt(now)} pl WHERE pl."orderLineId" = ${line.id}`;
    if (!received?.counted) throw new DomainError("purchases.errors.notReceived", { status: 409 });
    const inserted = await tx.$executeRaw`
      INSERT INTO "LineRating" ("orderLineId", "userId", "productId", "stars", "comment", "createdAt")
      VALUES (${line.id}, ${userId}, ${line.sku.productId}, ${input.stars}, ${input.comment ?? null}, ${now.toISOString()}::timestamp)
      ON CONFLICT ("orderLineId") DO NOTHING`;
    if (inserted === 0) throw new DomainError("purchases.errors.alreadyRated", { status: 409 });
    return { stars: input.stars };
  });
}

/** What a product page shows: the average (one decimal, as text), the count and the latest visible comments. */
export async function productRatingSummary(productId: string) {
  const [aggregate, latest] = await Promise.all([
    db.lineRating.aggregate({ where: { productId }, _avg: { stars: true }, _count: { _all: true } }),
    db.lineRating.findMany({
      where: { productId, hiddenAt: null, comment: { not: null } },
      orderBy: { createdAt: "desc" },
      take: LATEST_COMMENTS,
      select: { stars: true, comment: true, createdAt: true },
    }),
  ]);
  const count = aggregate._count._all;
  return {
    count,
    average: count ? averageText(aggregate._avg.stars ?? 0) : null,
    latest: latest.map((row) => ({ stars: row.stars, comment: row.comment ?? "", createdAt: row.createdAt })),
  };
}

/** An average of whole stars to one decimal, rounded half up ("4.5"), without a float reaching the page. */
export function averageText(average: number) {
  return (Math.round(average * 10) / 10).toFixed(1);
}

const inVillage = (villageId: string | null) => (villageId === null ? Prisma.empty : Prisma.sql`AND c."villageId" = ${villageId}`);

/**
 * The cooperative's view: each lot's and each household's ratings (a line filled from several lots counts for each
 * of them), and the latest comments with who may hide them. Scoped to the viewer's village (null: an admin, all).
 */
export async function cooperativeRatings(villageId: string | null) {
  const [lots, households, comments] = await Promise.all([
    db.$queryRaw<{ lotId: string; code: string; sku: string; skuEn: string; household: string; ratings: number; average: number }[]>`
      SELECT lot."id" AS "lotId", lot."code", s."nameZh" AS "sku", s."nameEn" AS "skuEn", h."code" AS "household",
        COUNT(DISTINCT r."orderLineId")::int AS "ratings", AVG(r."stars")::float AS "average"
      FROM "LineRating" r
      JOIN "Allocation" a ON a."orderLineId" = r."orderLineId" AND a."releasedAt" IS NULL
      JOIN "StockLot" lot ON lot."id" = a."lotId"
      JOIN "Sku" s ON s."id" = lot."skuId"
      JOIN "Product" p ON p."id" = s."productId"
      JOIN "Cooperative" c ON c."id" = p."cooperativeId"
      JOIN "Household" h ON h."id" = lot."householdId"
      WHERE TRUE ${inVillage(villageId)}
      GROUP BY lot."id", lot."code", s."nameZh", s."nameEn", h."code"
      ORDER BY lot."code"`,
    db.$queryRaw<{ householdId: string; code: string; ratings: number; average: number }[]>`
      SELECT h."id" AS "householdId", h."code", COUNT(DISTINCT r."orderLineId")::int AS "ratings", AVG(r."stars")::float AS "average"
      FROM "LineRating" r
      JOIN "Allocation" a ON a."orderLineId" = r."orderLineId" AND a."releasedAt" IS NULL
      JOIN "StockLot" lot ON lot."id" = a."lotId"
      JOIN "Household" h ON h."id" = lot."householdId"
      JOIN "Product" p ON p."id" = r."productId"
      JOIN "Cooperative" c ON c."id" = p."cooperativeId"
      WHERE TRUE ${inVillage(villageId)}
      GROUP BY h."id", h."code"
      ORDER BY h."code"`,
    db.lineRating.findMany({
      where: { comment: { not: null }, ...(villageId === null ? {} : { orderLine: { sku: { product: { cooperative: { villageId } } } } }) },
      orderBy: { createdAt: "desc" },
      take: 50,
      select: {
        orderLineId: true,
        stars: true,
        comment: true,
        hiddenAt: true,
        createdAt: true,
        orderLine: { select: { order: { select: { number: true } }, sku: { select: { nameZh: true, nameEn: true } } } },
      },
    }),
  ]);
  return {
    lots: lots.map((row) => ({ ...row, average: averageText(row.average) })),
    households: households.map((row) => ({ ...row, average: averageText(row.average) })),
    comments: comments.map(({ orderLine, ...row }) => ({ ...row, orderNumber: orderLine.order.number, sku: orderLine.sku })),
  };
}

/** Hides an abusive comment (its stars still count), audited with the text hidden. Hiding twice changes nothing. */
export async function hideRatingComment(actor: { id: string; villageId: string | null }, orderLineId: string, now = new Date()) {
  return db.$transaction(async (tx) => {
    const rating = await tx.lineRating.findFirst({
      where: {
        orderLineId,
        ...(actor.villageId === null ? {} : { orderLine: { sku: { product: { cooperative: { villageId: actor.villageId } } } } }),
      },
      select: { orderLineId: true, comment: true, hiddenAt: true },
    });
    if (!rating) throw notFound();
    if (rating.hiddenAt) return { already: true };
    await tx.lineRating.update({ where: { orderLineId }, data: { hiddenAt: now, hiddenById: actor.id } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "rating.comment.hide",
      entityType: "LineRating",
      entityId: orderLineId,
      changes: { comment: rating.comment },
    });
    return { already: false };
  });
}
