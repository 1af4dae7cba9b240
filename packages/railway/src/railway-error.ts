/**
 * A failed Railway call. `kind` tells a caller what to do:
 * - `graphql`: Railway answered and refused (errors[]); retrying the same call will not help.
 * - `http`: a non-retryable HTTP status (401, 403, 404…), or a retryable one after the last attempt.
 * - `invalid_response`: the body was not the JSON GraphQL answer (e.g. an HTML "Access denied" page).
 * - `network`: no answer at all (connection refused, reset, timeout).
 * Messages never contain the API token.
 */
export type RailwayErrorKind = "graphql" | "http" | "invalid_response" | "network";

export class RailwayError extends Error {
  readonly kind: RailwayErrorKind;
  readonly operation: string;
  readonly status: number | undefined;
  readonly graphqlErrors: readonly { message: string; path?: readonly (string | number)[] }[];

  constructor(init: {
    kind: RailwayErrorKind;
    operation: string;
    message: string;
    status?: number;
    graphqlErrors?: readonly { message: string; path?: readonly (string | number)[] }[];
    cause?: unknown;
  }) {
    super(`Railway ${init.operation}: ${init.message}`, { cause: init.cause });
    this.name = "RailwayError";
    this.kind = init.kind;
    this.operation = init.operation;
    this.status = init.status;
    this.graphqlErrors = init.graphqlErrors ?? [];
  }
}
