import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { defineRoute } from "@agentbot/contracts";
import express from "express";
import { pinoHttp } from "pino-http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { JSON_BODY_LIMIT } from "../src/app.ts";
import { errorHandler, notFoundHandler } from "../src/http/error-handler.ts";
import { mountRoute } from "../src/http/mount-route.ts";
import { createLogger } from "../src/logger.ts";
import { LogCapture } from "./support/log-capture.ts";
import { startTestBackend } from "./support/test-backend.ts";
import type { TestBackend } from "./support/test-backend.ts";

// The real backend for the error shape on its own routes.
let backend: TestBackend;
// The same validation and error middleware, around a route with params, query and body: the product's
// routes that take input arrive with later issues, and this pins how every one of them will behave.
const fixtureRoute = defineRoute({
  id: "createWidget",
  method: "post",
  path: "/widgets/:widgetId",
  summary: "fixture",
  tags: [],
  auth: "service",
  successStatus: 201,
  request: {
    params: z.object({ widgetId: z.string().regex(/^wdg_[a-z0-9]+$/, "must look like wdg_…") }),
    query: z.object({ dryRun: z.enum(["true", "false"]).optional() }),
    body: z.object({ name: z.string().min(1).max(20), size: z.number().int().positive(), tags: z.array(z.string()) }),
  },
  response: z.object({ id: z.string(), name: z.string() }),
});
let fixtureUrl: string;
const fixtureLogs = new LogCapture();
let closeFixture: () => void;

beforeAll(async () => {
  backend = await startTestBackend();
  const app = express();
  app.use(pinoHttp({ logger: createLogger({ level: "debug", destination: fixtureLogs.stream }) }));
  app.use(express.json({ limit: JSON_BODY_LIMIT }));
  const router = express.Router();
  mountRoute(router, fixtureRoute, ({ params, body }) => {
    if (body.name === "explode") throw new Error("database password is hunter2");
    // `secret` is not in the response contract, so it must never reach the client.
    return { id: params.widgetId, name: body.name, secret: "internal-only" } as { id: string; name: string };
  });
  app.use(router);
  app.use(notFoundHandler);
  app.use(errorHandler);
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  fixtureUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closeFixture = () => server.close();
});
afterAll(async () => {
  closeFixture();
  await backend.close();
});

const post = (path: string, body: string, contentType = "application/json") =>
  fetch(`${fixtureUrl}${path}`, { method: "POST", headers: { "content-type": contentType }, body });

describe("error responses", () => {
  it("answers malformed JSON with 400 invalid_json", async () => {
    const response = await backend.authedFetch("/api/plans", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"name": ',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: "invalid_json", message: "The request body is not valid JSON." },
    });
  });

  it("answers an oversized body with 413 and loses nothing else", async () => {
    const response = await post("/widgets/wdg_1", JSON.stringify({ name: "x".repeat(1_100_000) }));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
  });

  it("lists every invalid field by path: missing, wrong type, too long, bad param and query", async () => {
    const response = await post("/widgets/WIDGET?dryRun=maybe", JSON.stringify({ name: "n".repeat(21), size: "big" }));
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as {
      error: { code: string; details: { issues: Array<{ path: string }> } };
    };
    expect(error.code).toBe("validation_failed");
    expect(error.details.issues.map((issue) => issue.path).sort()).toEqual([
      "body.name",
      "body.size",
      "body.tags",
      "params.widgetId",
      "query.dryRun",
    ]);

    const bodyResponse = await post("/widgets/wdg_1", JSON.stringify({ name: "n".repeat(21), size: "big" }));
    const bodyError = (
      (await bodyResponse.json()) as { error: { message: string; details: { issues: Array<{ path: string }> } } }
    ).error;
    expect(bodyError.details.issues.map((issue) => issue.path).sort()).toEqual(["body.name", "body.size", "body.tags"]);
    expect(bodyError.message).toContain("body.size");

    const queryResponse = await post("/widgets/wdg_1?dryRun=maybe", JSON.stringify({ name: "a", size: 1, tags: [] }));
    const queryError = ((await queryResponse.json()) as { error: { details: { issues: Array<{ path: string }> } } })
      .error;
    expect(queryError.details.issues.map((issue) => issue.path)).toEqual(["query.dryRun"]);
  });

  it("refuses a body that is not JSON with 415", async () => {
    const response = await post("/widgets/wdg_1", "name=a", "application/x-www-form-urlencoded");
    expect(response.status).toBe(415);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unsupported_media_type");
  });

  it("sends only the fields the response contract declares", async () => {
    const response = await post("/widgets/wdg_1", JSON.stringify({ name: "ok", size: 1, tags: [] }));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ id: "wdg_1", name: "ok" });
  });

  it("turns an unexpected failure into a 500 that reveals nothing, and logs it", async () => {
    const response = await post("/widgets/wdg_1", JSON.stringify({ name: "explode", size: 1, tags: [] }));
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: "internal_error" } });
    expect(text).not.toContain("hunter2");
    expect(fixtureLogs.text()).toContain("unhandled error");
  });

  it("answers unknown routes 404 in the same shape", async () => {
    const response = await fetch(`${fixtureUrl}/nope`, { method: "DELETE" });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "not_found", message: "No route for DELETE /nope." } });
  });
});
