import { Alert, Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@agentbot/ui";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { SearchForm } from "../../../components/search-form.tsx";
import { PageShell } from "../../../components/page-shell.tsx";
import { devOutboxEnabled } from "../../../env.ts";
import { formatTimestamp } from "../../../lib/format-time.ts";
import { listOutboxMessages } from "../../../server/outbox.ts";

export const metadata: Metadata = { title: "Outbox · Development · Agentbot", robots: { index: false } };

/**
 * Development and test only (404 in production unless DEV_OUTBOX=1): every email the app "sent" while no provider
 * is configured, newest first, so the sign-up and reset flows work with no outside service.
 */
export default async function OutboxPage({ searchParams }: PageProps<"/dev/outbox">) {
  // Decided per request from the server's environment, never frozen into the build.
  await connection();
  if (!devOutboxEnabled) notFound();
  const params = await searchParams;
  const to = typeof params["to"] === "string" ? params["to"].trim().slice(0, 320) : "";
  const messages = await listOutboxMessages({ to: to || undefined, limit: 100 });
  return (
    <PageShell title="Outbox" description="Emails stored instead of sent (no RESEND_API_KEY). Development only.">
      <div className="grid gap-6">
        <Alert variant="warning">
          This page exists only in development and tests. It is not available in production.
        </Alert>
        <SearchForm
          action="/dev/outbox"
          id="outbox-to"
          name="to"
          label="Recipient"
          defaultValue={to}
          submitLabel="Filter"
        />
        {messages.length === 0 ? (
          <p className="text-sm text-muted-foreground" data-testid="outbox-empty">
            No emails yet.
          </p>
        ) : (
          <Table data-testid="outbox">
            <TableHeader>
              <TableRow>
                <TableHead>Sent</TableHead>
                <TableHead>To</TableHead>
                <TableHead>Subject</TableHead>
                <TableHead>Template</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {messages.map((message) => (
                <TableRow
                  key={message.id}
                  data-testid="outbox-row"
                  data-to={message.to}
                  data-template={message.template}
                >
                  <TableCell className="whitespace-nowrap">{formatTimestamp(message.createdAt)}</TableCell>
                  <TableCell>{message.to}</TableCell>
                  <TableCell>
                    <Link
                      href={`/dev/outbox/${encodeURIComponent(message.id)}`}
                      className="font-medium text-primary underline-offset-4 hover:underline"
                    >
                      {message.subject}
                    </Link>
                  </TableCell>
                  <TableCell className="font-mono text-xs">{message.template}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </div>
    </PageShell>
  );
}
