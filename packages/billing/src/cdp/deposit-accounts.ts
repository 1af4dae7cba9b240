import { CdpClient } from "@coinbase/cdp-sdk";

/**
 * Deposit addresses from CDP server wallets: one named EVM account per invoice (`POST /v2/evm/accounts`).
 *
 * Beware, from the SDK (1.57): `new CdpClient` configures a process-wide HTTP client, so the last client constructed
 * is the one every CdpClient uses. Build one per process (per credential set) and share it. The SDK also sends usage
 * and error telemetry to Coinbase unless DISABLE_CDP_USAGE_TRACKING / DISABLE_CDP_ERROR_REPORTING are "true"
 * (read by the SDK from the environment, not configurable here).
 */

export interface CdpClientConfig {
  apiKeyId: string;
  /** An Ed25519 key (base64 of 64 bytes) or an EC P-256 key in PEM, as CDP issues them. */
  apiKeySecret: string;
  /** Base64 DER (PKCS#8) of a P-256 private key, as CDP issues it. */
  walletSecret: string;
  /** Default: CDP's production API. The tests point it at the stand-in (src/testing/cdp-stand-in). */
  basePath?: string;
}

/** What createDepositAddress needs of a CdpClient (a seam for callers; the real client fits). */
export interface CdpAccountsClient {
  evm: Pick<CdpClient["evm"], "createAccount">;
}

export function createCdpClient(config: CdpClientConfig): CdpClient {
  // Empty values would make the SDK fall back to CDP_* environment variables; refuse them instead.
  for (const key of ["apiKeyId", "apiKeySecret", "walletSecret"] as const) {
    if (config[key].trim() === "") throw new Error(`createCdpClient: ${key} is empty`);
  }
  return new CdpClient({
    apiKeyId: config.apiKeyId,
    apiKeySecret: config.apiKeySecret,
    walletSecret: config.walletSecret,
    ...(config.basePath === undefined ? {} : { basePath: config.basePath }),
  });
}

/**
 * CDP's rule for account names, from its OpenAPI pattern: 2–36 characters, letters, digits and hyphens, starting and
 * ending with a letter or digit. Names are unique per CDP project.
 */
const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,34}[A-Za-z0-9]$/;
const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

export function isValidCdpAccountName(name: string): boolean {
  return ACCOUNT_NAME.test(name);
}

/**
 * Creates a new CDP EVM account named `name` and answers its address.
 * Throws a RangeError before any request if the name breaks CDP's rule (see ACCOUNT_NAME). A name already used in
 * the project is refused by CDP with 409 (the SDK's APIError, `statusCode` 409): derive the name from the invoice,
 * and on 409 look the existing account up by name (`cdp.evm.getAccount({ name })`) instead of making another.
 */
export async function createDepositAddress(
  cdp: CdpAccountsClient,
  name: string,
): Promise<{ address: string; name: string }> {
  if (!isValidCdpAccountName(name)) {
    throw new RangeError(
      `not a valid CDP account name: ${JSON.stringify(name)} (2-36 letters, digits or hyphens, starting and ending with a letter or digit)`,
    );
  }
  const account = await cdp.evm.createAccount({ name });
  if (!EVM_ADDRESS.test(account.address)) {
    throw new Error(`CDP answered an account without a valid EVM address: ${JSON.stringify(account.address)}`);
  }
  return { address: account.address, name: account.name ?? name };
}
