import type { Db } from "@agentbot/db";
import { createCdpClient, createDepositAddress } from "../cdp/deposit-accounts.ts";
import type { CdpAccountsClient } from "../cdp/deposit-accounts.ts";
import type { UsdcBillingConfig } from "../config.ts";
import type { BillingCatalog } from "../rules/catalog.ts";
import type { UsdcDeps } from "./create-usdc-invoice.ts";

// The SDK keeps one HTTP client per process (the last CdpClient built wins), so one client per credential set is
// built and shared; a second, different set in the same process would silently talk with the first one's keys.
let shared: { readonly key: string; readonly client: CdpAccountsClient } | undefined;

function cdpClientFor(config: UsdcBillingConfig): CdpAccountsClient {
  const key = `${config.apiKeyId}\n${config.apiBase ?? ""}`;
  if (shared !== undefined) {
    if (shared.key !== key) {
      throw new Error(
        "USDC payment: one process can talk to CDP with one API key only (the CDP SDK's client is global)",
      );
    }
    return shared.client;
  }
  // The SDK reports usage and errors (with request details) to Coinbase unless these are set; it reads only the
  // environment, so this writes its switches (it reads no configuration of ours).
  /* eslint-disable no-restricted-properties */
  process.env["DISABLE_CDP_USAGE_TRACKING"] ??= "true";
  process.env["DISABLE_CDP_ERROR_REPORTING"] ??= "true";
  /* eslint-enable no-restricted-properties */
  const client = createCdpClient({
    apiKeyId: config.apiKeyId,
    apiKeySecret: config.apiKeySecret,
    walletSecret: config.walletSecret,
    ...(config.apiBase === undefined ? {} : { basePath: config.apiBase }),
  });
  shared = { key, client };
  return client;
}

/** What the USDC paths need, with deposit addresses from CDP server accounts (one per invoice). */
export function createUsdcDeps(db: Db, config: UsdcBillingConfig, catalog: BillingCatalog): UsdcDeps {
  return {
    db,
    catalog,
    network: config.network,
    invoiceTtlMs: config.invoiceTtlMs,
    addresses: {
      createDepositAddress: (name) => createDepositAddress(cdpClientFor(config), name),
    },
  };
}
