import { Alert, Button, Input, Label } from "@agentbot/ui";
import type { Metadata } from "next";
import Link from "next/link";
import { AuditTable } from "../../../components/audit/audit-table.tsx";
import { PageShell } from "../../../components/page-shell.tsx";
import { listAuditEventsFor } from "../../../server/accounts.ts";
import { requireAdmin } from "../../../server/session.ts";

export const metadata: Metadata = { title: "Audit log · Admin · Agentbot" };

const text = (value: unknown, max: number) => (typeof value === "string" ? value.trim().slice(0, max) : "");
const day = (value: unknown) => (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : "");

export default async function AdminAuditPage({ searchParams }: PageProps<"/admin/audit">) {
  const viewer = await requireAdmin();
  const params = await searchParams;
  const filters = {
    action: text(params["action"], 100),
    actorEmail: text(params["actor"], 320),
    from: day(params["from"]),
    to: day(params["to"]),
  };
  const cursor = typeof params["cursor"] === "string" ? params["cursor"] : undefined;
  const page = await listAuditEventsFor(viewer, { scope: "all", cursor, ...filters });
  const query = {
    action: filters.action,
    actor: filters.actorEmail,
    from: filters.from,
    to: filters.to,
  };
  return (
    <PageShell
      title="Audit log"
      description="Every privileged and security-relevant action on the platform."
      actions={
        <Link href="/admin/users" className="text-sm font-medium text-primary underline-offset-4 hover:underline">
          Users
        </Link>
      }
    >
      <div className="grid gap-6">
        <form className="grid gap-4 sm:grid-cols-5 sm:items-end" action="/admin/audit" data-testid="audit-filters">
          <div className="grid gap-2">
            <Label htmlFor="audit-action">Action</Label>
            <Input id="audit-action" name="action" placeholder="e.g. auth.*" defaultValue={filters.action} />
          </div>
          <div className="grid gap-2">
            <Label htmlFor="audit-actor">Actor email</Label>
            <Input id="audit-actor" name="actor" type="search" defaultValue={filters.actorEmail} />
          </div>
          <div className="grid gap-2">
            <Label htmlFor="audit-from">From</Label>
            <Input id="audit-from" name="from" type="date" defaultValue={filters.from} />
          </div>
          <div className="grid gap-2">
            <Label htmlFor="audit-to">To</Label>
            <Input id="audit-to" name="to" type="date" defaultValue={filters.to} />
          </div>
          <div className="flex gap-2">
            <Button type="submit">Filter</Button>
            <Button asChild variant="ghost">
              <Link href="/admin/audit">Clear</Link>
            </Button>
          </div>
        </form>
        {page.error === undefined ? null : <Alert variant="destructive">{page.error}</Alert>}
        <AuditTable events={page.events} showActor />
        {page.nextCursor === null ? null : (
          <div>
            <Button asChild variant="outline" size="sm">
              <Link href={{ pathname: "/admin/audit", query: { ...query, cursor: page.nextCursor } }}>
                Older events
              </Link>
            </Button>
          </div>
        )}
      </div>
    </PageShell>
  );
}
