"use client";

import type { Approval, HumanDecision } from "@agentbot/contracts";
import { Alert, Badge, Button, Card, CardContent } from "@agentbot/ui";
import Link from "next/link";
import { useState } from "react";
import { formatTimestamp } from "../../lib/format-time.ts";
import { classLabels, sourceLabels } from "./approval-labels.ts";
import { decideApproval } from "./decide-approval.ts";
import { DestructiveApprovalDialog } from "./destructive-approval-dialog.tsx";
import { ExpiryCountdown } from "./expiry-countdown.tsx";

const buttonLabels: Record<HumanDecision, readonly [idle: string, busy: string]> = {
  approve_once: ["Approve once", "Approving…"],
  approve_always: ["Approve always", "Approving…"],
  deny: ["Deny", "Denying…"],
};

/**
 * One waiting request: which agent, the exact command (and where), how it was classified and why, where the run
 * came from, the time left before the runtime denies it by itself, and the decisions this request allows. A
 * Destructive command is approved only through the password-and-name dialog.
 */
export function ApprovalCard({ approval, onDecided }: { approval: Approval; onDecided: (approval: Approval) => void }) {
  const [busy, setBusy] = useState<HumanDecision | null>(null);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const klass = classLabels[approval.classification];
  const destructive = approval.classification === "destructive";

  async function decide(decision: HumanDecision) {
    setBusy(decision);
    setMessage(undefined);
    const outcome = await decideApproval(approval.id, decision);
    setBusy(null);
    if (outcome.ok) onDecided(outcome.approval);
    else setMessage(outcome.message);
  }

  return (
    <Card data-testid="approval-card" data-approval-id={approval.id} data-classification={approval.classification}>
      <CardContent className="grid gap-3 pt-6">
        <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
          <div className="flex flex-wrap items-center gap-2">
            <Badge variant={klass.tone} data-testid="approval-class">
              {klass.label}
            </Badge>
            <Link
              href={`/agents/${encodeURIComponent(approval.agentId)}`}
              className="font-medium text-primary underline-offset-4 hover:underline"
            >
              {approval.agentName}
            </Link>
            <span className="text-muted-foreground">
              wants to run a command · from {sourceLabels[approval.source]} · {formatTimestamp(approval.createdAt)}
            </span>
          </div>
          <span className="text-muted-foreground">
            <ExpiryCountdown expiresAt={approval.expiresAt} />
          </span>
        </div>
        <pre
          className="overflow-x-auto rounded-md bg-muted p-3 font-mono text-sm whitespace-pre-wrap break-all"
          data-testid="approval-command"
        >
          {approval.command}
        </pre>
        {approval.cwd === null ? null : (
          <p className="text-xs text-muted-foreground">
            in <span className="font-mono">{approval.cwd}</span>
          </p>
        )}
        {approval.reasons.length === 0 ? null : (
          <ul className="list-disc pl-5 text-sm text-muted-foreground" aria-label="Why it was classified so">
            {approval.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        )}
        <div className="flex flex-wrap gap-2" role="group" aria-label={`Decide: ${approval.command}`}>
          {approval.allowedDecisions.map((decision) =>
            destructive && decision === "approve_once" ? (
              <DestructiveApprovalDialog
                key={decision}
                approval={approval}
                disabled={busy !== null}
                onDecided={onDecided}
              />
            ) : (
              <Button
                key={decision}
                size="sm"
                variant={decision === "deny" ? "outline" : "default"}
                disabled={busy !== null}
                onClick={() => void decide(decision)}
                data-testid={`approval-${decision.replace("_", "-")}`}
              >
                {buttonLabels[decision][busy === decision ? 1 : 0]}
              </Button>
            ),
          )}
        </div>
        {message === undefined ? null : (
          <Alert variant="destructive" data-testid="approval-error">
            {message}
          </Alert>
        )}
      </CardContent>
    </Card>
  );
}
