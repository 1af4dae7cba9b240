"use client";

import type { OperationAccepted } from "@agentbot/contracts";
import { sendJson } from "../../lib/post-json.ts";
import type { PostResult } from "../../lib/post-json.ts";

export type AgentRequestResult<T> = PostResult<T>;

/**
 * A same-origin call to the agents API (the session cookie goes along; the browser's Origin header passes the CSRF
 * check). Answers the parsed body or the messages of the error it carries.
 */
export function agentRequest<T = OperationAccepted>(
  method: "POST" | "DELETE",
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<AgentRequestResult<T>> {
  return sendJson<T>(method, path, body, headers);
}
