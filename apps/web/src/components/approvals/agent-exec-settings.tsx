"use client";

import type { Agent, ExecAllowlistEntry, ExecAllowlistEntryRemoved, ExecPolicy } from "@agentbot/contracts";
import { Alert, Button, Label, NativeSelect } from "@agentbot/ui";
import Link from "next/link";
import { useState } from "react";
import { formatTimestamp } from "../../lib/format-time.ts";
import { sendJson } from "../../lib/post-json.ts";
import { execPolicyLabels } from "./approval-labels.ts";

const runtimeNotes: Record<ExecAllowlistEntryRemoved["runtime"], string | null> = {
  removed: null,
  not_found: null,
  unavailable: "Removed. The agent's runtime is not connected right now; it is checked again when it reconnects.",
};

/**
 * The agent's command settings: who decides its shell commands (the exec policy), and the commands it may run
 * without asking (each added by an "approve always"; removing one makes it ask again, here and in the runtime).
 */
export function AgentExecSettings({
  agent,
  initialEntries,
  unavailable,
}: {
  agent: Pick<Agent, "id" | "name" | "execPolicy">;
  initialEntries: readonly ExecAllowlistEntry[];
  unavailable: boolean;
}) {
  const [policy, setPolicy] = useState<ExecPolicy>(agent.execPolicy);
  const [entries, setEntries] = useState(initialEntries);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: "error" | "note"; text: string } | null>(null);
  const base = `/api/v1/agents/${encodeURIComponent(agent.id)}`;

  async function changePolicy(next: ExecPolicy) {
    setBusy("policy");
    setMessage(null);
    const result = await sendJson<Agent>("PUT", `${base}/exec-policy`, { execPolicy: next });
    setBusy(null);
    if (result.ok) setPolicy(result.data.execPolicy);
    else setMessage({ tone: "error", text: result.errors.form ?? "The policy could not be changed." });
  }

  async function remove(entry: ExecAllowlistEntry) {
    setBusy(entry.id);
    setMessage(null);
    const result = await sendJson<ExecAllowlistEntryRemoved>(
      "DELETE",
      `${base}/exec-allowlist/${encodeURIComponent(entry.id)}`,
    );
    setBusy(null);
    if (!result.ok) {
      setMessage({ tone: "error", text: result.errors.form ?? "The command could not be removed." });
      return;
    }
    setEntries((current) => current.filter((existing) => existing.id !== entry.id));
    const note = runtimeNotes[result.data.runtime];
    if (note !== null) setMessage({ tone: "note", text: note });
  }

  return (
    <div className="grid gap-6">
      <div className="grid gap-2">
        <Label htmlFor="exec-policy">Who decides its commands</Label>
        <NativeSelect
          id="exec-policy"
          value={policy}
          disabled={busy !== null}
          onChange={(event) => void changePolicy(event.target.value as ExecPolicy)}
          data-testid="agent-exec-policy"
          className="max-w-xs"
        >
          {Object.entries(execPolicyLabels).map(([value, { label }]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </NativeSelect>
        <p className="text-sm text-muted-foreground">
          {execPolicyLabels[policy].description} Destructive commands always wait for you.{" "}
          <Link href="/approvals" className="text-primary underline-offset-4 hover:underline">
            Approvals
          </Link>
        </p>
      </div>
      <div className="grid gap-2">
        <h3 className="text-sm font-medium">Runs without asking</h3>
        {unavailable ? (
          <p className="text-sm text-muted-foreground" data-testid="exec-allowlist-unavailable">
            The list could not be loaded right now.
          </p>
        ) : entries.length === 0 ? (
          <p className="text-sm text-muted-foreground" data-testid="exec-allowlist-empty">
            No commands. &ldquo;Approve always&rdquo; on a request adds its exact command here.
          </p>
        ) : (
          <ul className="grid gap-2" data-testid="exec-allowlist">
            {entries.map((entry) => (
              <li
                key={entry.id}
                className="flex flex-wrap items-center justify-between gap-2 rounded-md border p-2"
                data-testid="exec-allowlist-entry"
              >
                <span className="font-mono text-sm break-all">{entry.pattern}</span>
                <span className="flex items-center gap-2 text-xs text-muted-foreground">
                  since {formatTimestamp(entry.createdAt)}
                  <Button
                    size="sm"
                    variant="outline"
                    disabled={busy !== null}
                    onClick={() => void remove(entry)}
                    data-testid="exec-allowlist-remove"
                  >
                    {busy === entry.id ? "Removing…" : "Remove"}
                  </Button>
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
      {message === null ? null : (
        <Alert variant={message.tone === "error" ? "destructive" : "default"} data-testid="agent-exec-message">
          {message.text}
        </Alert>
      )}
    </div>
  );
}
