-- The same definition as before. Once inlined, PostgreSQL pulled the one-row "auto" subquery up into the caller and
-- called "receipt_auto_days"() (a query of its own) wherever "countedAt" appears — in the scan's filter and in every
-- FILTER of the caller's aggregates, a dozen times per line: 3 s for the bureau's view of 50,000 orders. OFFSET 0
-- keeps the subquery a one-row scan, so the setting is read once per query and the rest still inlines.
CREATE OR REPLACE FUNCTION "purchase_lines"(p_at timestamp)
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
    FROM (SELECT make_interval(days => "receipt_auto_days"()) AS "after" OFFSET 0) auto
    CROSS JOIN "Order" o
    JOIN "OrderLine" l ON l."orderId" = o."id"
    CROSS JOIN LATERAL (SELECT COALESCE(o."receivedAt", o."deliveredAt" + auto."after") AS "receipt") rc
    -- GREATEST skips NULLs: without a receipt there is no instant at all.
    CROSS JOIN LATERAL (SELECT CASE WHEN rc."receipt" IS NOT NULL THEN GREATEST(rc."receipt", o."paidAt") END AS "at") r
    LEFT JOIN LATERAL (SELECT SUM(rl."amountFen")::int AS "amountFen" FROM "RefundLine" rl WHERE rl."orderLineId" = l."id") rf ON TRUE
    WHERE o."status" = 'paid'
  $fn$;
