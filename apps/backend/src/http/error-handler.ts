import { DbUnavailableError, NotFoundError, UniqueViolationError, mapDbError } from "@agentbot/db";
import type { ErrorRequestHandler, RequestHandler } from "express";
import { HttpError } from "./http-error.ts";
import { sendError } from "./send-error.ts";

/** Unknown routes answer 404 in the standard error shape. */
export const notFoundHandler: RequestHandler = (req, res) => {
  sendError(res, 404, "not_found", `No route for ${req.method} ${req.path}.`);
};

interface BodyParserError {
  type: string;
  status?: number;
  limit?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === "object" && error !== null && typeof (error as { type?: unknown }).type === "string";
}

/**
 * The last middleware: turns every failure into the standard error body. Known errors keep their status;
 * anything unexpected becomes a 500 whose body says nothing about internals (the log has the stack).
 */
export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  if (res.headersSent) {
    req.log.error({ err: error }, "error after the response started");
    res.destroy();
    return;
  }
  if (error instanceof HttpError) {
    if (error.status >= 500) req.log.error({ err: error }, error.message);
    if (error.retryAfterSeconds !== undefined) res.setHeader("retry-after", String(error.retryAfterSeconds));
    sendError(res, error.status, error.code, error.message, error.details);
    return;
  }
  if (isBodyParserError(error)) {
    if (error.type === "entity.parse.failed") {
      sendError(res, 400, "invalid_json", "The request body is not valid JSON.");
      return;
    }
    if (error.type === "entity.too.large") {
      sendError(
        res,
        413,
        "payload_too_large",
        `The request body is larger than ${error.limit ?? "the"} bytes allowed.`,
      );
      return;
    }
    if (error.type === "encoding.unsupported" || error.type === "charset.unsupported") {
      sendError(res, 415, "unsupported_media_type", "Send the request body as UTF-8 JSON.");
      return;
    }
  }
  const mapped = mapDbError(error);
  if (mapped instanceof UniqueViolationError) {
    sendError(res, 409, "conflict", "A record with these values already exists.", { fields: mapped.fields });
    return;
  }
  if (mapped instanceof NotFoundError) {
    sendError(res, 404, "not_found", "The record does not exist.");
    return;
  }
  if (mapped instanceof DbUnavailableError) {
    req.log.error({ err: error }, "database unavailable");
    res.setHeader("retry-after", "5");
    sendError(res, 503, "service_unavailable", "The database is unavailable; try again shortly.");
    return;
  }
  req.log.error({ err: error }, "unhandled error");
  sendError(res, 500, "internal_error", "Something went wrong on our side. The request id identifies it in our logs.");
};
