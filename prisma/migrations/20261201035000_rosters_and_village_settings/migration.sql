-- AlterTable
ALTER TABLE "Cooperative" ADD COLUMN     "defaultFeeRateBp" INTEGER NOT NULL DEFAULT 800;

-- Settings become per village: every village starts with the values that applied to all of them until now.
ALTER TABLE "Setting" DROP CONSTRAINT "Setting_pkey",
ADD COLUMN     "villageId" TEXT;

INSERT INTO "Setting" ("villageId", "key", "value", "updatedAt", "updatedById")
SELECT v."id", s."key", s."value", s."updatedAt", s."updatedById"
FROM "Setting" s CROSS JOIN "Village" v
WHERE s."villageId" IS NULL;

DELETE FROM "Setting" WHERE "villageId" IS NULL;

ALTER TABLE "Setting" ALTER COLUMN "villageId" SET NOT NULL,
ADD CONSTRAINT "Setting_pkey" PRIMARY KEY ("villageId", "key");

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "department" TEXT;

-- CreateTable
CREATE TABLE "ActivationCode" (
    "userId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "issuedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ActivationCode_pkey" PRIMARY KEY ("userId")
);

-- CreateIndex
CREATE UNIQUE INDEX "ActivationCode_codeHash_key" ON "ActivationCode"("codeHash");

-- AddForeignKey
ALTER TABLE "ActivationCode" ADD CONSTRAINT "ActivationCode_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Setting" ADD CONSTRAINT "Setting_villageId_fkey" FOREIGN KEY ("villageId") REFERENCES "Village"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
