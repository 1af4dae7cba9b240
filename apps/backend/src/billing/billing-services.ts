import type { BillingConfig, Stripe, UsdcDeps } from "@agentbot/billing";
import type { Db } from "@agentbot/db";
import type { EmailProvider } from "@agentbot/email";
import type { AgentServices } from "../agents/agent-services.ts";
import type { Logger } from "../logger.ts";

/** What the backend's billing worker works with. */
export interface BillingServices {
  readonly db: Db;
  readonly logger: Logger;
  /** Suspension and resumption go through the agents' own operations. */
  readonly agents: AgentServices;
  readonly email: EmailProvider;
  readonly config: BillingConfig;
  /** The dashboard's origin, for the links in emails. */
  readonly webUrl: string;
  /** The Stripe SDK, to apply the webhook's events (re-reads); null when card payment is not configured. */
  readonly stripe: Stripe | null;
  /** USDC invoices (renewals); null when USDC payment is not configured. */
  readonly usdc: UsdcDeps | null;
  readonly now: () => Date;
}
