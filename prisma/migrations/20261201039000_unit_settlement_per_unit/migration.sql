-- A unit settlement becomes one unit's payment for its own members' orders: unique per (group order, unit).
-- Existing settlements (one per group order, for every unit's unit-settled orders together) are kept: each goes to
-- the unit whose orders it covered; one that covered several units' orders is split into one settlement per unit,
-- each with the amount of that unit's payments and the same reference, date and recorder, so every payment keeps a
-- settlement and the amounts still add up to what was paid.

DROP INDEX "UnitSettlement_groupOrderId_key";

ALTER TABLE "BulkTask" ADD COLUMN "settlementId" TEXT;

ALTER TABLE "UnitSettlement" ADD COLUMN "unitId" TEXT;

-- The unit of each order a settlement paid for; an order without a unit falls to the opener's unit, else to the
-- first unit the group order invited.
CREATE TEMP TABLE "_covered" AS
SELECT p."settlementId", COALESCE(o."unitId", opener."unitId", first_unit."unitId") AS "unitId", SUM(p."amountFen")::int AS "amountFen"
FROM "Payment" p
JOIN "Order" o ON o."id" = p."orderId"
JOIN "UnitSettlement" s ON s."id" = p."settlementId"
JOIN "GroupOrder" g ON g."id" = s."groupOrderId"
LEFT JOIN "User" opener ON opener."id" = g."organizerId"
LEFT JOIN LATERAL (SELECT gu."unitId" FROM "GroupOrderUnit" gu WHERE gu."groupOrderId" = g."id" ORDER BY gu."unitId" LIMIT 1) first_unit ON TRUE
WHERE p."settlementId" IS NOT NULL
GROUP BY 1, 2;

CREATE TEMP TABLE "_ranked" AS
SELECT *, row_number() OVER (PARTITION BY "settlementId" ORDER BY "unitId") AS "rank" FROM "_covered";

-- The first unit keeps the settlement's row.
UPDATE "UnitSettlement" s SET "unitId" = r."unitId", "amountFen" = r."amountFen"
FROM "_ranked" r WHERE r."settlementId" = s."id" AND r."rank" = 1 AND (SELECT COUNT(*) FROM "_ranked" x WHERE x."settlementId" = s."id") > 1;
UPDATE "UnitSettlement" s SET "unitId" = r."unitId"
FROM "_ranked" r WHERE r."settlementId" = s."id" AND r."rank" = 1 AND s."unitId" IS NULL;

-- Every other unit gets its own settlement, and its payments move to it.
INSERT INTO "UnitSettlement" ("id", "groupOrderId", "unitId", "amountFen", "currency", "reference", "paidOn", "recordedById", "createdAt")
SELECT s."id" || '-' || r."rank", s."groupOrderId", r."unitId", r."amountFen", s."currency", s."reference", s."paidOn", s."recordedById", s."createdAt"
FROM "_ranked" r JOIN "UnitSettlement" s ON s."id" = r."settlementId"
WHERE r."rank" > 1;

UPDATE "Payment" p SET "settlementId" = p."settlementId" || '-' || r."rank"
FROM "Order" o, "UnitSettlement" s, "GroupOrder" g, "_ranked" r
WHERE o."id" = p."orderId" AND s."id" = p."settlementId" AND g."id" = s."groupOrderId" AND r."settlementId" = p."settlementId"
  AND r."rank" > 1
  AND r."unitId" = COALESCE(o."unitId", (SELECT u."unitId" FROM "User" u WHERE u."id" = g."organizerId"),
    (SELECT gu."unitId" FROM "GroupOrderUnit" gu WHERE gu."groupOrderId" = g."id" ORDER BY gu."unitId" LIMIT 1));

-- A settlement with no payments (none can exist, but none is lost either) goes to the opener's or the first unit.
UPDATE "UnitSettlement" s SET "unitId" = COALESCE(
  (SELECT u."unitId" FROM "User" u JOIN "GroupOrder" g ON g."organizerId" = u."id" WHERE g."id" = s."groupOrderId"),
  (SELECT gu."unitId" FROM "GroupOrderUnit" gu WHERE gu."groupOrderId" = s."groupOrderId" ORDER BY gu."unitId" LIMIT 1))
WHERE s."unitId" IS NULL;

DROP TABLE "_ranked";
DROP TABLE "_covered";

ALTER TABLE "UnitSettlement" ALTER COLUMN "unitId" SET NOT NULL;

CREATE INDEX "UnitSettlement_unitId_idx" ON "UnitSettlement"("unitId");

CREATE UNIQUE INDEX "UnitSettlement_groupOrderId_unitId_key" ON "UnitSettlement"("groupOrderId", "unitId");

ALTER TABLE "UnitSettlement" ADD CONSTRAINT "UnitSettlement_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "BulkTask" ADD CONSTRAINT "BulkTask_settlementId_fkey" FOREIGN KEY ("settlementId") REFERENCES "UnitSettlement"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A settle task still queued from before credits the settlement its group order had (see creditSettledOrders).
