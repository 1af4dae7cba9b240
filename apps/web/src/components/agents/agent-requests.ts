"use client";

import type { OperationAccepted } from "@agentbot/contracts";
import { formErrorsFrom, networkError } from "../../lib/form-errors.ts";
import type { FormErrors } from "../../lib/form-errors.ts";

export type AgentRequestResult<T> =
  { readonly ok: true; readonly data: T } | { readonly ok: false; readonly errors: FormErrors };

/**
 * A same-origin call to the agents API (the session cookie goes along; the browser's Origin header passes the CSRF
 * check). Answers the parsed body or the messages of the error it carries.
 */
export async function agentRequest<T = OperationAccepted>(
  method: "POST" | "DELETE",
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<AgentRequestResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    return { ok: false, errors: networkError };
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) return { ok: false, errors: formErrorsFrom(response.status, parsed, response.headers) };
  return { ok: true, data: parsed as T };
}
