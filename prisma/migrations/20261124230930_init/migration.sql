-- CreateTable
CREATE TABLE "backend_instances" (
    "id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "version" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "backend_instances_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "backend_instances_last_seen_at_idx" ON "backend_instances"("last_seen_at");
