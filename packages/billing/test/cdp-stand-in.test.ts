import { spawn } from "node:child_process";
import { createPrivateKey, generateKeyPairSync, randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { generateJwt, generateWalletJwt } from "@coinbase/cdp-sdk/auth";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseOnchainActivity } from "../src/cdp/cdp-payload.ts";
import { createCdpClient, createDepositAddress } from "../src/cdp/deposit-accounts.ts";
import { verifyCdpWebhookSignature } from "../src/cdp/webhook-signature.ts";
import { toChecksumAddress } from "../src/testing/cdp-stand-in/addresses.ts";
import { generateCdpTestCredentials, startCdpStandIn } from "../src/testing/cdp-stand-in/index.ts";
import type { CdpStandIn, CdpTestCredentials } from "../src/testing/cdp-stand-in/index.ts";

// The real @coinbase/cdp-sdk against the stand-in. Beware: every `new CdpClient` replaces the SDK's process-wide HTTP
// client, so each test builds the client it uses right before using it (tests in a file run one after another).

const USDC_BASE = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913";
const USDC_BASE_SEPOLIA = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";
const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const MAIN = fileURLToPath(new URL("../src/testing/cdp-stand-in/main.ts", import.meta.url));

const credentials = generateCdpTestCredentials();
const webhookSecret = `test-webhook-secret-${randomUUID()}`;
let standIn: CdpStandIn;
/** The host of every fetch made in this process (the SDK's telemetry uses fetch; vitest clears mock calls per test). */
const fetchedHosts: string[] = [];

function client(keys: CdpTestCredentials = credentials, basePath = standIn.basePath) {
  return createCdpClient({ ...keys, basePath });
}

function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

beforeAll(async () => {
  // The SDK sends usage and error reports to Coinbase unless these are set (it reads them when it would send).
  vi.stubEnv("DISABLE_CDP_USAGE_TRACKING", "true");
  vi.stubEnv("DISABLE_CDP_ERROR_REPORTING", "true");
  const realFetch = globalThis.fetch;
  vi.stubGlobal("fetch", (input: string | URL | Request, init?: RequestInit) => {
    fetchedHosts.push(new URL(input instanceof Request ? input.url : input).hostname);
    return realFetch(input, init);
  });
  standIn = await startCdpStandIn({ ...credentials, webhookSecret });
});

afterAll(async () => {
  await standIn.close();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

interface Received {
  readonly headers: Headers;
  readonly rawBody: string;
}

/** A webhook endpoint recording what it receives (before it answers, so a delivery's promise sees it recorded). */
async function startReceiver(status = 200): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === "string") headers.set(name, value);
      }
      received.push({ headers, rawBody: Buffer.concat(chunks).toString("utf8") });
      response.writeHead(status).end("ok");
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/webhooks/cdp`,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

function verify(delivery: { body: string; headers: Headers | Record<string, string> }, nowSeconds?: number) {
  const signatureHeader =
    delivery.headers instanceof Headers
      ? delivery.headers.get("x-hook0-signature")
      : (delivery.headers["x-hook0-signature"] ?? null);
  return verifyCdpWebhookSignature({
    rawBody: delivery.body,
    signatureHeader,
    headers: delivery.headers,
    secret: webhookSecret,
    ...(nowSeconds === undefined ? {} : { nowSeconds }),
  });
}

describe("CDP stand-in: server wallets through the real SDK", () => {
  it("creates named accounts with distinct, valid, checksummed addresses the SDK can look up", async () => {
    const cdp = client();
    const first = uniqueName("inv");
    const second = uniqueName("inv");
    const a = await createDepositAddress(cdp, first);
    const b = await createDepositAddress(cdp, second);

    expect(a).toEqual({ address: expect.stringMatching(EVM_ADDRESS) as unknown, name: first });
    expect(b.address).toMatch(EVM_ADDRESS);
    expect(a.address).not.toBe(b.address);
    expect(toChecksumAddress(a.address)).toBe(a.address);
    expect(standIn.accounts.get(first)).toBe(a.address);
    expect(standIn.accounts.get(second)).toBe(b.address);

    expect((await cdp.evm.getAccount({ name: first })).address).toBe(a.address);
    const byAddress = await cdp.evm.getAccount({ address: b.address as `0x${string}` });
    expect(byAddress.name).toBe(second);

    const creates = standIn.requests.filter((request) => request.method === "POST");
    expect(creates.slice(-2)).toEqual([
      { method: "POST", path: "/platform/v2/evm/accounts", status: 201, idempotencyKey: null },
      { method: "POST", path: "/platform/v2/evm/accounts", status: 201, idempotencyKey: null },
    ]);
  });

  it("refuses a name already used with 409 already_exists", async () => {
    const cdp = client();
    const name = uniqueName("dup");
    await createDepositAddress(cdp, name);
    const count = standIn.accounts.size;
    await expect(createDepositAddress(cdp, name)).rejects.toMatchObject({
      name: "APIError",
      statusCode: 409,
      errorType: "already_exists",
    });
    expect(standIn.accounts.size).toBe(count);
    // What createDepositAddress's callers do on 409: look the account up by name.
    expect((await cdp.evm.getOrCreateAccount({ name })).address).toBe(standIn.accounts.get(name));
  });

  it("refuses names breaking CDP's rule with 400 invalid_request (the SDK sends them as they are)", async () => {
    const cdp = client();
    for (const name of ["-starts-with-hyphen", "a", "x".repeat(37), "under_score"]) {
      await expect(cdp.evm.createAccount({ name })).rejects.toMatchObject({
        statusCode: 400,
        errorType: "invalid_request",
      });
    }
    const ok = "x".repeat(36);
    const created = await cdp.evm.createAccount({ name: ok });
    expect(created.address).toBe(standIn.accounts.get(ok));
  });

  it("answers a retry under the same X-Idempotency-Key with the first answer, and refuses the key for another request", async () => {
    const cdp = client();
    const idempotencyKey = randomUUID();
    const name = uniqueName("idem");
    const count = standIn.accounts.size;
    const first = await cdp.evm.createAccount({ name, idempotencyKey });
    const retry = await cdp.evm.createAccount({ name, idempotencyKey });
    expect(retry.address).toBe(first.address);
    expect(standIn.accounts.size).toBe(count + 1);
    expect(standIn.requests.filter((request) => request.idempotencyKey === idempotencyKey)).toEqual([
      { method: "POST", path: "/platform/v2/evm/accounts", status: 201, idempotencyKey },
      { method: "POST", path: "/platform/v2/evm/accounts", status: 201, idempotencyKey },
    ]);
    await expect(cdp.evm.createAccount({ name: uniqueName("other"), idempotencyKey })).rejects.toMatchObject({
      statusCode: 422,
      errorType: "idempotency_error",
    });
    await expect(
      cdp.evm.createAccount({ name: uniqueName("bad-key"), idempotencyKey: "not-a-uuid" }),
    ).rejects.toMatchObject({ statusCode: 400, errorType: "invalid_request" });
  });

  it("answers an unknown account with 404 not_found", async () => {
    const cdp = client();
    await expect(cdp.evm.getAccount({ name: uniqueName("missing") })).rejects.toMatchObject({
      statusCode: 404,
      errorType: "not_found",
    });
  });

  it("refuses another API key, or another wallet secret, with 401 unauthorized and creates nothing", async () => {
    const other = generateCdpTestCredentials();
    const count = standIn.accounts.size;
    const name = uniqueName("intruder");
    await expect(createDepositAddress(client({ ...other }), name)).rejects.toMatchObject({
      statusCode: 401,
      errorType: "unauthorized",
    });
    await expect(
      createDepositAddress(client({ ...credentials, walletSecret: other.walletSecret }), name),
    ).rejects.toMatchObject({ statusCode: 401, errorType: "unauthorized" });
    // The right API key id with another key's secret: the signature does not verify.
    await expect(
      createDepositAddress(client({ ...credentials, apiKeySecret: other.apiKeySecret }), name),
    ).rejects.toMatchObject({ statusCode: 401 });
    expect(standIn.accounts.size).toBe(count);
    expect(standIn.requests.slice(-3).map((request) => request.status)).toEqual([401, 401, 401]);
  });

  it("accepts an EC P-256 API key in PEM, as CDP's older keys are", async () => {
    const pem = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({
      format: "pem",
      type: "pkcs8",
    });
    const ecCredentials = { ...generateCdpTestCredentials(), apiKeySecret: String(pem) };
    const ecStandIn = await startCdpStandIn({ ...ecCredentials, webhookSecret });
    try {
      const name = uniqueName("ec");
      const account = await createDepositAddress(client(ecCredentials, ecStandIn.basePath), name);
      expect(ecStandIn.accounts.get(name)).toBe(account.address);
    } finally {
      await ecStandIn.close();
    }
  });

  describe("the credentials, checked on the wire", () => {
    const url = () => new URL(`${standIn.basePath}/v2/evm/accounts`);
    const target = () => ({ requestHost: url().host, requestPath: url().pathname });

    async function post(headers: Record<string, string>, body: unknown) {
      const response = await fetch(url(), {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    }

    const bearer = async (requestMethod = "POST") =>
      `Bearer ${await generateJwt({ ...credentials, ...target(), requestMethod })}`;
    const walletJwt = (requestData: Record<string, unknown>) =>
      generateWalletJwt({ walletSecret: credentials.walletSecret, ...target(), requestMethod: "POST", requestData });

    it("accepts what the SDK signs, once", async () => {
      const body = { name: uniqueName("wire") };
      const walletAuth = await walletJwt(body);
      const created = await post({ authorization: await bearer(), "x-wallet-auth": walletAuth }, body);
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ address: expect.stringMatching(EVM_ADDRESS) as unknown, name: body.name });
      expect(created.json).toEqual({
        address: created.json["address"],
        name: body.name,
        policies: [],
        createdAt: expect.any(String) as unknown,
        updatedAt: expect.any(String) as unknown,
      });
      const replayed = await post({ authorization: await bearer(), "x-wallet-auth": walletAuth }, body);
      expect(replayed).toMatchObject({ status: 401, json: { errorType: "unauthorized" } });
    });

    it("refuses a missing token, a token for another request, an expired token and a body the wallet did not sign", async () => {
      const body = { name: uniqueName("wire") };
      const noBearer = await post({ "x-wallet-auth": await walletJwt(body) }, body);
      expect(noBearer).toMatchObject({ status: 401, json: { errorType: "unauthorized" } });
      expect(typeof noBearer.json["errorMessage"]).toBe("string");

      const forGet = await post({ authorization: await bearer("GET"), "x-wallet-auth": await walletJwt(body) }, body);
      expect(forGet).toMatchObject({
        status: 401,
        json: { errorMessage: expect.stringContaining("not for POST") as unknown },
      });

      const seed = Buffer.from(credentials.apiKeySecret, "base64");
      const key = createPrivateKey({
        key: {
          kty: "OKP",
          crv: "Ed25519",
          d: seed.subarray(0, 32).toString("base64url"),
          x: seed.subarray(32).toString("base64url"),
        },
        format: "jwk",
      });
      const past = Math.floor(Date.now() / 1000) - 600;
      const expired = await new SignJWT({
        iss: "cdp",
        sub: credentials.apiKeyId,
        uris: [`POST ${url().host}${url().pathname}`],
      })
        .setProtectedHeader({ alg: "EdDSA", kid: credentials.apiKeyId, typ: "JWT" })
        .setIssuedAt(past)
        .setNotBefore(past)
        .setExpirationTime(past + 120)
        .sign(key);
      const late = await post({ authorization: `Bearer ${expired}`, "x-wallet-auth": await walletJwt(body) }, body);
      expect(late).toMatchObject({ status: 401, json: { errorType: "unauthorized" } });

      const otherBody = await post(
        { authorization: await bearer(), "x-wallet-auth": await walletJwt({ name: uniqueName("signed") }) },
        body,
      );
      expect(otherBody).toMatchObject({
        status: 401,
        json: { errorMessage: expect.stringContaining("reqHash") as unknown },
      });

      const noWallet = await post({ authorization: await bearer() }, body);
      expect(noWallet).toMatchObject({ status: 401, json: { errorType: "unauthorized" } });
      expect(standIn.accounts.has(body.name)).toBe(false);
    });
  });
});

describe("CDP stand-in: onchain.activity.detected webhooks", () => {
  it("delivers a USDC transfer that verifies and parses like CDP's", async () => {
    const receiver = await startReceiver();
    try {
      standIn.setWebhookUrl(receiver.url);
      const { address } = await createDepositAddress(client(), uniqueName("pay"));
      const result = await standIn.transfer({ to: address, value: 25_000_000n });

      expect(result.status).toBe(200);
      expect(receiver.received).toHaveLength(1);
      const [delivery] = receiver.received;
      if (delivery === undefined) throw new Error("no delivery");
      expect(delivery.rawBody).toBe(result.body);
      expect(delivery.headers.get("content-type")).toBe("application/json");
      expect(delivery.headers.get("x-hook0-id")).toBe(result.eventId);
      expect(result.eventId).toMatch(/^[0-9a-f-]{36}$/);
      expect(delivery.headers.get("x-hook0-signature")).toMatch(/^t=\d+,h=content-type x-hook0-id,v1=[0-9a-f]{64}$/);
      expect(verify({ body: delivery.rawBody, headers: delivery.headers })).toEqual({
        ok: true,
        timestamp: expect.any(Number) as unknown,
      });

      const parsed = parseOnchainActivity(JSON.parse(delivery.rawBody));
      if (!parsed.ok) throw new Error(parsed.error);
      expect(parsed.value).toMatchObject({
        contract_address: USDC_BASE,
        event_name: "Transfer",
        log_index: 0,
        network: "base-mainnet",
        parameters: { to: address, value: "25000000" },
        transaction_to: USDC_BASE,
      });
      expect(parsed.value.transaction_hash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(parsed.value.transaction_from).toBe(parsed.value.parameters.from);
      expect(Date.parse(parsed.value.timestamp)).not.toBeNaN();
    } finally {
      standIn.setWebhookUrl(undefined);
      await receiver.close();
    }
  });

  it("signs the body and the headers it names: a tampered body or id, or a stale timestamp, fails", () => {
    const delivery = standIn.signedDelivery({
      to: "0x1111111111111111111111111111111111111111",
      value: "1000000",
      transactionHash: `0x${"ab".repeat(32)}`,
      logIndex: 7,
    });
    expect(verify(delivery)).toMatchObject({ ok: true });
    expect(JSON.parse(delivery.body)).toMatchObject({ transaction_hash: `0x${"ab".repeat(32)}`, log_index: 7 });

    const tamperedBody = delivery.body.replace('"1000000"', '"9000000"');
    expect(tamperedBody).not.toBe(delivery.body);
    expect(verify({ body: tamperedBody, headers: delivery.headers })).toEqual({ ok: false, reason: "mismatch" });
    const tamperedId = { ...delivery.headers, "x-hook0-id": randomUUID() };
    expect(verify({ body: delivery.body, headers: tamperedId })).toEqual({ ok: false, reason: "mismatch" });
    // A re-serialised body is not the body that was signed.
    expect(verify({ body: JSON.stringify(JSON.parse(delivery.body)), headers: delivery.headers })).toMatchObject({
      ok: false,
    });

    const stale = standIn.signedDelivery({
      to: "0x1111111111111111111111111111111111111111",
      value: 1n,
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    expect(verify(stale)).toEqual({ ok: false, reason: "stale" });
  });

  it("redelivers an event with the same id and body under a fresh signature timestamp", async () => {
    const receiver = await startReceiver(500);
    try {
      standIn.setWebhookUrl(receiver.url);
      const staleT = Math.floor(Date.now() / 1000) - 3600;
      const first = await standIn.transfer({
        to: "0x2222222222222222222222222222222222222222",
        value: 5n,
        timestamp: staleT,
      });
      expect(first.status).toBe(500);
      expect(verify(first)).toEqual({ ok: false, reason: "stale" });

      const again = await standIn.redeliver(first.eventId);
      expect(again.eventId).toBe(first.eventId);
      expect(again.body).toBe(first.body);
      expect(receiver.received.map((delivery) => delivery.headers.get("x-hook0-id"))).toEqual([
        first.eventId,
        first.eventId,
      ]);
      const verified = verify({
        body: receiver.received[1]?.rawBody ?? "",
        headers: receiver.received[1]?.headers ?? {},
      });
      expect(verified).toMatchObject({ ok: true });
      expect(verified.ok && verified.timestamp).toBeGreaterThan(staleT);
      await expect(standIn.redeliver(randomUUID())).rejects.toThrow(RangeError);
    } finally {
      standIn.setWebhookUrl(undefined);
      await receiver.close();
    }
  });

  it("defaults the token to USDC on the network, and refuses logs CDP could not have seen", async () => {
    const to = "0x3333333333333333333333333333333333333333";
    const sepolia = JSON.parse(standIn.signedDelivery({ to, value: 1n, network: "base-sepolia" }).body) as unknown;
    expect(sepolia).toMatchObject({ network: "base-sepolia", contract_address: USDC_BASE_SEPOLIA });
    expect(toChecksumAddress(USDC_BASE.toLowerCase())).toBe(USDC_BASE);
    expect(toChecksumAddress(USDC_BASE_SEPOLIA.toLowerCase())).toBe(USDC_BASE_SEPOLIA);

    expect(() => standIn.signedDelivery({ to, value: 1n, network: "ethereum-mainnet" })).toThrow(/contract/);
    expect(() => standIn.signedDelivery({ to: "0x123", value: 1n })).toThrow(RangeError);
    expect(() => standIn.signedDelivery({ to, value: -1n })).toThrow(RangeError);
    expect(() => standIn.signedDelivery({ to, value: "1.5" })).toThrow(RangeError);
    expect(() => standIn.signedDelivery({ to, value: 1n << 256n })).toThrow(RangeError);
    await expect(standIn.transfer({ to, value: 1n })).rejects.toThrow(/no webhook URL/);
  });

  it("sent nothing anywhere but this machine (no SDK telemetry)", () => {
    // The webhook deliveries went through fetch, so this did watch.
    expect(fetchedHosts.length).toBeGreaterThan(0);
    expect(fetchedHosts.filter((host) => host !== "127.0.0.1")).toEqual([]);
  });
});

describe("CDP stand-in: main.ts", () => {
  function run(env: Record<string, string>) {
    const child = spawn(process.execPath, [MAIN], { env, stdio: "pipe" });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    // "close" comes after the process exited and its output was read to the end.
    const exited = once(child, "close") as Promise<[number | null, NodeJS.Signals | null]>;
    return { child, exited, stderr: () => stderr };
  }

  it("runs from the environment, answers health, pays through POST /_standin/transfer and stops on SIGTERM", async () => {
    const receiver = await startReceiver();
    const { child, exited, stderr } = run({
      CDP_API_KEY_ID: credentials.apiKeyId,
      CDP_API_KEY_SECRET: credentials.apiKeySecret,
      CDP_WALLET_SECRET: credentials.walletSecret,
      CDP_WEBHOOK_SECRET: webhookSecret,
      CDP_STAND_IN_WEBHOOK_URL: receiver.url,
      CDP_STAND_IN_PORT: "0",
    });
    try {
      const lines = createInterface({ input: child.stdout });
      const [line] = (await Promise.race([
        once(lines, "line"),
        exited.then(([code]) => {
          throw new Error(`main.ts exited (${code}) before listening: ${stderr()}`);
        }),
      ])) as [string];
      const ready = JSON.parse(line) as { event: string; origin: string; basePath: string; port: number };
      expect(ready).toMatchObject({ event: "listening", basePath: `${ready.origin}/platform` });
      expect(ready.port).toBeGreaterThan(0);

      const health = await fetch(`${ready.origin}/_standin/health`);
      expect(health.status).toBe(200);

      const to = "0x4444444444444444444444444444444444444444";
      const response = await fetch(`${ready.origin}/_standin/transfer`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ to, value: "12340000", network: "base-sepolia" }),
      });
      expect(response.status).toBe(200);
      const result = (await response.json()) as { status: number; eventId: string; body: string };
      expect(result.status).toBe(200);
      const [delivery] = receiver.received;
      if (delivery === undefined) throw new Error("no delivery");
      expect(delivery.rawBody).toBe(result.body);
      expect(delivery.headers.get("x-hook0-id")).toBe(result.eventId);
      expect(verify({ body: delivery.rawBody, headers: delivery.headers })).toMatchObject({ ok: true });
      expect(parseOnchainActivity(JSON.parse(delivery.rawBody))).toMatchObject({
        ok: true,
        value: { contract_address: USDC_BASE_SEPOLIA, parameters: { to, value: "12340000" } },
      });

      const invalid = await fetch(`${ready.origin}/_standin/transfer`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ to, value: 5 }),
      });
      expect(invalid.status).toBe(400);
      expect(await invalid.json()).toEqual({ error: expect.stringContaining("value") as unknown });

      child.kill("SIGTERM");
      expect(await exited).toEqual([0, null]);
    } finally {
      child.kill("SIGKILL");
      await receiver.close();
    }
  });

  it("names the bad variables and exits with status 2", async () => {
    const { exited, stderr } = run({
      CDP_API_KEY_ID: credentials.apiKeyId,
      CDP_API_KEY_SECRET: "not-a-key",
      CDP_WALLET_SECRET: credentials.walletSecret,
      CDP_STAND_IN_PORT: "70000",
    });
    expect(await exited).toEqual([2, null]);
    expect(stderr()).toContain("CDP_API_KEY_SECRET");
    expect(stderr()).toContain("CDP_WEBHOOK_SECRET");
    expect(stderr()).toContain("CDP_STAND_IN_PORT");
    expect(stderr()).not.toContain("CDP_WALLET_SECRET");
  });
});
