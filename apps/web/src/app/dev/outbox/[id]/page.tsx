import { Card, CardContent, CardHeader, CardTitle } from "@agentbot/ui";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { PageShell } from "../../../../components/page-shell.tsx";
import { devOutboxEnabled } from "../../../../env.ts";
import { formatTimestamp } from "../../../../lib/format-time.ts";
import { getOutboxMessageView } from "../../../../server/outbox.ts";

export const metadata: Metadata = { title: "Email · Outbox · Agentbot", robots: { index: false } };

/**
 * One stored email: its headers, the links it contains (as real links, so the verification and reset flows can be
 * followed from here), the plain-text body, and the HTML body in a sandboxed frame (no scripts, no same-origin
 * access).
 */
export default async function OutboxMessagePage({ params }: PageProps<"/dev/outbox/[id]">) {
  // Decided per request from the server's environment, never frozen into the build.
  await connection();
  if (!devOutboxEnabled) notFound();
  const { id } = await params;
  const message = await getOutboxMessageView(id);
  if (message === null) notFound();
  return (
    <PageShell
      title={message.subject}
      actions={
        <Link href="/dev/outbox" className="text-sm font-medium text-primary underline-offset-4 hover:underline">
          Back to the outbox
        </Link>
      }
    >
      <div className="grid gap-6" data-testid="outbox-message">
        <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-muted-foreground">From</dt>
          <dd>{message.from}</dd>
          <dt className="text-muted-foreground">To</dt>
          <dd data-testid="outbox-to">{message.to}</dd>
          <dt className="text-muted-foreground">Sent</dt>
          <dd>{formatTimestamp(message.createdAt)}</dd>
          <dt className="text-muted-foreground">Template</dt>
          <dd className="font-mono text-xs">{message.template}</dd>
        </dl>
        {message.links.length === 0 ? null : (
          <Card>
            <CardHeader>
              <CardTitle as="h2">Links</CardTitle>
            </CardHeader>
            <CardContent>
              <ul className="grid gap-1 text-sm" data-testid="outbox-links">
                {message.links.map((link) => (
                  <li key={link}>
                    <a href={link} className="break-all text-primary underline underline-offset-4">
                      {link}
                    </a>
                  </li>
                ))}
              </ul>
            </CardContent>
          </Card>
        )}
        <Card>
          <CardHeader>
            <CardTitle as="h2">HTML</CardTitle>
          </CardHeader>
          <CardContent>
            <iframe
              title="HTML body"
              sandbox=""
              srcDoc={message.html}
              className="h-96 w-full rounded-md border border-border bg-white"
            />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle as="h2">Text</CardTitle>
          </CardHeader>
          <CardContent>
            <pre className="text-sm whitespace-pre-wrap" data-testid="outbox-text">
              {message.text}
            </pre>
          </CardContent>
        </Card>
      </div>
    </PageShell>
  );
}
