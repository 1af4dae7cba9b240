// A local stand-in for Resend's HTTP API (https://resend.com/docs/api-reference/emails/send-email), speaking its
// protocol: `POST /emails` with `Authorization: Bearer <key>` and a JSON body; `{ id }` on success, otherwise an error
// status with `{ statusCode, name, message }`. It checks the request as Resend would and records what it accepted.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ResendRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly body: Record<string, unknown>;
}

export interface AcceptedEmail {
  readonly id: string;
  readonly from: string;
  readonly to: string | string[];
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly tags?: Array<{ name: string; value: string }>;
}

type Override = { status: number; body: string } | "hang";

export interface FakeResend {
  readonly baseUrl: string;
  readonly apiKey: string;
  /** Every request, as received. */
  readonly requests: ResendRequest[];
  /** Emails it accepted. */
  readonly accepted: AcceptedEmail[];
  /** Answers the next requests this way instead of processing them, until cleared with `undefined`. */
  override(answer: Override | undefined): void;
  close(): Promise<void>;
}

const error = (response: ServerResponse, statusCode: number, name: string, message: string) => {
  response.writeHead(statusCode, { "content-type": "application/json" });
  response.end(JSON.stringify({ statusCode, name, message }));
};

export async function startFakeResend(apiKey = `re_test_${randomUUID().replaceAll("-", "")}`): Promise<FakeResend> {
  const requests: ResendRequest[] = [];
  const accepted: AcceptedEmail[] = [];
  let answer: Override | undefined;

  const handle = (request: IncomingMessage, response: ServerResponse, raw: string) => {
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      // recorded as {}; refused below
    }
    requests.push({
      method: request.method ?? "",
      path: request.url ?? "",
      authorization: request.headers.authorization,
      contentType: request.headers["content-type"],
      body,
    });
    if (answer === "hang") return;
    if (answer) {
      response.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body);
      return;
    }
    if (request.method !== "POST" || request.url !== "/emails") return error(response, 404, "not_found", "Not found");
    if (!request.headers.authorization) {
      return error(response, 401, "missing_api_key", "Missing API key in the authorization header.");
    }
    if (request.headers.authorization !== `Bearer ${apiKey}`)
      return error(response, 403, "invalid_api_key", "API key is invalid");
    if (!request.headers["content-type"]?.startsWith("application/json")) {
      return error(response, 422, "validation_error", "Content-Type must be application/json");
    }
    for (const field of ["from", "to", "subject"]) {
      if (body[field] === undefined || body[field] === "") {
        return error(response, 422, "missing_required_field", `Missing \`${field}\` field.`);
      }
    }
    if (typeof body.html !== "string" && typeof body.text !== "string") {
      return error(response, 422, "validation_error", "Either `html` or `text` must be provided.");
    }
    const id = randomUUID();
    accepted.push({ id, ...(body as Omit<AcceptedEmail, "id">) });
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id }));
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => handle(request, response, Buffer.concat(chunks).toString("utf8")));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    accepted,
    override(next) {
      answer = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
