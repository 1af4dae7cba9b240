/**
 * Turning an error response into messages a form can show: one per field, next to the field, plus one for the form.
 * Understands both shapes the app serves: ours (`{ error: { code, message, details: { issues: [{ path }] } } }`, used
 * by /api/v1 and the account routes) and better-auth's (`{ code, message }`, from /api/auth/*), whose codes are
 * mapped to the field they concern.
 */

export interface FormErrors {
  /** A message for the whole form (wrong credentials, rate limited, network down…). */
  readonly form?: string;
  /** Messages keyed by field name. */
  readonly fields: Readonly<Record<string, string>>;
  /** The error's code, for callers that react to a specific failure. */
  readonly code?: string;
}

export const noErrors: FormErrors = { fields: {} };

/** better-auth error codes that concern one field. */
const fieldOfCode: Readonly<Record<string, string>> = {
  PASSWORD_TOO_SHORT: "password",
  PASSWORD_TOO_LONG: "password",
  WEAK_PASSWORD: "password",
  PASSWORD_POLICY: "password",
  INVALID_PASSWORD: "currentPassword",
  INVALID_EMAIL: "email",
  EMAIL_REQUIRED: "email",
  NAME_REQUIRED: "name",
  bot_check_failed: "altcha",
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** `body.newPassword` → `newPassword`; `query.limit` → `limit`. */
function fieldOfPath(path: string): string {
  const parts = path.split(".");
  return (parts[0] === "body" || parts[0] === "query" ? parts.slice(1) : parts).join(".") || path;
}

/** Field messages from `details.issues` (our shape) or `fields` (@agentbot/auth's errors), both `[{ path, message }]`. */
function fieldsFromIssues(list: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!Array.isArray(list)) return fields;
  for (const issue of list as unknown[]) {
    if (!isRecord(issue) || typeof issue["path"] !== "string" || typeof issue["message"] !== "string") continue;
    const field = fieldOfPath(issue["path"]);
    fields[field] ??= issue["message"];
  }
  return fields;
}

function retryMessage(retryAfterSeconds: number | undefined): string {
  if (retryAfterSeconds === undefined || !Number.isFinite(retryAfterSeconds)) {
    return "Too many attempts. Please wait a moment and try again.";
  }
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return `Too many attempts. Try again in ${seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`}.`;
}

/** The messages for one failed response. `body` is the parsed JSON body, or undefined when it was not JSON. */
export function formErrorsFrom(status: number, body: unknown, headers?: Headers): FormErrors {
  if (status === 429) {
    const header = headers?.get("retry-after") ?? headers?.get("x-retry-after") ?? undefined;
    return { form: retryMessage(header === undefined ? undefined : Number(header)), fields: {}, code: "rate_limited" };
  }
  const inner = isRecord(body) && isRecord(body["error"]) ? body["error"] : body;
  if (!isRecord(inner)) {
    return { form: `The server answered ${status}. Please try again.`, fields: {} };
  }
  const code = typeof inner["code"] === "string" ? inner["code"] : undefined;
  const message = typeof inner["message"] === "string" && inner["message"] ? inner["message"] : undefined;
  const details = inner["details"];
  const fields = fieldsFromIssues(
    isRecord(details) && Array.isArray(details["issues"]) ? details["issues"] : inner["fields"],
  );
  const field = code === undefined ? undefined : fieldOfCode[code];
  if (field !== undefined && message !== undefined) fields[field] ??= message;
  const form = Object.keys(fields).length > 0 ? undefined : (message ?? `The server answered ${status}.`);
  return { ...(form === undefined ? {} : { form }), fields, ...(code === undefined ? {} : { code }) };
}

export const networkError: FormErrors = {
  form: "Could not reach the server. Check your connection and try again.",
  fields: {},
  code: "network",
};
