-- CreateTable
CREATE TABLE "agents" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "failure_reason" TEXT,
    "failure_message" TEXT,
    "engine" TEXT NOT NULL,
    "engine_service_id" TEXT,
    "engine_ref" JSONB,
    "url" TEXT,
    "runtime_version" TEXT NOT NULL,
    "plan" TEXT NOT NULL,
    "cpu_millicores" INTEGER NOT NULL,
    "memory_mb" INTEGER NOT NULL,
    "model_provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "gateway_token_ciphertext" TEXT NOT NULL,
    "provider_key_ciphertext" TEXT,
    "channel_secrets_ciphertext" TEXT,
    "active_operation_id" TEXT,
    "consecutive_health_failures" INTEGER NOT NULL DEFAULT 0,
    "auto_restart_count" INTEGER NOT NULL DEFAULT 0,
    "next_auto_restart_at" TIMESTAMPTZ(3),
    "last_healthy_at" TIMESTAMPTZ(3),
    "running_since" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "agents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_operations" (
    "id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "idempotency_key" TEXT,
    "params" JSONB NOT NULL DEFAULT '{}',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "slot_holder" TEXT,
    "lease_holder" TEXT,
    "lease_expires_at" TIMESTAMPTZ(3),
    "deadline_at" TIMESTAMPTZ(3) NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "error_reason" TEXT,
    "error_message" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "agent_operations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_events" (
    "id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "operation_id" TEXT,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "duration_ms" INTEGER,
    "data" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "agents_active_operation_id_key" ON "agents"("active_operation_id");

-- CreateIndex
CREATE INDEX "agents_user_id_created_at_idx" ON "agents"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "agents_status_idx" ON "agents"("status");

-- CreateIndex
CREATE INDEX "agent_operations_agent_id_created_at_idx" ON "agent_operations"("agent_id", "created_at");

-- CreateIndex
CREATE INDEX "agent_operations_status_deadline_at_idx" ON "agent_operations"("status", "deadline_at");

-- CreateIndex
CREATE UNIQUE INDEX "agent_operations_user_id_idempotency_key_key" ON "agent_operations"("user_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "agent_events_agent_id_created_at_idx" ON "agent_events"("agent_id", "created_at");

-- AddForeignKey
ALTER TABLE "agents" ADD CONSTRAINT "agents_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_operations" ADD CONSTRAINT "agent_operations_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_events" ADD CONSTRAINT "agent_events_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;
