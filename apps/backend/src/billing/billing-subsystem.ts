import { createStripeClient, createUsdcDeps } from "@agentbot/billing";
import type { BillingConfig } from "@agentbot/billing";
import type { Db } from "@agentbot/db";
import type { EmailProvider } from "@agentbot/email";
import type { AgentServices } from "../agents/agent-services.ts";
import type { Logger } from "../logger.ts";
import type { BillingServices } from "./billing-services.ts";
import { createBillingWorker } from "./billing-worker.ts";

export interface BillingSubsystemOptions {
  readonly db: Db;
  readonly logger: Logger;
  readonly agents: AgentServices;
  readonly email: EmailProvider;
  readonly config: BillingConfig;
  readonly webUrl: string;
  readonly databaseUrl: string;
  readonly sweepIntervalMs: number;
  readonly pollIntervalMs?: number;
  readonly now?: () => Date;
}

/** The billing worker with what it works with; main.ts and the tests build it the same way. */
export function createBillingSubsystem(options: BillingSubsystemOptions) {
  const services: BillingServices = {
    db: options.db,
    logger: options.logger,
    agents: options.agents,
    email: options.email,
    config: options.config,
    webUrl: options.webUrl,
    stripe: options.config.stripe === null ? null : createStripeClient(options.config.stripe),
    usdc: options.config.usdc === null ? null : createUsdcDeps(options.db, options.config.usdc, options.config.catalog),
    now: options.now ?? (() => new Date()),
  };
  const worker = createBillingWorker(services, {
    databaseUrl: options.databaseUrl,
    sweepIntervalMs: options.sweepIntervalMs,
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
  });
  return { services, worker };
}
