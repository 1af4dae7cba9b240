// The HTTP entry point apps/web mounts at /api/auth/[...all]: better-auth's router behind an allowlist of the
// endpoints we use, a body size limit and a JSON syntax check.
//
// Only these endpoints answer; every other better-auth route (admin, api-key, impersonation, account deletion,
// OAuth…) is 404 over HTTP, so a plugin endpoint cannot become reachable by accident. Those operations go through
// this package's audited helpers instead.
import { AUTH_BASE_PATH } from "./constants.ts";
import type { AuthRuntime } from "./runtime.ts";

export const AUTH_ROUTES: Readonly<Record<string, readonly string[]>> = {
  GET: ["/get-session", "/verify-email", "/ok"],
  POST: [
    "/sign-up/email",
    "/sign-in/email",
    "/sign-out",
    "/request-password-reset",
    "/reset-password",
    "/send-verification-email",
    "/change-password",
    "/update-user",
  ],
};

/** Auth request bodies are a few hundred bytes; anything past this is refused before parsing. */
export const MAX_AUTH_BODY_BYTES = 16 * 1024;

function problem(status: number, code: string, message: string): Response {
  return Response.json({ code, message }, { status, headers: { "cache-control": "no-store" } });
}

async function readLimited(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

export function createAuthHandler(
  inner: (request: Request) => Promise<Response>,
  rt: AuthRuntime,
): (request: Request) => Promise<Response> {
  const basePath = AUTH_BASE_PATH;
  return async (request) => {
    const url = new URL(request.url);
    const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : null;
    const method = request.method.toUpperCase();
    if (path === null || !(AUTH_ROUTES[method] ?? []).includes(path)) {
      return problem(404, "not_found", "Not found.");
    }
    if (method !== "POST") return inner(request);

    const declared = Number(request.headers.get("content-length") ?? "0");
    if (declared > MAX_AUTH_BODY_BYTES) return problem(413, "payload_too_large", "Request body too large.");
    const bytes = request.body ? await readLimited(request.body, MAX_AUTH_BODY_BYTES) : new Uint8Array();
    if (bytes === null) return problem(413, "payload_too_large", "Request body too large.");

    const contentType = request.headers.get("content-type") ?? "";
    if (bytes.byteLength > 0 && /^application\/([a-z0-9.+-]*\+)?json/i.test(contentType)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
      } catch {
        return problem(400, "invalid_json", "The request body is not valid JSON.");
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        return problem(400, "validation_failed", "The request body must be a JSON object.");
      }
    }
    const forwarded = new Request(request.url, {
      method,
      headers: request.headers,
      body: bytes.byteLength > 0 ? bytes : null,
      signal: request.signal,
    });
    try {
      return await inner(forwarded);
    } catch (error) {
      rt.log("error", `auth request failed: ${method} ${path}`, error);
      return problem(500, "internal_error", "Something went wrong. Please try again.");
    }
  };
}
