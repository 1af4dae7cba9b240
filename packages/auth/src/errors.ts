// Typed errors for everything this package does outside better-auth's own endpoints. Each carries a stable `code`
// the web maps to a response, the HTTP status it stands for, and, for bad input, the field paths that were wrong (so
// forms can show errors next to the fields the server rejected).
import type { z } from "zod";

export type AuthErrorCode =
  | "validation_failed"
  | "unauthenticated"
  | "forbidden"
  | "insufficient_scope"
  | "not_found"
  | "csrf_rejected"
  | "last_admin"
  | "rate_limited"
  | "bot_check_failed";

export interface FieldError {
  /** Dotted path of the field, e.g. `scopes.1` or `name`. */
  readonly path: string;
  readonly message: string;
}

const statusByCode: Record<AuthErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  insufficient_scope: 403,
  not_found: 404,
  csrf_rejected: 403,
  last_admin: 409,
  rate_limited: 429,
  bot_check_failed: 403,
};

export class AuthError extends Error {
  readonly code: AuthErrorCode;
  readonly status: number;
  readonly fields: readonly FieldError[];

  constructor(code: AuthErrorCode, message: string, fields: readonly FieldError[] = []) {
    super(message);
    this.name = "AuthError";
    this.code = code;
    this.status = statusByCode[code];
    this.fields = fields;
  }

  /** The JSON body the web sends for this error. */
  toJSON(): { code: AuthErrorCode; message: string; fields?: readonly FieldError[] } {
    return this.fields.length > 0
      ? { code: this.code, message: this.message, fields: this.fields }
      : { code: this.code, message: this.message };
  }
}

/** Thrown by `requireScope`; the web answers 403 `insufficient_scope`. */
export class InsufficientScopeError extends AuthError {
  readonly scope: string;

  constructor(scope: string) {
    super("insufficient_scope", `This action needs the "${scope}" scope.`);
    this.name = "InsufficientScopeError";
    this.scope = scope;
  }
}

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(root)",
    message: issue.message,
  }));
}

/** Parses `input` with `schema`; on failure throws `validation_failed` naming every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const fields = fieldErrors(result.error);
    const names = [...new Set(fields.map((f) => f.path))].join(", ");
    throw new AuthError("validation_failed", `Invalid input: ${names}.`, fields);
  }
  return result.data;
}
