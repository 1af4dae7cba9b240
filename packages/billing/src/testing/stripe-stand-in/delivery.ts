import Stripe from "stripe";

export interface DeliveryRecord {
  readonly eventId: string;
  readonly type: string;
  readonly url: string;
  /** The endpoint's HTTP status, or null when it could not be reached (then `error` says why). */
  readonly status: number | null;
  readonly error: string | null;
  /** When the attempt finished (ms since the epoch). */
  readonly at: number;
}

export interface SignedDelivery {
  readonly body: string;
  readonly signature: string;
}

export interface Delivery {
  signed(event: Stripe.Event, timestamp?: number): SignedDelivery;
  /** POSTs one event now; rejects when no webhook URL is set or the endpoint cannot be reached. */
  deliver(event: Stripe.Event): Promise<number>;
  /**
   * Queues events behind every earlier delivery (so endpoints see them in order); never rejects. Resolves, once each
   * of these events was answered (or failed), with their records; none when no webhook URL is set.
   */
  enqueue(events: readonly Stripe.Event[]): Promise<DeliveryRecord[]>;
  readonly records: DeliveryRecord[];
  /** Resolves when every queued delivery has been attempted. */
  idle(): Promise<void>;
}

/** Stripe gives an endpoint this long to answer before counting the attempt as failed. */
const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * Webhook delivery as Stripe does it: a POST of the event as pretty-printed JSON (Stripe indents with two spaces, so a
 * receiver that re-serialises the parsed body before verifying fails here as it would in production), signed with
 * `Stripe-Signature: t=<seconds>,v1=<HMAC-SHA256 of "t.body">` under the endpoint's secret. One attempt per event:
 * Stripe's retries over the following days are not simulated (tests call `deliver` again instead).
 */
export function createDelivery(options: { secret: string; webhookUrl: () => string | undefined }): Delivery {
  const records: DeliveryRecord[] = [];
  let queue: Promise<void> = Promise.resolve();

  function signed(event: Stripe.Event, timestamp?: number): SignedDelivery {
    const body = JSON.stringify(event, null, 2);
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload: body,
      secret: options.secret,
      ...(timestamp === undefined ? {} : { timestamp }),
    });
    return { body, signature };
  }

  async function post(url: string, event: Stripe.Event): Promise<number> {
    const { body, signature } = signed(event);
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json; charset=utf-8",
        "stripe-signature": signature,
        "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return response.status;
  }

  /** One attempt, recorded; never rejects (an unreachable endpoint is a record with `status` null). */
  async function attempt(url: string, event: Stripe.Event): Promise<DeliveryRecord> {
    let record: DeliveryRecord;
    try {
      const status = await post(url, event);
      record = { eventId: event.id, type: event.type, url, status, error: null, at: Date.now() };
    } catch (cause) {
      const error = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
      record = { eventId: event.id, type: event.type, url, status: null, error, at: Date.now() };
    }
    records.push(record);
    return record;
  }

  return {
    signed,
    records,
    async deliver(event) {
      const url = options.webhookUrl();
      if (url === undefined) throw new Error("Stripe stand-in: no webhookUrl is set, so there is nowhere to deliver");
      const record = await attempt(url, event);
      if (record.status === null) throw new Error(`Stripe stand-in: delivery to ${url} failed: ${record.error}`);
      return record.status;
    },
    enqueue(events) {
      const run = queue.then(async () => {
        const done: DeliveryRecord[] = [];
        for (const event of events) {
          // Read per event: a test may point the stand-in elsewhere (or nowhere) between two deliveries.
          const url = options.webhookUrl();
          if (url === undefined) break;
          // A failed attempt does not hold back the events behind it (Stripe does not order deliveries either).
          done.push(await attempt(url, event));
        }
        return done;
      });
      queue = run.then(() => undefined);
      return run;
    },
    idle: () => queue,
  };
}
