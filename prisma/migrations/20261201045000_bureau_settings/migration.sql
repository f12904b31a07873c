-- CreateTable
CREATE TABLE "BureauSetting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedById" TEXT,

    CONSTRAINT "BureauSetting_pkey" PRIMARY KEY ("key")
);

-- Settings became per village, while after how many days a delivered order counts as received is the bureau's rule
-- for every unit, so it lives here; a value set before moves over (any village's copy: they were all one value).
INSERT INTO "BureauSetting" ("key", "value", "updatedAt", "updatedById")
SELECT DISTINCT ON (s."key") s."key", s."value", s."updatedAt", s."updatedById"
FROM "Setting" s WHERE s."key" = 'receipt.autoDays'
ORDER BY s."key", s."updatedAt" DESC;
DELETE FROM "Setting" WHERE "key" = 'receipt.autoDays';

CREATE OR REPLACE FUNCTION "receipt_auto_days"() RETURNS int
  LANGUAGE sql STABLE
  AS $fn$
    SELECT COALESCE(
      (SELECT CASE WHEN jsonb_typeof(s."value") = 'number' THEN (s."value" #>> '{}')::int END FROM "BureauSetting" s WHERE s."key" = 'receipt.autoDays'),
      7)
  $fn$;
