import { randomUUID } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { newEvmAddress } from "./addresses.ts";
import { requestBodyHash, verifyBearerToken, verifyWalletToken } from "./auth.ts";
import type { RequestTarget } from "./auth.ts";
import type { ApiVerificationKey } from "./credentials.ts";

/**
 * The part of CDP's REST API (v2) that server wallets need, as `@coinbase/cdp-sdk` 1.57 calls it. The SDK joins its
 * `basePath` (default `https://api.cdp.coinbase.com/platform`) and the operation's path (`/v2/evm/accounts`) by plain
 * concatenation when signing and the JWTs name `<METHOD> <host><basePath path><operation path>`, so the stand-in
 * serves under `/platform` too and its basePath must be passed without a trailing slash.
 *
 * - `POST /v2/evm/accounts` `{ name?, accountPolicy? }` → 201 EvmAccount. Needs the bearer JWT and X-Wallet-Auth.
 *   400 `invalid_request` for a body that is not a JSON object or a name breaking CDP's rule; 409 `already_exists`
 *   for a name already used; with `X-Idempotency-Key` (a UUID v4, else 400) a retry of the same request answers the
 *   first answer again, and the same key on a different request is 422 `idempotency_error`.
 * - `GET /v2/evm/accounts` → `{ accounts }`; `GET /v2/evm/accounts/by-name/{name}` and
 *   `GET /v2/evm/accounts/{address}` → 200 EvmAccount or 404 `not_found`. Bearer JWT only.
 * - Any failed credential is 401 `unauthorized`; other paths are 404 `not_found`.
 * Errors have CDP's shape `{ errorType, errorMessage, correlationId, errorLink }`.
 */

export const API_PATH_PREFIX = "/platform";

export interface ApiRequest extends RequestTarget {
  readonly authorization: string | undefined;
  readonly walletAuth: string | undefined;
  readonly idempotencyKey: string | null;
  readonly rawBody: string;
}

export interface ApiReply {
  readonly status: number;
  readonly body: unknown;
}

export interface EvmAccountJson {
  address: string;
  name?: string;
  policies: string[];
  createdAt: string;
  updatedAt: string;
}

export interface CdpApi {
  handle(request: ApiRequest): Promise<ApiReply>;
  /** Named accounts, name → address, in creation order. */
  accountsByName(): Map<string, string>;
  /** Every account, named or not, in creation order. */
  allAccounts(): readonly EvmAccountJson[];
}

/** CDP's account name rule (its OpenAPI pattern): 2–36 letters, digits or hyphens, alphanumeric at both ends. */
const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,34}[A-Za-z0-9]$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ERROR_DOCS = "https://docs.cdp.coinbase.com/api-reference/v2/errors";

export function cdpError(status: number, errorType: string, errorMessage: string): ApiReply {
  return {
    status,
    body: { errorType, errorMessage, correlationId: randomUUID(), errorLink: `${ERROR_DOCS}#${errorType}` },
  };
}

interface IdempotentReply {
  readonly fingerprint: string;
  readonly reply: ApiReply;
}

export function createCdpApi(config: { apiKeyId: string; apiKey: ApiVerificationKey; walletKey: KeyObject }): CdpApi {
  const accounts: EvmAccountJson[] = [];
  const byName = new Map<string, EvmAccountJson>();
  const byAddress = new Map<string, EvmAccountJson>();
  const idempotent = new Map<string, IdempotentReply>();
  const usedWalletJtis = new Set<string>();

  async function createAccount(request: ApiRequest, operationPath: string): Promise<ApiReply> {
    let body: unknown;
    try {
      body = request.rawBody.trim() === "" ? {} : JSON.parse(request.rawBody);
    } catch {
      return cdpError(400, "invalid_request", "The request body is not valid JSON.");
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return cdpError(400, "invalid_request", "The request body must be a JSON object.");
    }
    const wallet = await verifyWalletToken(request.walletAuth, request, body, config.walletKey, usedWalletJtis);
    if (!wallet.ok) return cdpError(401, "unauthorized", wallet.message);

    // From here on nothing awaits: checking and recording (idempotency, names) cannot interleave with another request.
    const key = request.idempotencyKey;
    if (key !== null && !UUID_V4.test(key)) {
      return cdpError(400, "invalid_request", "X-Idempotency-Key must be a UUID v4.");
    }
    const fingerprint = `${request.method} ${operationPath} ${requestBodyHash(body)}`;
    if (key !== null) {
      const earlier = idempotent.get(key);
      if (earlier !== undefined) {
        if (earlier.fingerprint === fingerprint) return earlier.reply;
        return cdpError(422, "idempotency_error", "This idempotency key was already used with different parameters.");
      }
    }
    const reply = newAccount(body as Record<string, unknown>);
    if (key !== null) idempotent.set(key, { fingerprint, reply });
    return reply;
  }

  function newAccount(body: Record<string, unknown>): ApiReply {
    const { name, accountPolicy } = body;
    if (name !== undefined && (typeof name !== "string" || !ACCOUNT_NAME.test(name))) {
      return cdpError(
        400,
        "invalid_request",
        "name must be 2-36 characters: letters, digits and hyphens, starting and ending with a letter or digit.",
      );
    }
    if (accountPolicy !== undefined && (typeof accountPolicy !== "string" || !UUID.test(accountPolicy))) {
      return cdpError(400, "invalid_request", "accountPolicy must be a policy id (a UUID).");
    }
    if (name !== undefined && byName.has(name)) {
      return cdpError(409, "already_exists", "EVM account with the given name already exists.");
    }
    const now = new Date().toISOString();
    const account: EvmAccountJson = {
      address: newEvmAddress(),
      ...(name === undefined ? {} : { name }),
      policies: accountPolicy === undefined ? [] : [accountPolicy],
      createdAt: now,
      updatedAt: now,
    };
    accounts.push(account);
    if (name !== undefined) byName.set(name, account);
    byAddress.set(account.address.toLowerCase(), account);
    return { status: 201, body: account };
  }

  function found(account: EvmAccountJson | undefined): ApiReply {
    if (account === undefined) return cdpError(404, "not_found", "EVM account not found.");
    return { status: 200, body: account };
  }

  return {
    async handle(request) {
      if (!request.path.startsWith(`${API_PATH_PREFIX}/`)) return cdpError(404, "not_found", "API not found.");
      const operationPath = request.path.slice(API_PATH_PREFIX.length);
      const route = matchRoute(request.method, operationPath);
      if (route === null) return cdpError(404, "not_found", "API not found.");
      const bearer = await verifyBearerToken(request.authorization, request, config.apiKeyId, config.apiKey);
      if (!bearer.ok) return cdpError(401, "unauthorized", bearer.message);
      switch (route.kind) {
        case "create":
          return createAccount(request, operationPath);
        case "list":
          return { status: 200, body: { accounts: [...accounts] } };
        case "by-name":
          return found(byName.get(route.value));
        case "by-address":
          if (!ADDRESS.test(route.value))
            return cdpError(400, "invalid_request", "address must be 0x and 40 hex digits.");
          return found(byAddress.get(route.value.toLowerCase()));
      }
    },
    accountsByName: () => new Map([...byName].map(([name, account]) => [name, account.address])),
    allAccounts: () => accounts.map((account) => ({ ...account, policies: [...account.policies] })),
  };
}

type Route =
  { kind: "create" } | { kind: "list" } | { kind: "by-name"; value: string } | { kind: "by-address"; value: string };

function matchRoute(method: string, path: string): Route | null {
  if (path === "/v2/evm/accounts") {
    if (method === "POST") return { kind: "create" };
    if (method === "GET") return { kind: "list" };
    return null;
  }
  if (method !== "GET") return null;
  const byName = /^\/v2\/evm\/accounts\/by-name\/([^/]+)$/.exec(path)?.[1];
  if (byName !== undefined) return { kind: "by-name", value: safeDecode(byName) };
  const byAddress = /^\/v2\/evm\/accounts\/([^/]+)$/.exec(path)?.[1];
  if (byAddress !== undefined) return { kind: "by-address", value: safeDecode(byAddress) };
  return null;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
