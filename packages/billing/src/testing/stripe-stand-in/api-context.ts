import type { Delivery } from "./delivery.ts";
import type { Emitter, EventRequest } from "./events.ts";
import type { FormValue } from "./form.ts";
import type { World } from "./world.ts";

/** What a /v1 endpoint gets: the world, the parsed parameters, and how to announce what it did. */
export interface ApiContext {
  readonly world: World;
  readonly params: Record<string, FormValue>;
  /** The request as Stripe names it in the events it causes (`request.id`, `request.idempotency_key`). */
  readonly request: EventRequest;
  readonly emitter: Emitter;
  readonly delivery: Delivery;
}

/** Answers the object to send as JSON (status 200), or throws a StripeApiError. `id` is the path's object id. */
export type ApiHandler = (context: ApiContext, id: string) => unknown;
