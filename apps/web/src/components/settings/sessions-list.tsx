import { Badge, Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@agentbot/ui";
import type { ActionState, SessionView } from "../../lib/account-views.ts";
import { ActionForm } from "../action-form.tsx";
import { formatTimestamp } from "../../lib/format-time.ts";
import { SubmitButton } from "./submit-button.tsx";

/** The account's active sessions, each revocable; plus "log out everywhere". Plain forms: work without JavaScript. */
export function SessionsList({
  sessions,
  revokeAction,
  revokeAllAction,
}: {
  sessions: readonly SessionView[];
  revokeAction: (state: ActionState, data: FormData) => Promise<ActionState>;
  revokeAllAction: () => Promise<void>;
}) {
  return (
    <div className="grid gap-4">
      <Table data-testid="sessions">
        <TableHeader>
          <TableRow>
            <TableHead>Device</TableHead>
            <TableHead>IP address</TableHead>
            <TableHead>Last active</TableHead>
            <TableHead>Signed in</TableHead>
            <TableHead className="text-right">
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {sessions.map((session) => (
            <TableRow key={session.id} data-testid="session-row" data-current={session.current ? "true" : "false"}>
              <TableCell>
                <span title={session.userAgent ?? undefined}>{session.device}</span>{" "}
                {session.current ? <Badge variant="success">This device</Badge> : null}
              </TableCell>
              <TableCell className="font-mono text-xs">{session.ip ?? "—"}</TableCell>
              <TableCell>{formatTimestamp(session.lastActiveAt)}</TableCell>
              <TableCell>{formatTimestamp(session.createdAt)}</TableCell>
              <TableCell className="text-right">
                <ActionForm action={revokeAction} className="justify-end">
                  <input type="hidden" name="sessionId" value={session.id} />
                  <SubmitButton variant="outline" size="sm" pendingText="Revoking…">
                    {session.current ? "Sign out" : "Revoke"}
                  </SubmitButton>
                </ActionForm>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <form action={revokeAllAction}>
        <SubmitButton variant="destructive" pendingText="Signing out…" data-testid="log-out-everywhere">
          Log out everywhere
        </SubmitButton>
      </form>
    </div>
  );
}
