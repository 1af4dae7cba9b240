import { z } from "zod";

/**
 * The gateway protocol's frames (v4): requests `{type:"req", id, method, params}`, responses
 * `{type:"res", id, ok, payload|error}`, events `{type:"event", event, payload}`. Only the envelope is checked here;
 * payloads are checked by whoever asked for them (methods.ts), so an unknown event never breaks the connection.
 */

export const PROTOCOL_VERSION = 4;

export const GatewayError = z.looseObject({
  code: z.string().optional(),
  message: z.string().optional(),
  details: z.unknown().optional(),
});

export const ResponseFrame = z.looseObject({
  type: z.literal("res"),
  id: z.string(),
  ok: z.boolean(),
  payload: z.unknown().optional(),
  error: GatewayError.optional(),
});

export const EventFrame = z.looseObject({
  type: z.literal("event"),
  event: z.string(),
  payload: z.unknown().optional(),
  seq: z.number().optional(),
});

export const IncomingFrame = z.discriminatedUnion("type", [ResponseFrame, EventFrame]);
export type IncomingFrame = z.infer<typeof IncomingFrame>;

export const ConnectChallenge = z.looseObject({ nonce: z.string().min(1), ts: z.number().int().nonnegative() });

export const HelloOk = z.looseObject({
  type: z.literal("hello-ok"),
  protocol: z.number(),
  server: z.looseObject({ version: z.string(), connId: z.string().optional() }),
  features: z.looseObject({ methods: z.array(z.string()), events: z.array(z.string()) }),
  auth: z.looseObject({
    role: z.string().optional(),
    scopes: z.array(z.string()).default([]),
    deviceToken: z.string().optional(),
  }),
  policy: z.looseObject({ tickIntervalMs: z.number().optional(), maxPayload: z.number().optional() }).optional(),
});
export type HelloOk = z.infer<typeof HelloOk>;

/** An error the gateway answered (or the connection produced), with the gateway's code when it gave one. */
export class OperatorError extends Error {
  readonly code: string;
  readonly details: unknown;

  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.name = "OperatorError";
    this.code = code;
    this.details = details;
  }
}
