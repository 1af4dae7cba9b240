import { Alert, Button } from "@agentbot/ui";
import type { Metadata } from "next";
import Link from "next/link";
import { AuditTable } from "../../../components/audit/audit-table.tsx";
import { PageShell } from "../../../components/page-shell.tsx";
import { listAuditEventsFor } from "../../../server/accounts.ts";
import { requireViewer } from "../../../server/session.ts";

export const metadata: Metadata = { title: "Security log · Agentbot" };

export default async function MyAuditPage({ searchParams }: PageProps<"/settings/audit">) {
  const viewer = await requireViewer("/settings/audit");
  const params = await searchParams;
  const cursor = typeof params["cursor"] === "string" ? params["cursor"] : undefined;
  const page = await listAuditEventsFor(viewer, { scope: "own", cursor });
  return (
    <PageShell
      title="Security log"
      description="Sign-ins, password and key changes and other security events of your account."
      actions={
        <Link href="/settings" className="text-sm font-medium text-primary underline-offset-4 hover:underline">
          Back to settings
        </Link>
      }
    >
      <div className="grid gap-4">
        {page.error === undefined ? null : <Alert variant="destructive">{page.error}</Alert>}
        <AuditTable events={page.events} showActor={false} />
        {page.nextCursor === null ? null : (
          <div>
            <Button asChild variant="outline" size="sm">
              <Link href={{ pathname: "/settings/audit", query: { cursor: page.nextCursor } }}>Older events</Link>
            </Button>
          </div>
        )}
      </div>
    </PageShell>
  );
}
