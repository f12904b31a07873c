-- "Free units" of a stock lot — received, less allocated and written off — defined once. An SQL function on the row
-- type, so every query says "free_units"(lot) and PostgreSQL inlines it (no call per row, indexes still apply).
CREATE FUNCTION "free_units"(lot "StockLot") RETURNS int
  LANGUAGE sql IMMUTABLE
  AS $fn$ SELECT lot."quantityReceived" - lot."quantityAllocated" - lot."quantityWrittenOff" $fn$;

CREATE OR REPLACE FUNCTION "available_units"(p_sku_id text, p_today date) RETURNS int
  LANGUAGE sql STABLE
  AS $fn$
    SELECT COALESCE(SUM("free_units"(lot)), 0)::int
    FROM "StockLot" lot WHERE lot."skuId" = p_sku_id AND lot."bestBefore" >= p_today
  $fn$;

CREATE OR REPLACE FUNCTION "allocate_from_lots"(p_order_line_id text, p_sku_id text, p_quantity int, p_now timestamp, p_today date)
  RETURNS TABLE ("lotId" text, "quantity" int)
  LANGUAGE sql
  AS $fn$
    WITH candidate AS (
      SELECT lot."id", lot."bestBefore", lot."receivedOn", lot."code", "free_units"(lot) AS "available"
      FROM "StockLot" lot
      WHERE lot."skuId" = p_sku_id AND lot."bestBefore" >= p_today AND "free_units"(lot) > 0
      ORDER BY lot."bestBefore", lot."receivedOn", lot."code"
      FOR UPDATE
    ), running AS (
      SELECT c."id", c."available",
             SUM(c."available") OVER (ORDER BY c."bestBefore", c."receivedOn", c."code") - c."available" AS "before"
      FROM candidate c
    ), taken AS (
      SELECT r."id", LEAST(r."available", p_quantity - r."before")::int AS "take"
      FROM running r
      WHERE r."before" < p_quantity AND (SELECT SUM(c."available") FROM candidate c) >= p_quantity
    ), updated AS (
      UPDATE "StockLot" AS lot SET "quantityAllocated" = lot."quantityAllocated" + taken."take"
      FROM taken WHERE lot."id" = taken."id"
      RETURNING lot."id", taken."take"
    )
    INSERT INTO "Allocation" ("id", "orderLineId", "lotId", "quantity", "refundedQuantity", "createdAt")
    SELECT gen_random_uuid()::text, p_order_line_id, u."id", u."take", 0, p_now FROM updated u
    RETURNING "lotId", "quantity"
  $fn$;
