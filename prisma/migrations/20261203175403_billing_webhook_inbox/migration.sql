-- AlterTable
ALTER TABLE "billing_webhook_events" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "last_error" TEXT,
ADD COLUMN     "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "outcome" TEXT,
ADD COLUMN     "payload" JSONB,
ADD COLUMN     "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ALTER COLUMN "processed_at" DROP NOT NULL,
ALTER COLUMN "processed_at" DROP DEFAULT;

-- CreateIndex
CREATE INDEX "billing_webhook_events_processed_at_next_attempt_at_idx" ON "billing_webhook_events"("processed_at", "next_attempt_at");

-- Events recorded before the inbox existed were applied when they were recorded.
UPDATE "billing_webhook_events" SET "outcome" = 'processed', "attempts" = 1 WHERE "outcome" IS NULL AND "processed_at" IS NOT NULL;
