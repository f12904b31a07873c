-- place_order counts a buyer's units in the group order from the buyer's own orders (docs/decisions/0026-limit-by-buyer.md).
-- Same arguments, answers and rules as 20261204000000_place_order_cart_by_id; what changed is how the per-person
-- limit's statement finds the buyer's orders. It joined "Order" on both "userId" and "groupOrderId", and the generic
-- plan on a table without statistics took the group order's index and filtered by buyer: each placement read every
-- order of the group order so far, ~80 µs a placement on average in a round of 1,000 winners, growing with the rush.

CREATE OR REPLACE FUNCTION "place_order"(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  v_user_id text := p->>'userId';
  v_order_id text := p->>'orderId';
  v_now timestamp := ((p->>'now')::timestamptz AT TIME ZONE 'UTC');
  v_today date := (p->>'today')::date;
  v_method text := p->>'paymentMethod';
  v_group_id text := CASE WHEN p->>'fulfilment' = 'group_pickup' THEN p->>'groupOrderId' END;
  v_expires_at timestamp := ((p->>'expiresAt')::timestamptz AT TIME ZONE 'UTC');
  v_order jsonb;
  v_lines "checkout_line"[];
  v_line "checkout_line";
  v_problems jsonb := '[]'::jsonb;
  v_unit_id text;
  v_buyer record;
  v_subtotal int := 0;
  v_delivery_fee int;
  v_lot_id text;
  v_taken int;
  v_cart_id text;
BEGIN
  SELECT jsonb_build_object('id', o."id", 'number', o."number", 'totalFen', o."totalFen",
                            'expiresAt', floor(extract(epoch FROM o."expiresAt") * 1000),
                            'paymentMethod', o."paymentMethod")
    INTO v_order FROM "Order" o WHERE o."idempotencyKey" = p->>'key';
  IF v_order IS NOT NULL THEN
    RETURN jsonb_build_object('replayed', v_order);
  END IF;

  SELECT cart."id" INTO v_cart_id FROM "Cart" cart WHERE cart."userId" = v_user_id;

  -- The lines ("cart": the buyer's cart as it is now, at the prices they were shown) with their SKUs as they are
  -- now, the units on sale today and the lot that would give the first unit, in SKU order (the order the lots are
  -- locked in). No lock is taken: most of a rush's losers stop at the stock look below.
  WITH requested AS (
    SELECT l."ord", l."skuId", l."quantity", l."expectedUnitPriceFen"
    FROM jsonb_to_recordset(CASE WHEN jsonb_typeof(p->'lines') = 'array' THEN p->'lines' ELSE '[]'::jsonb END)
      AS l("ord" int, "skuId" text, "quantity" int, "expectedUnitPriceFen" int)
    UNION ALL
    SELECT (row_number() OVER (ORDER BY item."skuId"))::int, item."skuId", item."quantity", item."seenPriceFen"
    FROM "CartItem" item
    WHERE jsonb_typeof(p->'lines') = 'string' AND item."cartId" = v_cart_id
  )
  SELECT array_agg(ROW(r."ord", r."skuId", r."quantity", r."expectedUnitPriceFen", s."priceFen", s."maxPerOrder",
           COALESCE(s."active" AND pr."active", false), pr."feeRateBp", c."deliveryFeeFen", s."id" IS NOT NULL,
           COALESCE(stock."available", 0), stock."firstLotId", gen_random_uuid()::text)::"checkout_line" ORDER BY r."skuId")
    INTO v_lines
  FROM requested r
  LEFT JOIN "Sku" s ON s."id" = r."skuId"
  LEFT JOIN "Product" pr ON pr."id" = s."productId"
  LEFT JOIN "Cooperative" c ON c."id" = pr."cooperativeId"
  LEFT JOIN LATERAL (
    SELECT SUM(lot."quantityReceived" - lot."quantityAllocated" - lot."quantityWrittenOff")::int AS "available",
           (array_agg(lot."id" ORDER BY lot."bestBefore", lot."receivedOn", lot."code")
              FILTER (WHERE lot."quantityReceived" - lot."quantityAllocated" - lot."quantityWrittenOff" > 0))[1] AS "firstLotId"
    FROM "StockLot" lot WHERE lot."skuId" = r."skuId" AND lot."bestBefore" >= v_today
  ) stock ON s."id" IS NOT NULL;

  -- Checked after the replay: a resubmitted checkout finds the cart already emptied by its order.
  IF v_lines IS NULL THEN
    RETURN jsonb_build_object('problems', jsonb_build_array(jsonb_build_object('kind', 'empty')));
  END IF;

  SELECT COALESCE(jsonb_agg(jsonb_build_object('kind', 'sold_out', 'skuId', l."skuId", 'available', l."available") ORDER BY l."ord"), '[]'::jsonb)
    INTO v_problems
  FROM unnest(v_lines) l WHERE l."onSale" AND l."available" < l."quantity";
  IF jsonb_array_length(v_problems) > 0 THEN
    RETURN jsonb_build_object('problems', v_problems);
  END IF;

  -- One checkout at a time per buyer, so per-person limits cannot be beaten by submitting twice at once. An advisory
  -- lock rather than a row lock: it serialises the same buyer's checkouts without writing to their row. The group
  -- order is read in the same statement, unlocked: every buyer of a rush reads that one row.
  SELECT u."unitId", g."id" IS NOT NULL AS "groupFound", g."status"::text AS "status", g."opensAt", g."closesAt",
         g."allowCard", g."allowUnitSettlement",
         EXISTS (SELECT 1 FROM "GroupOrderUnit" gu WHERE gu."groupOrderId" = g."id" AND gu."unitId" = u."unitId") AS "invited"
    INTO v_buyer
  FROM pg_advisory_xact_lock(hashtextextended('checkout:' || v_user_id, 0)) AS locked
  JOIN "User" u ON u."id" = v_user_id
  LEFT JOIN "GroupOrder" g ON g."id" = v_group_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'User % not found', v_user_id;
  END IF;
  v_unit_id := v_buyer."unitId";

  -- The problems, in the order the buyer reads them: each line (in the order it was given), then payment, then the
  -- group order.
  FOR v_line IN SELECT * FROM unnest(v_lines) l ORDER BY l."ord" LOOP
    IF NOT v_line."known" THEN
      v_problems := v_problems || jsonb_build_object('kind', 'unknown_sku', 'skuId', v_line."skuId");
    ELSIF NOT v_line."onSale" THEN
      v_problems := v_problems || jsonb_build_object('kind', 'inactive', 'skuId', v_line."skuId");
    ELSE
      IF v_line."priceFen" <> v_line."expectedUnitPriceFen" THEN
        v_problems := v_problems || jsonb_build_object('kind', 'price_changed', 'skuId', v_line."skuId",
          'expectedFen', v_line."expectedUnitPriceFen", 'currentFen', v_line."priceFen");
      END IF;
      IF v_line."quantity" > v_line."maxPerOrder" THEN
        v_problems := v_problems || jsonb_build_object('kind', 'over_limit', 'skuId', v_line."skuId", 'limit', v_line."maxPerOrder");
      END IF;
    END IF;
    v_subtotal := v_subtotal + COALESCE(v_line."priceFen" * v_line."quantity", 0);
    v_delivery_fee := LEAST(v_delivery_fee, v_line."deliveryFeeFen");
  END LOOP;

  IF v_method = 'card' AND NOT (p->>'cardConfigured')::boolean THEN
    v_problems := v_problems || jsonb_build_object('kind', 'card_not_configured');
  END IF;

  IF v_group_id IS NOT NULL THEN
    IF NOT v_buyer."groupFound" OR v_buyer."status" <> 'open' OR v_buyer."opensAt" > v_now OR v_buyer."closesAt" <= v_now THEN
      v_problems := v_problems || jsonb_build_object('kind', 'group_not_open');
    ELSE
      IF v_unit_id IS NULL THEN
        v_problems := v_problems || jsonb_build_object('kind', 'no_unit');
      ELSIF NOT v_buyer."invited" THEN
        v_problems := v_problems || jsonb_build_object('kind', 'not_invited');
      END IF;
      IF (v_method = 'card' AND NOT v_buyer."allowCard") OR (v_method = 'unit_settlement' AND NOT v_buyer."allowUnitSettlement") THEN
        v_problems := v_problems || jsonb_build_object('kind', 'payment_not_allowed');
      END IF;
      -- The buyer's orders are read by "userId" into a materialized CTE, so that no plan can reach them from the group
      -- order's side: planned that way (a generic plan on a table without statistics is), the check read every order
      -- of the group order, and a rush's last buyers paid for all the first ones'.
      WITH mine AS MATERIALIZED (
        SELECT o."id", o."groupOrderId", o."status" FROM "Order" o WHERE o."userId" = v_user_id
      )
      SELECT v_problems || COALESCE(jsonb_agg(problem ORDER BY ord), '[]'::jsonb) INTO v_problems FROM (
        SELECT l."ord",
               CASE WHEN i."skuId" IS NULL THEN jsonb_build_object('kind', 'not_offered', 'skuId', l."skuId")
                    ELSE jsonb_build_object('kind', 'over_limit', 'skuId', l."skuId", 'limit', GREATEST(0, i."perPersonLimit" - bought.units))
               END AS problem
        FROM unnest(v_lines) l
        LEFT JOIN "GroupOrderItem" i ON i."groupOrderId" = v_group_id AND i."skuId" = l."skuId"
        LEFT JOIN LATERAL (
          SELECT COALESCE(SUM(ol."quantity"), 0)::int AS units
          FROM mine o JOIN "OrderLine" ol ON ol."orderId" = o."id"
          WHERE o."groupOrderId" = v_group_id AND o."status" IN ('pending_payment', 'paid') AND ol."skuId" = l."skuId"
        ) bought ON i."perPersonLimit" IS NOT NULL
        WHERE i."skuId" IS NULL OR (i."perPersonLimit" IS NOT NULL AND bought.units + l."quantity" > i."perPersonLimit")
      ) group_problems;
    END IF;
  ELSIF v_method <> 'card' THEN
    v_problems := v_problems || jsonb_build_object('kind', 'payment_not_allowed');
  END IF;

  IF jsonb_array_length(v_problems) > 0 THEN
    RETURN jsonb_build_object('problems', v_problems);
  END IF;

  IF v_group_id IS NOT NULL THEN
    v_delivery_fee := 0;
  END IF;

  -- The order, its lines, and its items leaving the buyer's cart, in one statement and before any lot is locked.
  WITH placed AS (
    INSERT INTO "Order" ("id", "number", "userId", "unitId", "groupOrderId", "fulfilment", "paymentMethod", "subtotalFen",
      "deliveryFeeFen", "totalFen", "recipientName", "recipientPhone", "address", "idempotencyKey", "expiresAt", "createdAt", "updatedAt")
    VALUES (v_order_id, p->>'number', v_user_id, v_unit_id, v_group_id, (p->>'fulfilment')::"Fulfilment", v_method::"PaymentMethod",
      v_subtotal, v_delivery_fee, v_subtotal + v_delivery_fee, p->>'recipientName', p->>'recipientPhone', p->>'address', p->>'key',
      v_expires_at, v_now, v_now)
    RETURNING "id"
  ), lines AS (
    INSERT INTO "OrderLine" ("id", "orderId", "skuId", "quantity", "unitPriceFen", "lineTotalFen", "feeRateBp")
    SELECT l."lineId", placed."id", l."skuId", l."quantity", l."priceFen", l."priceFen" * l."quantity", l."feeRateBp"
    FROM placed, unnest(v_lines) l
  )
  DELETE FROM "CartItem" ci
  WHERE ci."cartId" = v_cart_id AND ci."skuId" = ANY (ARRAY(SELECT l."skuId" FROM unnest(v_lines) l));

  -- Stock is taken last, right before commit: the lots' row locks are what every buyer queues on. In SKU order.
  FOREACH v_line IN ARRAY v_lines LOOP
    v_lot_id := NULL;
    IF v_line."firstLotId" IS NOT NULL THEN
      -- The lot's lock is granted here; the row is re-read then, so this takes nothing unless it still holds the whole line.
      WITH taken AS (
        UPDATE "StockLot" lot SET "quantityAllocated" = lot."quantityAllocated" + v_line."quantity"
        WHERE lot."id" = v_line."firstLotId"
          AND lot."quantityReceived" - lot."quantityAllocated" - lot."quantityWrittenOff" >= v_line."quantity"
        RETURNING lot."id"
      )
      INSERT INTO "Allocation" ("id", "orderLineId", "lotId", "quantity", "refundedQuantity", "createdAt")
      SELECT gen_random_uuid()::text, v_line."lineId", taken."id", v_line."quantity", 0, v_now FROM taken
      RETURNING "lotId" INTO v_lot_id;
    END IF;
    IF v_lot_id IS NULL THEN
      SELECT COALESCE(SUM(a."quantity"), 0)::int INTO v_taken
      FROM "allocate_from_lots"(v_line."lineId", v_line."skuId", v_line."quantity", v_now, v_today) a;
      IF v_taken < v_line."quantity" THEN
        RAISE EXCEPTION 'sold_out % %', v_line."skuId", "available_units"(v_line."skuId", v_today);
      END IF;
    END IF;
  END LOOP;

  RETURN jsonb_build_object('placed', jsonb_build_object('id', v_order_id, 'number', p->>'number', 'totalFen', v_subtotal + v_delivery_fee,
    'expiresAt', floor(extract(epoch FROM v_expires_at) * 1000), 'paymentMethod', v_method));
END;
$fn$;

-- CREATE OR REPLACE drops the setting the function had (20261203000000).
ALTER FUNCTION "place_order"(jsonb) SET plan_cache_mode = force_generic_plan;
