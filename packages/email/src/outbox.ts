// The outbox: every message stored in the `email_messages` table instead of being sent. Used when no Resend key is
// configured, so sign-up, verification and password reset work with no outside service; the dashboard shows the
// outbox in development and tests read verification links from it.
import { newId } from "@agentbot/db";
import type { DbOrTx } from "@agentbot/db";
import { assertSendable } from "./email-provider.ts";
import type { EmailProvider, EmailTemplateName } from "./email-provider.ts";

export interface OutboxProviderOptions {
  readonly db: DbOrTx;
  /** Recorded as the sender of every stored message. */
  readonly from: string;
}

export function createOutboxProvider(options: OutboxProviderOptions): EmailProvider {
  const { db, from } = options;
  if (!from) throw new Error("createOutboxProvider: from is required");
  return {
    kind: "outbox",
    async send(message) {
      assertSendable(message, from);
      const { id } = await db.emailMessage.create({
        data: {
          id: newId("emailMessage"),
          to: message.to,
          from,
          subject: message.subject,
          html: message.html,
          text: message.text,
          template: message.template,
        },
        select: { id: true },
      });
      return { id };
    },
  };
}

/** A stored message. */
export interface OutboxMessage {
  readonly id: string;
  readonly to: string;
  readonly from: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly template: EmailTemplateName;
  readonly createdAt: Date;
}

export interface ListOutboxOptions {
  /** Only messages to this address (case-insensitive). */
  readonly to?: string;
  /** Most messages to return, newest first. Default 50, at most 200. */
  readonly limit?: number;
}

const outboxColumns = {
  id: true,
  to: true,
  from: true,
  subject: true,
  html: true,
  text: true,
  template: true,
  createdAt: true,
} as const;

/** Stored messages, newest first. */
export async function listOutbox(db: DbOrTx, options: ListOutboxOptions = {}): Promise<OutboxMessage[]> {
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 50), 1), 200);
  const rows = await db.emailMessage.findMany({
    where: options.to === undefined ? {} : { to: { equals: options.to.trim(), mode: "insensitive" } },
    // Ids are UUIDv7 TypeIDs, so they break ties between messages stored in the same millisecond.
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: outboxColumns,
  });
  return rows.map(toOutboxMessage);
}

/** One stored message, or null when there is none with this id. */
export async function getOutboxMessage(db: DbOrTx, id: string): Promise<OutboxMessage | null> {
  const row = await db.emailMessage.findUnique({ where: { id }, select: outboxColumns });
  return row === null ? null : toOutboxMessage(row);
}

function toOutboxMessage(row: Omit<OutboxMessage, "template"> & { template: string }): OutboxMessage {
  // Only our providers write the table, and they write only template names.
  return { ...row, template: row.template as EmailTemplateName };
}
