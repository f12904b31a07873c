-- Placing an order in one call (docs/decisions/0007-checkout-in-one-statement.md). In a rush every buyer queues on
-- the first lot's row lock, held until commit; as one function in one autocommit statement, the lock is held only
-- while PostgreSQL itself allocates and commits, never across a round trip to the app server.
--
-- p: { userId, key, orderId, number, now, today, paymentMethod, cardConfigured, expiresAt, fulfilment,
--      groupOrderId, recipientName, recipientPhone, address, lines: [{ ord, skuId, quantity, expectedUnitPriceFen }] }
--    with lines merged per SKU, or lines: "cart" for the buyer's cart.
-- Returns { replayed: order } | { placed: order } | { problems: [...] }; a line that runs short while allocating
-- raises SQLSTATE P0001 with message 'sold_out <skuId> <available>' and nothing is written.

-- The lines of a checkout with their SKUs' current terms, as place_order passes them between its statements.
CREATE FUNCTION "checkout_lines"(lines jsonb)
  RETURNS TABLE ("ord" int, "skuId" text, "quantity" int, "expectedUnitPriceFen" int, "priceFen" int, "maxPerOrder" int, "onSale" boolean, "feeRateBp" int, "deliveryFeeFen" int, "known" boolean)
  LANGUAGE sql IMMUTABLE
  AS $fn$ SELECT * FROM jsonb_to_recordset(lines) AS l("ord" int, "skuId" text, "quantity" int, "expectedUnitPriceFen" int, "priceFen" int, "maxPerOrder" int, "onSale" boolean, "feeRateBp" int, "deliveryFeeFen" int, "known" boolean) $fn$;

-- Units of a SKU that can still be sold on a day: received, less allocated and written off, in lots not past best-before.
CREATE FUNCTION "available_units"(p_sku_id text, p_today date) RETURNS int
  LANGUAGE sql STABLE
  AS $fn$
    SELECT COALESCE(SUM(lot."quantityReceived" - lot."quantityAllocated" - lot."quantityWrittenOff"), 0)::int
    FROM "StockLot" lot WHERE lot."skuId" = p_sku_id AND lot."bestBefore" >= p_today
  $fn$;

-- Which stock lots, so which households, fill an order line: earliest best-before first, never past it (DOMAIN §3).
-- One statement locks the lots, takes what is needed, adds it to their allocated count and records which lot gave
-- how many; it takes nothing unless the lots hold the whole quantity. Callers allocate lines in SKU id order.
CREATE FUNCTION "allocate_from_lots"(p_order_line_id text, p_sku_id text, p_quantity int, p_now timestamp, p_today date)
  RETURNS TABLE ("lotId" text, "quantity" int)
  LANGUAGE sql
  AS $fn$
    WITH candidate AS (
      SELECT lot."id", lot."bestBefore", lot."receivedOn", lot."code",
             lot."quantityReceived" - lot."quantityAllocated" - lot."quantityWrittenOff" AS "available"
      FROM "StockLot" lot
      WHERE lot."skuId" = p_sku_id AND lot."bestBefore" >= p_today
        AND lot."quantityReceived" - lot."quantityAllocated" - lot."quantityWrittenOff" > 0
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

CREATE FUNCTION "place_order"(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  v_user_id text := p->>'userId';
  v_now timestamp := ((p->>'now')::timestamptz AT TIME ZONE 'UTC');
  v_today date := (p->>'today')::date;
  v_method text := p->>'paymentMethod';
  v_group_id text := CASE WHEN p->>'fulfilment' = 'group_pickup' THEN p->>'groupOrderId' END;
  v_expires_at timestamp := ((p->>'expiresAt')::timestamptz AT TIME ZONE 'UTC');
  v_requested jsonb := p->'lines';
  v_order jsonb;
  v_unit_id text;
  v_lines jsonb;
  v_problems jsonb;
  v_group record;
  v_subtotal int;
  v_delivery_fee int := 0;
  v_line record;
  v_line_id text;
  v_taken int;
BEGIN
  SELECT jsonb_build_object('id', o."id", 'number', o."number", 'totalFen', o."totalFen",
                            'expiresAt', floor(extract(epoch FROM o."expiresAt") * 1000),
                            'paymentMethod', o."paymentMethod")
    INTO v_order FROM "Order" o WHERE o."idempotencyKey" = p->>'key';
  IF v_order IS NOT NULL THEN
    RETURN jsonb_build_object('replayed', v_order);
  END IF;
  -- "cart": the buyer's cart as it is now, at the prices they were shown.
  IF jsonb_typeof(p->'lines') = 'string' THEN
    SELECT COALESCE(jsonb_agg(jsonb_build_object('ord', ci."ord", 'skuId', ci."skuId", 'quantity', ci."quantity", 'expectedUnitPriceFen', ci."seenPriceFen")), '[]'::jsonb)
      INTO v_requested
    FROM (
      SELECT item."skuId", item."quantity", item."seenPriceFen", row_number() OVER (ORDER BY item."skuId") AS "ord"
      FROM "CartItem" item JOIN "Cart" cart ON cart."id" = item."cartId" WHERE cart."userId" = v_user_id
    ) ci;
  END IF;
  -- Checked after the replay: a resubmitted checkout finds the cart already emptied by its order.
  IF jsonb_array_length(v_requested) = 0 THEN
    RETURN jsonb_build_object('problems', jsonb_build_array(jsonb_build_object('kind', 'empty')));
  END IF;

  -- The lines with their SKUs as they are now, kept as JSON for the statements below.
  SELECT jsonb_agg(jsonb_build_object('ord', l."ord", 'skuId', l."skuId", 'quantity', l."quantity",
           'expectedUnitPriceFen', l."expectedUnitPriceFen", 'priceFen', s."priceFen", 'maxPerOrder', s."maxPerOrder",
           'onSale', COALESCE(s."active" AND pr."active", false), 'feeRateBp', pr."feeRateBp", 'deliveryFeeFen', c."deliveryFeeFen",
           'known', s."id" IS NOT NULL))
    INTO v_lines
  FROM jsonb_to_recordset(v_requested) AS l("ord" int, "skuId" text, "quantity" int, "expectedUnitPriceFen" int)
  LEFT JOIN "Sku" s ON s."id" = l."skuId"
  LEFT JOIN "Product" pr ON pr."id" = s."productId"
  LEFT JOIN "Cooperative" c ON c."id" = pr."cooperativeId";

  -- Most of a rush's losers stop here, with one look at the stock and no lock taken.
  SELECT COALESCE(jsonb_agg(jsonb_build_object('kind', 'sold_out', 'skuId', l."skuId", 'available', stock.units) ORDER BY l."ord"), '[]'::jsonb)
    INTO v_problems
  FROM "checkout_lines"(v_lines) l
  CROSS JOIN LATERAL (SELECT "available_units"(l."skuId", v_today) AS units) stock
  WHERE l."onSale" AND stock.units < l."quantity";
  IF jsonb_array_length(v_problems) > 0 THEN
    RETURN jsonb_build_object('problems', v_problems);
  END IF;

  -- One checkout at a time per buyer, so per-person limits cannot be beaten by submitting twice at once. An advisory
  -- lock rather than a row lock: it serialises the same buyer's checkouts without writing to their row.
  PERFORM pg_advisory_xact_lock(hashtextextended('checkout:' || v_user_id, 0));
  SELECT u."unitId" INTO v_unit_id FROM "User" u WHERE u."id" = v_user_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'User % not found', v_user_id;
  END IF;

  -- The problems, in the order the buyer reads them: each line, then payment, then the group order.
  SELECT COALESCE(jsonb_agg(found.problem ORDER BY l."ord", found.n), '[]'::jsonb) INTO v_problems
  FROM "checkout_lines"(v_lines) l
  CROSS JOIN LATERAL (VALUES
    (1, CASE WHEN NOT l."known" THEN jsonb_build_object('kind', 'unknown_sku', 'skuId', l."skuId")
             WHEN NOT l."onSale" THEN jsonb_build_object('kind', 'inactive', 'skuId', l."skuId") END),
    (2, CASE WHEN l."onSale" AND l."priceFen" <> l."expectedUnitPriceFen"
             THEN jsonb_build_object('kind', 'price_changed', 'skuId', l."skuId", 'expectedFen', l."expectedUnitPriceFen", 'currentFen', l."priceFen") END),
    (3, CASE WHEN l."onSale" AND l."quantity" > l."maxPerOrder"
             THEN jsonb_build_object('kind', 'over_limit', 'skuId', l."skuId", 'limit', l."maxPerOrder") END)
  ) AS found(n, problem)
  WHERE found.problem IS NOT NULL;

  IF v_method = 'card' AND NOT (p->>'cardConfigured')::boolean THEN
    v_problems := v_problems || jsonb_build_array(jsonb_build_object('kind', 'card_not_configured'));
  END IF;

  IF v_group_id IS NOT NULL THEN
    -- No lock on the group order: every buyer of a rush reads that one row.
    SELECT g."status"::text AS "status", g."opensAt", g."closesAt", g."allowCard", g."allowUnitSettlement",
           EXISTS (SELECT 1 FROM "GroupOrderUnit" gu WHERE gu."groupOrderId" = g."id" AND gu."unitId" = v_unit_id) AS "invited"
      INTO v_group FROM "GroupOrder" g WHERE g."id" = v_group_id;
    IF NOT FOUND OR v_group."status" <> 'open' OR v_group."opensAt" > v_now OR v_group."closesAt" <= v_now THEN
      v_problems := v_problems || jsonb_build_array(jsonb_build_object('kind', 'group_not_open'));
    ELSE
      IF v_unit_id IS NULL THEN
        v_problems := v_problems || jsonb_build_array(jsonb_build_object('kind', 'no_unit'));
      ELSIF NOT v_group."invited" THEN
        v_problems := v_problems || jsonb_build_array(jsonb_build_object('kind', 'not_invited'));
      END IF;
      IF (v_method = 'card' AND NOT v_group."allowCard") OR (v_method = 'unit_settlement' AND NOT v_group."allowUnitSettlement") THEN
        v_problems := v_problems || jsonb_build_array(jsonb_build_object('kind', 'payment_not_allowed'));
      END IF;
      SELECT v_problems || COALESCE(jsonb_agg(problem ORDER BY ord), '[]'::jsonb) INTO v_problems FROM (
        SELECT l."ord",
               CASE WHEN i."skuId" IS NULL THEN jsonb_build_object('kind', 'not_offered', 'skuId', l."skuId")
                    ELSE jsonb_build_object('kind', 'over_limit', 'skuId', l."skuId", 'limit', GREATEST(0, i."perPersonLimit" - bought.units))
               END AS problem
        FROM "checkout_lines"(v_lines) l
        LEFT JOIN "GroupOrderItem" i ON i."groupOrderId" = v_group_id AND i."skuId" = l."skuId"
        LEFT JOIN LATERAL (
          SELECT COALESCE(SUM(ol."quantity"), 0)::int AS units
          FROM "OrderLine" ol JOIN "Order" o ON o."id" = ol."orderId"
          WHERE o."userId" = v_user_id AND o."groupOrderId" = v_group_id AND o."status" IN ('pending_payment', 'paid') AND ol."skuId" = l."skuId"
        ) bought ON i."perPersonLimit" IS NOT NULL
        WHERE i."skuId" IS NULL OR (i."perPersonLimit" IS NOT NULL AND bought.units + l."quantity" > i."perPersonLimit")
      ) group_problems;
    END IF;
  ELSIF v_method <> 'card' THEN
    v_problems := v_problems || jsonb_build_array(jsonb_build_object('kind', 'payment_not_allowed'));
  END IF;

  IF jsonb_array_length(v_problems) > 0 THEN
    RETURN jsonb_build_object('problems', v_problems);
  END IF;

  SELECT SUM(l."priceFen" * l."quantity")::int, MIN(l."deliveryFeeFen") INTO v_subtotal, v_delivery_fee FROM "checkout_lines"(v_lines) l;
  IF v_group_id IS NOT NULL THEN
    v_delivery_fee := 0;
  END IF;

  INSERT INTO "Order" ("id", "number", "userId", "unitId", "groupOrderId", "fulfilment", "paymentMethod", "subtotalFen",
    "deliveryFeeFen", "totalFen", "recipientName", "recipientPhone", "address", "idempotencyKey", "expiresAt", "createdAt", "updatedAt")
  VALUES (p->>'orderId', p->>'number', v_user_id, v_unit_id, v_group_id, (p->>'fulfilment')::"Fulfilment", v_method::"PaymentMethod",
    v_subtotal, v_delivery_fee, v_subtotal + v_delivery_fee, p->>'recipientName', p->>'recipientPhone', p->>'address', p->>'key',
    v_expires_at, v_now, v_now);

  -- The order's items leave the buyer's cart with it.
  DELETE FROM "CartItem" ci USING "Cart" cart, "checkout_lines"(v_lines) l
  WHERE cart."id" = ci."cartId" AND cart."userId" = v_user_id AND ci."skuId" = l."skuId";

  -- Stock is taken last, right before commit: the lots' row locks are what every buyer queues on.
  FOR v_line IN SELECT * FROM "checkout_lines"(v_lines) l ORDER BY l."skuId" LOOP
    v_line_id := gen_random_uuid()::text;
    INSERT INTO "OrderLine" ("id", "orderId", "skuId", "quantity", "unitPriceFen", "lineTotalFen", "feeRateBp")
    VALUES (v_line_id, p->>'orderId', v_line."skuId", v_line."quantity", v_line."priceFen", v_line."priceFen" * v_line."quantity", v_line."feeRateBp");
    SELECT COALESCE(SUM(a."quantity"), 0)::int INTO v_taken
    FROM "allocate_from_lots"(v_line_id, v_line."skuId", v_line."quantity", v_now, v_today) a;
    IF v_taken < v_line."quantity" THEN
      RAISE EXCEPTION 'sold_out % %', v_line."skuId", "available_units"(v_line."skuId", v_today);
    END IF;
  END LOOP;

  RETURN jsonb_build_object('placed', jsonb_build_object('id', p->>'orderId', 'number', p->>'number', 'totalFen', v_subtotal + v_delivery_fee,
    'expiresAt', floor(extract(epoch FROM v_expires_at) * 1000), 'paymentMethod', v_method));
END;
$fn$;
