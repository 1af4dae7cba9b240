// One real stack per test file: a migrated PostgreSQL database of its own, Redis under a key prefix of its own, the
// real email outbox, the real proof-of-work bot check (solved with altcha-lib's solver, as the widget does) and
// createAuth on top. Requests go through `auth.handler`, exactly as apps/web mounts it.
import { randomBytes, randomUUID } from "node:crypto";
import { createPowBotCheck } from "@agentbot/bot-check";
import type { AltchaChallenge, BotCheck } from "@agentbot/bot-check";
import { createTestDatabase } from "@agentbot/db/testing";
import type { TestDatabase } from "@agentbot/db/testing";
import { createOutboxProvider, listOutbox } from "@agentbot/email";
import type { OutboxMessage } from "@agentbot/email";
import { createRedisStore } from "@agentbot/kv";
import type { KeyValueStore } from "@agentbot/kv";
import { testRedisUrl } from "@agentbot/kv/testing";
import { solveChallenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { createAuth } from "../src/index.ts";
import type { AuthConfigInput, AuthLogger } from "../src/index.ts";

export const BASE_URL = "http://127.0.0.1:3000";
export const STRONG_PASSWORD = "violet-harbor-tractor-91";

export interface Harness {
  readonly tdb: TestDatabase;
  readonly kv: KeyValueStore;
  readonly botCheck: BotCheck;
  readonly app: ReturnType<typeof createAuth>;
  readonly logs: string[];
  /** Sends a request to `/api/auth${path}` through the mounted handler. */
  call(path: string, init?: CallInit): Promise<Response>;
  solveBotCheck(): Promise<string>;
  signUp(input: { email: string; password?: string; name?: string }, init?: CallInit): Promise<Response>;
  outbox(to: string): Promise<OutboxMessage[]>;
  /** The first link to `${BASE_URL}…` in the newest email of `template` to `to`. */
  linkFrom(to: string, template: string): Promise<string>;
  verifyFromOutbox(to: string): Promise<Response>;
  signIn(email: string, password?: string, init?: CallInit): Promise<Response>;
  /** Signs up, verifies from the outbox and signs in; answers the session cookie (`name=value`). */
  user(email?: string, password?: string): Promise<{ email: string; cookie: string; id: string }>;
  close(): Promise<void>;
}

export interface CallInit {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  cookie?: string;
  ip?: string;
}

/** The `name=value` of the session cookie a response sets, or null. */
export function sessionCookie(response: Response): string | null {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    if (pair && /^(__Secure-)?agentbot\.session_token=/.test(pair) && !/=;?$/.test(pair) && !/Max-Age=0/i.test(line)) {
      return pair;
    }
  }
  return null;
}

export function randomIp(): string {
  const [a = 0, b = 0] = randomBytes(2);
  return `198.51.${a}.${b}`;
}

export function uniqueEmail(tag = "user"): string {
  return `${tag}-${randomBytes(4).toString("hex")}@example.com`;
}

export async function createHarness(
  overrides: Partial<AuthConfigInput> = {},
  options: { logger?: AuthLogger } = {},
): Promise<Harness> {
  const tdb = await createTestDatabase();
  const kv = createRedisStore(testRedisUrl(), { keyPrefix: `test:auth:${randomUUID()}:` });
  // Low difficulty keeps tests fast; the check is the real one.
  const botCheck = createPowBotCheck({ hmacKey: randomBytes(32).toString("hex"), kv, maxNumber: 200, cost: 10 });
  const logs: string[] = [];
  const capture: AuthLogger = options.logger ?? {
    debug: (message) => logs.push(message),
    info: (message) => logs.push(message),
    warn: (message) => logs.push(message),
    error: (message) => logs.push(message),
  };
  const app = createAuth({
    db: tdb.db,
    kv,
    email: createOutboxProvider({ db: tdb.db, from: "no-reply@agentbot.test" }),
    botCheck,
    logger: capture,
    config: {
      secret: randomBytes(32).toString("hex"),
      baseUrl: BASE_URL,
      adminEmails: [],
      secureCookies: false,
      trustProxyHeaders: true,
      ...overrides,
    },
  });

  const call = async (path: string, init: CallInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (init.body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
    if (init.cookie) headers.set("cookie", init.cookie);
    // A fresh documentation-range IP per request unless the test names one, so per-IP limits only bite where a test
    // means them to.
    if (!headers.has("x-forwarded-for")) headers.set("x-forwarded-for", init.ip ?? randomIp());
    if (!headers.has("user-agent")) headers.set("user-agent", "vitest/agentbot-auth");
    const body =
      init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body);
    return app.auth.handler(
      new Request(`${BASE_URL}/api/auth${path}`, {
        method: init.method ?? (body === undefined ? "GET" : "POST"),
        headers,
        body,
      }),
    );
  };

  const solveBotCheck = async () => {
    const challenge = (await app.createBotChallenge()) as AltchaChallenge;
    const solution = await solveChallenge({ challenge, deriveKey, timeout: 30_000 });
    if (!solution) throw new Error("no proof-of-work solution found");
    return Buffer.from(JSON.stringify({ challenge, solution })).toString("base64");
  };

  const outbox = async (to: string) => {
    await app.settled();
    return listOutbox(tdb.db, { to });
  };

  const linkFrom = async (to: string, template: string) => {
    const message = (await outbox(to)).find((candidate) => candidate.template === template);
    if (!message) throw new Error(`no ${template} email to ${to}`);
    const link = message.text.match(/https?:\/\/\S+/g)?.find((url) => url.startsWith(BASE_URL));
    if (!link) throw new Error(`no link in the ${template} email`);
    return link;
  };

  const signUp: Harness["signUp"] = async (input, init = {}) =>
    call("/sign-up/email", {
      ...init,
      body: { name: input.name ?? "Test Person", email: input.email, password: input.password ?? STRONG_PASSWORD },
      headers: { "x-bot-check": await solveBotCheck(), ...init.headers },
    });

  const verifyFromOutbox = async (to: string) => {
    const link = new URL(await linkFrom(to, "verification"));
    return call(`${link.pathname.replace(/^\/api\/auth/, "")}${link.search}`);
  };

  const signIn: Harness["signIn"] = (email, password = STRONG_PASSWORD, init = {}) =>
    call("/sign-in/email", { ...init, body: { email, password } });

  const user: Harness["user"] = async (email = uniqueEmail(), password = STRONG_PASSWORD) => {
    const signedUp = await signUp({ email, password });
    if (signedUp.status !== 200) throw new Error(`sign-up failed: ${signedUp.status} ${await signedUp.text()}`);
    const verified = await verifyFromOutbox(email);
    if (verified.status !== 302) throw new Error(`verification failed: ${verified.status}`);
    const signedIn = await signIn(email, password);
    const cookie = sessionCookie(signedIn);
    if (!cookie) throw new Error(`sign-in failed: ${signedIn.status} ${await signedIn.text()}`);
    const row = await tdb.db.user.findUniqueOrThrow({ where: { email } });
    return { email, cookie, id: row.id };
  };

  return {
    tdb,
    kv,
    botCheck,
    app,
    logs,
    call,
    solveBotCheck,
    signUp,
    outbox,
    linkFrom,
    verifyFromOutbox,
    signIn,
    user,
    async close() {
      await app.settled();
      await kv.close();
      await tdb.drop();
    },
  };
}

/** A `Request` to one of our own routes (e.g. `/api/v1/me`), carrying a cookie or a key. */
export function apiRequest(
  path: string,
  init: { method?: string; cookie?: string; key?: string; headers?: Record<string, string> } = {},
): Request {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set("cookie", init.cookie);
  if (init.key) headers.set("authorization", `Bearer ${init.key}`);
  return new Request(`${BASE_URL}${path}`, { method: init.method ?? "GET", headers });
}
