import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { newId } from "@agentbot/db";
import { createTestDatabase } from "@agentbot/db/testing";
import { createBillingCatalog } from "../../src/rules/catalog.ts";
import { handleCdpWebhook } from "../../src/usdc/cdp-webhook.ts";
import type { CdpWebhookResult } from "../../src/usdc/cdp-webhook.ts";
import { createUsdcInvoice } from "../../src/usdc/create-usdc-invoice.ts";
import { createUsdcDeps } from "../../src/usdc/usdc-deps.ts";
import { generateCdpTestCredentials, startCdpStandIn } from "../../src/testing/index.ts";
import type { CdpSignedDelivery } from "../../src/testing/index.ts";

export const webhookSecret = "cdp-webhook-secret-for-tests-0123456789";

/**
 * A fresh database, the CDP stand-in with the real CDP SDK pointed at it (deposit addresses), and a local endpoint
 * that does what the web app's `/api/webhooks/cdp` route does: hands the raw body and headers to handleCdpWebhook.
 * `clock` is what both the invoice code and the webhook read as now (to make an invoice expire without waiting).
 */
export async function startUsdcFixture() {
  const database = await createTestDatabase({ poolSize: 6 });
  const credentials = generateCdpTestCredentials();
  const standIn = await startCdpStandIn({ ...credentials, webhookSecret });
  const fixture = { clock: new Date() };
  const now = () => fixture.clock;
  const results: CdpWebhookResult[] = [];
  const receive = (body: string, headers: Headers) =>
    handleCdpWebhook({ db: database.db, webhookSecret, network: "base-mainnet", now }, { rawBody: body, headers });

  const endpoint = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === "string") headers.set(name, value);
      }
      void receive(Buffer.concat(chunks).toString("utf8"), headers).then(
        (result) => {
          results.push(result);
          response.writeHead(result.status, { "content-type": "application/json" }).end(JSON.stringify(result));
        },
        (error: unknown) => {
          response.writeHead(500).end(String(error));
        },
      );
    });
  });
  endpoint.listen(0, "127.0.0.1");
  await once(endpoint, "listening");
  standIn.setWebhookUrl(`http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/api/webhooks/cdp`);

  const catalog = createBillingCatalog({});
  const deps = {
    ...createUsdcDeps(
      database.db,
      {
        ...credentials,
        webhookSecret,
        apiBase: standIn.basePath,
        network: "base-mainnet",
        invoiceTtlMs: 48 * 3_600_000,
      },
      catalog,
    ),
    now,
  };

  async function createUser() {
    const id = newId("user");
    await database.db.user.create({
      data: { id, name: "USDC customer", email: `${id}@example.test`, emailVerified: true, plan: null },
    });
    return id;
  }

  async function invoiceFor(userId: string, plan: "solo" | "collective" = "collective") {
    return createUsdcInvoice(deps, { userId, plan, interval: "month" });
  }

  /** Sends what CDP would, and answers what our handler decided about it. */
  async function pay(to: string, value: bigint, extra: Partial<Parameters<typeof standIn.transfer>[0]> = {}) {
    const sent = await standIn.transfer({ to, value, ...extra });
    const result = results.at(-1);
    if (sent.status !== 200 || result === undefined || result.status !== 200) {
      throw new Error(`the webhook answered ${sent.status}: ${JSON.stringify(result)}`);
    }
    return { ...result, eventId: sent.eventId };
  }

  /** Hands a (possibly tampered) delivery straight to the handler. */
  function deliverRaw(delivery: Pick<CdpSignedDelivery, "body" | "headers">) {
    return receive(delivery.body, new Headers(delivery.headers));
  }

  return {
    db: database.db,
    standIn,
    deps,
    fixture,
    results,
    createUser,
    invoiceFor,
    pay,
    deliverRaw,
    async close() {
      endpoint.closeAllConnections();
      endpoint.close();
      await standIn.close();
      await database.drop();
    },
  };
}

export type UsdcFixture = Awaited<ReturnType<typeof startUsdcFixture>>;
