import type { ErrorBody, ErrorCode } from "@agentbot/contracts";
import type { Response } from "express";

export function sendError(res: Response, status: number, code: ErrorCode, message: string, details?: unknown) {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  res.status(status).json(body);
}
