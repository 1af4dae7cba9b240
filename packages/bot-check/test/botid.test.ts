// BotID is an outside service: `botid/server` reads the request from Vercel's request context (a global the Vercel
// runtime installs) and POSTs it to Vercel's BotID API. Both are faked here as the library expects them: the context
// under Symbol.for("@vercel/request-context"), and a local HTTP server at OVERRIDE_BOTID_SERVER_URL (the library's
// own override) answering `POST /v1/is-bot` like Vercel does.
import { createServer } from "node:http";
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createBotCheck, createBotIdCheck } from "../src/index.ts";
import { pointBotIdAt, vercelOidcTokenIsSet } from "./env.ts";

const REQUEST_CONTEXT = Symbol.for("@vercel/request-context");
const OIDC_TOKEN = "oidc-token-for-tests";

interface Received {
  path: string;
  oidcHeader: string | undefined;
  body: { method: string; headers: Array<[string, string]>; vercelOidcToken: string; forceCheckLevel?: string };
}

let answer: (request: IncomingMessage) => { status: number; body: string } | "hang";
const received: Received[] = [];
let server: Server;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        path: request.url ?? "",
        oidcHeader: request.headers["x-vercel-oidc-token"] as string | undefined,
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Received["body"],
      });
      const reply = answer(request);
      if (reply === "hang") return;
      response.writeHead(reply.status, { "content-type": "application/json" }).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  pointBotIdAt(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

afterAll(async () => {
  pointBotIdAt(undefined);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  received.length = 0;
  delete (globalThis as Record<symbol, unknown>)[REQUEST_CONTEXT];
  vi.restoreAllMocks();
});

/** What the Vercel runtime provides for the current request. */
function onVercel(requestHeaders: Record<string, string> = {}) {
  const mutations: Array<(headers: Headers) => void> = [];
  (globalThis as Record<symbol, unknown>)[REQUEST_CONTEXT] = {
    get: () => ({
      url: "https://agentbot.example/api/auth/sign-up/email",
      headers: {
        host: "agentbot.example",
        "x-vercel-oidc-token": OIDC_TOKEN,
        "x-is-human": "client-signal",
        "x-method": "POST",
        ...requestHeaders,
      },
      mutateResponseHeadersBeforeFlush: (mutate: (headers: Headers) => void) => mutations.push(mutate),
    }),
  };
  return mutations;
}

const verdict = (fields: Partial<Record<"isBot" | "isVerifiedBot" | "bypassed", boolean>>) => () => ({
  status: 200,
  body: JSON.stringify({ isBot: false, isVerifiedBot: false, bypassed: false, ...fields }),
});
const input = { payload: null, headers: new Headers({ "user-agent": "test" }) };

describe("BotID bot check", () => {
  it("has no challenge of its own", async () => {
    const check = createBotIdCheck();
    expect(check.kind).toBe("botid");
    expect(await check.createChallenge()).toBeNull();
  });

  it("accepts a request BotID classifies as human, asking Vercel with the request and the OIDC token", async () => {
    onVercel({ cookie: "KP_token=abc; session=secret" });
    answer = verdict({});
    expect(await createBotIdCheck().verify(input)).toEqual({ ok: true });
    expect(received).toHaveLength(1);
    const [call] = received;
    expect(call!.path).toMatch(/^\/v1\/is-bot\?v=3/);
    expect(call!.oidcHeader).toBe(OIDC_TOKEN);
    expect(call!.body).toMatchObject({ method: "POST", vercelOidcToken: OIDC_TOKEN, forceCheckLevel: "basic" });
    // BotID forwards only its own cookies, never the session's.
    expect(Object.fromEntries(call!.body.headers).cookie).toBe("KP_token=abc");
  });

  it("refuses bots, verified bots included", async () => {
    onVercel();
    answer = verdict({ isBot: true });
    expect(await createBotIdCheck().verify(input)).toEqual({ ok: false, reason: "bot" });
    answer = verdict({ isBot: true, isVerifiedBot: true });
    expect(await createBotIdCheck().verify(input)).toEqual({ ok: false, reason: "bot" });
  });

  it("fails closed when BotID did not classify (bypassed)", async () => {
    onVercel();
    answer = verdict({ bypassed: true });
    expect(await createBotIdCheck().verify(input)).toEqual({ ok: false, reason: "unavailable" });
  });

  it("fails closed when the BotID API errs or answers garbage", async () => {
    onVercel();
    answer = () => ({ status: 500, body: "upstream error" });
    expect(await createBotIdCheck().verify(input)).toEqual({ ok: false, reason: "unavailable" });
  });

  it("fails closed when the BotID API does not answer in time", async () => {
    onVercel();
    answer = () => "hang";
    const started = Date.now();
    expect(await createBotIdCheck({ timeoutMs: 300 }).verify(input)).toEqual({ ok: false, reason: "unavailable" });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("fails closed outside Vercel instead of taking BotID's development shortcut", async () => {
    expect(vercelOidcTokenIsSet()).toBe(false);
    const misconfigurationWarning = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await createBotIdCheck().verify(input)).toEqual({ ok: false, reason: "unavailable" });
    expect(received).toHaveLength(0);
    expect(misconfigurationWarning).toHaveBeenCalled();
  });

  it("is what createBotCheck builds for provider botid", async () => {
    onVercel();
    answer = verdict({ isBot: true });
    const check = createBotCheck({ provider: "botid" });
    expect(check.kind).toBe("botid");
    expect(await check.verify(input)).toEqual({ ok: false, reason: "bot" });
  });
});
