-- CreateEnum
CREATE TYPE "ReceiptConfirmer" AS ENUM ('buyer', 'organizer');

-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'bureau';

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "receivedAt" TIMESTAMP(3),
ADD COLUMN     "receivedBy" "ReceiptConfirmer";

-- AlterTable
ALTER TABLE "Unit" ADD COLUMN     "memberCount" INTEGER,
ADD COLUMN     "parentId" TEXT;

-- CreateTable
CREATE TABLE "UnitTarget" (
    "unitId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "targetFen" INTEGER NOT NULL,
    "perMemberFen" INTEGER,
    "memberCount" INTEGER,
    "setById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UnitTarget_pkey" PRIMARY KEY ("unitId","year")
);

-- CreateTable
CREATE TABLE "LineRating" (
    "orderLineId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "stars" INTEGER NOT NULL,
    "comment" TEXT,
    "hiddenAt" TIMESTAMP(3),
    "hiddenById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LineRating_pkey" PRIMARY KEY ("orderLineId")
);

-- CreateIndex
CREATE INDEX "LineRating_productId_createdAt_idx" ON "LineRating"("productId", "createdAt");

-- CreateIndex
CREATE INDEX "Unit_parentId_idx" ON "Unit"("parentId");

-- AddForeignKey
ALTER TABLE "Unit" ADD CONSTRAINT "Unit_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UnitTarget" ADD CONSTRAINT "UnitTarget_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LineRating" ADD CONSTRAINT "LineRating_orderLineId_fkey" FOREIGN KEY ("orderLineId") REFERENCES "OrderLine"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A rating is 1–5 whole stars; a target and a member count are never negative.
ALTER TABLE "LineRating" ADD CONSTRAINT "LineRating_stars_check" CHECK ("stars" BETWEEN 1 AND 5);
ALTER TABLE "UnitTarget" ADD CONSTRAINT "UnitTarget_targetFen_check" CHECK ("targetFen" >= 0);
ALTER TABLE "Unit" ADD CONSTRAINT "Unit_memberCount_check" CHECK ("memberCount" IS NULL OR "memberCount" >= 0);

-- The days after delivery at which an order counts as received without a confirmation (Setting "receipt.autoDays",
-- 7 when unset or not a number).
CREATE FUNCTION "receipt_auto_days"() RETURNS int
  LANGUAGE sql STABLE
  AS $fn$
    SELECT COALESCE(
      (SELECT CASE WHEN jsonb_typeof(s."value") = 'number' THEN (s."value" #>> '{}')::int END FROM "Setting" s WHERE s."key" = 'receipt.autoDays'),
      7)
  $fn$;

-- Counted purchases, defined once (DOMAIN §3): every line of a paid order, its goods' amount net of the refunded
-- amount of that line (delivery fees are not produce), the units kept, and "countedAt": the instant the order counts
-- as of p_at — once it is paid and received, received meaning the buyer's or an organizer's confirmation, or the set
-- number of days after delivery — or NULL while it is paid but not received. An order received before its unit paid
-- for it counts when paid, so a closed year's figures never move. A fully refunded order is no longer paid and has
-- no lines here. Plain SQL (one SELECT, STABLE) so PostgreSQL inlines it and a caller's WHERE reaches the tables.
CREATE FUNCTION "purchase_lines"(p_at timestamp)
  RETURNS TABLE (
    "orderLineId" text, "orderId" text, "unitId" text, "userId" text, "skuId" text, "groupOrderId" text,
    "paidAt" timestamp, "countedAt" timestamp, "amountFen" int, "units" int
  )
  LANGUAGE sql STABLE
  AS $fn$
    SELECT l."id", o."id", o."unitId", o."userId", l."skuId", o."groupOrderId", o."paidAt",
      CASE WHEN r."at" <= p_at THEN r."at" END,
      l."lineTotalFen" - COALESCE(rf."amountFen", 0),
      l."quantity" - l."refundedQuantity"
    FROM "Order" o
    JOIN "OrderLine" l ON l."orderId" = o."id"
    CROSS JOIN LATERAL (SELECT COALESCE(o."receivedAt", o."deliveredAt" + make_interval(days => "receipt_auto_days"())) AS "receipt") rc
    -- GREATEST skips NULLs: without a receipt there is no instant at all.
    CROSS JOIN LATERAL (SELECT CASE WHEN rc."receipt" IS NOT NULL THEN GREATEST(rc."receipt", o."paidAt") END AS "at") r
    LEFT JOIN LATERAL (SELECT SUM(rl."amountFen")::int AS "amountFen" FROM "RefundLine" rl WHERE rl."orderLineId" = l."id") rf ON TRUE
    WHERE o."status" = 'paid'
  $fn$;
