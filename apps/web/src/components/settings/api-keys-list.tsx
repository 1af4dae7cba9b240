import { Badge, Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@agentbot/ui";
import type { ActionState, ApiKeyView } from "../../lib/account-views.ts";
import { ActionForm } from "../action-form.tsx";
import { formatTimestamp } from "../../lib/format-time.ts";
import { SubmitButton } from "./submit-button.tsx";

export function ApiKeysList({
  keys,
  revokeAction,
}: {
  keys: readonly ApiKeyView[];
  revokeAction: (state: ActionState, data: FormData) => Promise<ActionState>;
}) {
  if (keys.length === 0) {
    return (
      <p className="text-sm text-muted-foreground" data-testid="api-keys-empty">
        No API keys yet.
      </p>
    );
  }
  return (
    <Table data-testid="api-keys">
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Key</TableHead>
          <TableHead>Scopes</TableHead>
          <TableHead>Last used</TableHead>
          <TableHead>Expires</TableHead>
          <TableHead className="text-right">
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {keys.map((key) => (
          <TableRow key={key.id} data-testid="api-key-row" data-key-name={key.name}>
            <TableCell className="font-medium">{key.name}</TableCell>
            <TableCell className="font-mono text-xs" data-testid="api-key-prefix">
              {key.prefix}…
            </TableCell>
            <TableCell>
              <div className="flex flex-wrap gap-1">
                {key.scopes.map((scope) => (
                  <Badge key={scope} variant="outline">
                    {scope}
                  </Badge>
                ))}
              </div>
            </TableCell>
            <TableCell data-testid="api-key-last-used">
              {key.lastUsedAt ? formatTimestamp(key.lastUsedAt) : "Never"}
            </TableCell>
            <TableCell>
              {key.expiresAt === null ? "Never" : formatTimestamp(key.expiresAt)}{" "}
              {key.expired ? <Badge variant="destructive">Expired</Badge> : null}
            </TableCell>
            <TableCell className="text-right">
              <ActionForm action={revokeAction} className="justify-end">
                <input type="hidden" name="keyId" value={key.id} />
                <SubmitButton variant="outline" size="sm" pendingText="Revoking…" aria-label={`Revoke ${key.name}`}>
                  Revoke
                </SubmitButton>
              </ActionForm>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
