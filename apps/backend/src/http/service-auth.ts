import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import { sendError } from "./send-error.ts";

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

/**
 * Compares two secrets in constant time. Both sides are hashed first so the comparison is length-safe:
 * `timingSafeEqual` throws on buffers of different lengths, and an early length check would leak the length.
 */
export function secretsEqual(provided: string, expected: string): boolean {
  return timingSafeEqual(digest(provided), digest(expected));
}

/**
 * Service-to-service auth: `Authorization: Bearer <token>`. Fail-closed: there is always an expected token
 * (the env module refuses to boot without one outside development), and anything but an exact match is 401.
 * Not covered here: token rotation (one token at a time) and per-caller identities (one shared service secret).
 */
export function requireServiceToken(expectedToken: string): RequestHandler {
  if (expectedToken.length === 0) throw new Error("requireServiceToken needs a non-empty token");
  return (req, res, next) => {
    const header = req.headers.authorization;
    const match = typeof header === "string" ? /^Bearer[ ]+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) {
      res.setHeader("www-authenticate", 'Bearer realm="agentbot-backend"');
      sendError(res, 401, "unauthorized", "This route needs `Authorization: Bearer <service token>`.");
      return;
    }
    if (!secretsEqual(match[1], expectedToken)) {
      res.setHeader("www-authenticate", 'Bearer realm="agentbot-backend", error="invalid_token"');
      sendError(res, 401, "unauthorized", "The service token is not valid.");
      return;
    }
    next();
  };
}
