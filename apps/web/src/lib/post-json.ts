import { formErrorsFrom, networkError } from "./form-errors.ts";
import type { FormErrors } from "./form-errors.ts";

export type PostResult<T> =
  { readonly ok: true; readonly data: T } | { readonly ok: false; readonly errors: FormErrors };

/**
 * POSTs JSON to a same-origin route (the session cookie goes along) and returns the parsed answer or the form
 * errors it carries. Browser code only.
 */
export function postJson<T = unknown>(path: string, body: unknown, headers?: HeadersInit): Promise<PostResult<T>> {
  return sendJson<T>("POST", path, body, headers);
}

/** `postJson` for any method; without a body, no JSON content type is sent. */
export async function sendJson<T = unknown>(
  method: "POST" | "PUT" | "PATCH" | "DELETE",
  path: string,
  body?: unknown,
  headers?: HeadersInit,
): Promise<PostResult<T>> {
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
