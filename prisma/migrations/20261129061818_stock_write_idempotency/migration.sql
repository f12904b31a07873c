-- AlterTable
ALTER TABLE "StockLot" ADD COLUMN     "idempotencyKey" TEXT;

-- AlterTable
ALTER TABLE "StockWriteOff" ADD COLUMN     "idempotencyKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "StockLot_idempotencyKey_key" ON "StockLot"("idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "StockWriteOff_idempotencyKey_key" ON "StockWriteOff"("idempotencyKey");
