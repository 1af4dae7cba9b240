"use client";

import type { Approval } from "@agentbot/contracts";
import {
  Alert,
  Button,
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
  FieldError,
  Input,
  Label,
} from "@agentbot/ui";
import { useState } from "react";
import type { FormEvent } from "react";
import { formText } from "../../lib/form-text.ts";
import { reauthenticateAction } from "../../app/approvals/actions.ts";
import { decideApproval } from "./decide-approval.ts";

/**
 * Approving a Destructive command: the person types their password again (checked by the server, valid 5 minutes)
 * and the agent's name, so a stray click or an unattended tab cannot approve `rm -rf`. The backend enforces both; this
 * dialog only collects them.
 */
export function DestructiveApprovalDialog({
  approval,
  disabled,
  onDecided,
}: {
  approval: Approval;
  disabled: boolean;
  onDecided: (approval: Approval) => void;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<{ form?: string; password?: string; name?: string }>({});

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const password = formText(data, "password");
    const name = formText(data, "confirmAgentName");
    if (name !== approval.agentName) {
      setErrors({ name: `Type the agent's name, ${approval.agentName}, exactly.` });
      return;
    }
    setBusy(true);
    setErrors({});
    const reauth = await reauthenticateAction(password);
    if (!reauth.ok) {
      setBusy(false);
      setErrors(
        reauth.fields?.["password"] === undefined
          ? { form: reauth.message ?? "Your password could not be checked." }
          : { password: `Password ${reauth.fields["password"]}.` },
      );
      return;
    }
    const outcome = await decideApproval(approval.id, "approve_once", name);
    setBusy(false);
    if (!outcome.ok) {
      setErrors({ form: outcome.message });
      return;
    }
    setOpen(false);
    onDecided(outcome.approval);
  }

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button size="sm" variant="destructive" disabled={disabled} data-testid="approval-approve-destructive">
          Approve…
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form className="grid gap-4" onSubmit={(event) => void submit(event)}>
          <DialogHeader>
            <DialogTitle>Approve a Destructive command</DialogTitle>
            <DialogDescription>
              {approval.agentName} will run this once. It can delete data or change the system, and cannot be undone.
            </DialogDescription>
          </DialogHeader>
          <pre className="overflow-x-auto rounded-md bg-muted p-3 font-mono text-xs whitespace-pre-wrap break-all">
            {approval.command}
          </pre>
          <div className="grid gap-2">
            <Label htmlFor={`password-${approval.id}`}>Your password</Label>
            <Input
              id={`password-${approval.id}`}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              aria-invalid={errors.password !== undefined}
              data-testid="approval-password"
            />
            {errors.password === undefined ? null : <FieldError>{errors.password}</FieldError>}
          </div>
          <div className="grid gap-2">
            <Label htmlFor={`confirm-${approval.id}`}>
              Type <span className="font-mono">{approval.agentName}</span> to confirm
            </Label>
            <Input
              id={`confirm-${approval.id}`}
              name="confirmAgentName"
              autoComplete="off"
              required
              aria-invalid={errors.name !== undefined}
              data-testid="approval-confirm-name"
            />
            {errors.name === undefined ? null : <FieldError>{errors.name}</FieldError>}
          </div>
          {errors.form === undefined ? null : (
            <Alert variant="destructive" data-testid="approval-dialog-error">
              {errors.form}
            </Alert>
          )}
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="outline" type="button">
                Cancel
              </Button>
            </DialogClose>
            <Button
              type="submit"
              variant="destructive"
              disabled={busy}
              data-testid="approval-approve-destructive-confirm"
            >
              {busy ? "Approving…" : "Approve once"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
