import {
  Badge,
  Button,
  NativeSelect,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@agentbot/ui";
import type { Metadata } from "next";
import Link from "next/link";
import { AdminNav } from "../../../components/admin-nav.tsx";
import { ActionForm } from "../../../components/action-form.tsx";
import { SearchForm } from "../../../components/search-form.tsx";
import { PageShell } from "../../../components/page-shell.tsx";
import { SubmitButton } from "../../../components/settings/submit-button.tsx";
import { formatTimestamp } from "../../../lib/format-time.ts";
import { listUsersAsAdmin } from "../../../server/accounts.ts";
import { requireAdmin } from "../../../server/session.ts";
import { setDisabledAction, setRoleAction } from "../actions.ts";

export const metadata: Metadata = { title: "Users · Admin · Agentbot" };

const pageSize = 50;

export default async function AdminUsersPage({ searchParams }: PageProps<"/admin/users">) {
  const viewer = await requireAdmin();
  const params = await searchParams;
  const search = typeof params["q"] === "string" ? params["q"].trim().slice(0, 200) : "";
  const offset = Math.max(0, Number(params["offset"]) || 0);
  const { users, total } = await listUsersAsAdmin(viewer, { search, limit: pageSize, offset });
  return (
    <PageShell
      title="Users"
      description={`${total} ${total === 1 ? "account" : "accounts"}${search ? ` matching “${search}”` : ""}`}
      actions={<AdminNav current="/admin/users" />}
    >
      <div className="grid gap-6">
        <SearchForm
          action="/admin/users"
          id="user-search"
          name="q"
          label="Search by email or name"
          defaultValue={search}
        />
        <Table data-testid="admin-users">
          <TableHeader>
            <TableRow>
              <TableHead>User</TableHead>
              <TableHead>Role</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Joined</TableHead>
              <TableHead className="text-right">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {users.map((user) => {
              const self = user.id === viewer.user.id;
              return (
                <TableRow key={user.id} data-testid="admin-user-row" data-email={user.email}>
                  <TableCell>
                    <div className="font-medium">{user.name}</div>
                    <div className="text-xs text-muted-foreground">{user.email}</div>
                  </TableCell>
                  <TableCell>
                    <ActionForm action={setRoleAction} testId="role-form">
                      <input type="hidden" name="userId" value={user.id} />
                      <NativeSelect
                        // Remounted when the role changes, so the form shows the stored role after the action.
                        key={user.role}
                        name="role"
                        defaultValue={user.role}
                        aria-label={`Role of ${user.email}`}
                        className="h-8 w-28"
                        disabled={self}
                      >
                        <option value="user">user</option>
                        <option value="admin">admin</option>
                      </NativeSelect>
                      {self ? null : (
                        <SubmitButton size="sm" variant="outline" pendingText="Saving…">
                          Change role
                        </SubmitButton>
                      )}
                    </ActionForm>
                  </TableCell>
                  <TableCell>
                    <div className="flex flex-wrap gap-1">
                      {user.banned ? (
                        <Badge variant="destructive">Disabled</Badge>
                      ) : (
                        <Badge variant="success">Active</Badge>
                      )}
                      {user.emailVerified ? null : <Badge variant="warning">Unverified</Badge>}
                    </div>
                  </TableCell>
                  <TableCell className="whitespace-nowrap">{formatTimestamp(user.createdAt)}</TableCell>
                  <TableCell className="text-right">
                    {self ? (
                      <span className="text-xs text-muted-foreground">You</span>
                    ) : (
                      <ActionForm action={setDisabledAction} className="justify-end">
                        <input type="hidden" name="userId" value={user.id} />
                        <input type="hidden" name="disabled" value={user.banned ? "false" : "true"} />
                        <SubmitButton
                          size="sm"
                          variant={user.banned ? "outline" : "destructive"}
                          pendingText="Saving…"
                          aria-label={`${user.banned ? "Enable" : "Disable"} ${user.email}`}
                        >
                          {user.banned ? "Enable" : "Disable"}
                        </SubmitButton>
                      </ActionForm>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
        <div className="flex gap-2">
          {offset > 0 ? (
            <Button asChild variant="outline" size="sm">
              <Link href={{ pathname: "/admin/users", query: { q: search, offset: Math.max(0, offset - pageSize) } }}>
                Previous
              </Link>
            </Button>
          ) : null}
          {offset + users.length < total ? (
            <Button asChild variant="outline" size="sm">
              <Link href={{ pathname: "/admin/users", query: { q: search, offset: offset + pageSize } }}>Next</Link>
            </Button>
          ) : null}
        </div>
      </div>
    </PageShell>
  );
}
