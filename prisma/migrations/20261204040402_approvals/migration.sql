-- AlterTable
ALTER TABLE "agents" ADD COLUMN     "approver_lease_expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "approver_lease_holder" TEXT,
ADD COLUMN     "exec_policy" TEXT NOT NULL DEFAULT 'balanced';

-- CreateTable
CREATE TABLE "approval_requests" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "runtime_request_id" TEXT NOT NULL,
    "command" TEXT NOT NULL,
    "cwd" TEXT,
    "runtime_analysis" JSONB NOT NULL DEFAULT '{}',
    "classification" TEXT NOT NULL,
    "reasons" JSONB NOT NULL DEFAULT '[]',
    "source" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "decision" TEXT,
    "decided_by_user_id" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "runtime_resolved_at" TIMESTAMPTZ(3),
    "notified_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "approval_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "approval_requests_user_id_status_created_at_idx" ON "approval_requests"("user_id", "status", "created_at");

-- CreateIndex
CREATE INDEX "approval_requests_status_expires_at_idx" ON "approval_requests"("status", "expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "approval_requests_agent_id_runtime_request_id_key" ON "approval_requests"("agent_id", "runtime_request_id");

-- AddForeignKey
ALTER TABLE "approval_requests" ADD CONSTRAINT "approval_requests_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;
