-- AlterTable
ALTER TABLE "users" ADD COLUMN     "reauthenticated_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "agent_exec_allowlist" (
    "id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "pattern" TEXT NOT NULL,
    "created_by_user_id" TEXT,
    "approval_request_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_exec_allowlist_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "agent_exec_allowlist_agent_id_pattern_key" ON "agent_exec_allowlist"("agent_id", "pattern");

-- AddForeignKey
ALTER TABLE "agent_exec_allowlist" ADD CONSTRAINT "agent_exec_allowlist_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_exec_allowlist" ADD CONSTRAINT "agent_exec_allowlist_created_by_user_id_fkey" FOREIGN KEY ("created_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_exec_allowlist" ADD CONSTRAINT "agent_exec_allowlist_approval_request_id_fkey" FOREIGN KEY ("approval_request_id") REFERENCES "approval_requests"("id") ON DELETE SET NULL ON UPDATE CASCADE;
