import "server-only";
import { getOutboxMessage, listOutbox } from "@agentbot/email";
import { devOutboxEnabled } from "../env.ts";
import { services } from "./infra.ts";

/** /dev/outbox's data. Refuses to run where the outbox page is off, whatever calls it. */
function assertEnabled(): void {
  if (!devOutboxEnabled) throw new Error("the outbox viewer is disabled (production without DEV_OUTBOX=1)");
}

export interface OutboxRow {
  readonly id: string;
  readonly to: string;
  readonly subject: string;
  readonly template: string;
  readonly createdAt: string;
}

export async function listOutboxMessages(options: { to?: string | undefined; limit: number }): Promise<OutboxRow[]> {
  assertEnabled();
  const messages = await listOutbox(services().db, {
    limit: options.limit,
    ...(options.to === undefined ? {} : { to: options.to }),
  });
  return messages.map(({ id, to, subject, template, createdAt }) => ({
    id,
    to,
    subject,
    template,
    createdAt: createdAt.toISOString(),
  }));
}

export interface OutboxMessageView extends OutboxRow {
  readonly from: string;
  readonly html: string;
  readonly text: string;
  /** The http(s) links in the message, in order, without duplicates. */
  readonly links: readonly string[];
}

/** The http(s) URLs in an HTML body's `href`s. */
export function linksIn(html: string): string[] {
  const links = new Set<string>();
  for (const match of html.matchAll(/href\s*=\s*"([^"]+)"/gi)) {
    const href = (match[1] ?? "").replaceAll("&amp;", "&");
    if (/^https?:\/\//i.test(href)) links.add(href);
  }
  return [...links];
}

export async function getOutboxMessageView(id: string): Promise<OutboxMessageView | null> {
  assertEnabled();
  if (id.length > 100) return null;
  const message = await getOutboxMessage(services().db, id);
  if (message === null) return null;
  return {
    id: message.id,
    to: message.to,
    from: message.from,
    subject: message.subject,
    template: message.template,
    createdAt: message.createdAt.toISOString(),
    html: message.html,
    text: message.text,
    links: linksIn(message.html),
  };
}
