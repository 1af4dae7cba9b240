"use client";

import type { Agent, AgentActionRequest, OperationAccepted } from "@agentbot/contracts";
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
  Input,
  Label,
} from "@agentbot/ui";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { FormEvent } from "react";
import { allowedActions } from "./agent-status.ts";
import { agentRequest } from "./agent-requests.ts";

type Action = AgentActionRequest["action"];

const labels: Record<Action, readonly [idle: string, pending: string]> = {
  start: ["Start", "Starting…"],
  stop: ["Stop", "Stopping…"],
  restart: ["Restart", "Restarting…"],
  redeploy: ["Redeploy", "Redeploying…"],
};

/**
 * Start, stop, restart, redeploy (optionally to another runtime version) and delete (after confirming). Each queues an
 * operation; the status then changes live through the events stream. A 409 (another operation in flight) is shown.
 */
export function AgentActions({
  agent,
  onAccepted,
}: {
  agent: Agent;
  onAccepted: (accepted: OperationAccepted) => void;
}) {
  const router = useRouter();
  const [pending, setPending] = useState<Action | "delete" | null>(null);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [redeployOpen, setRedeployOpen] = useState(false);
  const allowed = allowedActions(agent.status, agent.activeOperation !== null);
  const base = `/api/v1/agents/${encodeURIComponent(agent.id)}`;

  async function run(action: Action, body?: unknown): Promise<boolean> {
    setPending(action);
    setMessage(undefined);
    const result = await agentRequest("POST", `${base}/${action}`, body);
    setPending(null);
    if (!result.ok) {
      setMessage(result.errors.form ?? Object.values(result.errors.fields).join(" "));
      return false;
    }
    onAccepted(result.data);
    return true;
  }

  async function redeploy(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const version = new FormData(event.currentTarget).get("runtimeVersion");
    const runtimeVersion = typeof version === "string" ? version.trim() : "";
    if (await run("redeploy", runtimeVersion === "" ? {} : { runtimeVersion })) setRedeployOpen(false);
  }

  async function remove() {
    setPending("delete");
    setMessage(undefined);
    const result = await agentRequest("DELETE", base);
    setPending(null);
    if (!result.ok) {
      setMessage(result.errors.form ?? "The agent could not be deleted.");
      return;
    }
    onAccepted(result.data);
    router.push("/agents");
  }

  return (
    <div className="grid gap-3">
      <div className="flex flex-wrap gap-2" role="group" aria-label="Agent actions">
        {(["start", "stop", "restart"] as const).map((action) => (
          <Button
            key={action}
            variant="outline"
            size="sm"
            disabled={!allowed[action] || pending !== null}
            onClick={() => void run(action)}
            data-testid={`agent-${action}`}
          >
            {labels[action][pending === action ? 1 : 0]}
          </Button>
        ))}
        <Dialog open={redeployOpen} onOpenChange={setRedeployOpen}>
          <DialogTrigger asChild>
            <Button
              variant="outline"
              size="sm"
              disabled={!allowed.redeploy || pending !== null}
              data-testid="agent-redeploy"
            >
              Redeploy
            </Button>
          </DialogTrigger>
          <DialogContent>
            <form className="grid gap-4" onSubmit={(event) => void redeploy(event)}>
              <DialogHeader>
                <DialogTitle>Redeploy {agent.name}</DialogTitle>
                <DialogDescription>
                  Replaces the runtime with a fresh one; the agent&apos;s state is kept. It is currently on{" "}
                  <span className="font-mono">{agent.runtimeVersion}</span>.
                </DialogDescription>
              </DialogHeader>
              <div className="grid gap-2">
                <Label htmlFor="runtimeVersion">Runtime version (optional)</Label>
                <Input
                  id="runtimeVersion"
                  name="runtimeVersion"
                  placeholder={agent.runtimeVersion}
                  autoComplete="off"
                  pattern="\d{4}\.\d{1,2}\.\d{1,2}(-[0-9A-Za-z.]+)?"
                />
              </div>
              <DialogFooter>
                <DialogClose asChild>
                  <Button variant="outline">Cancel</Button>
                </DialogClose>
                <Button type="submit" disabled={pending !== null} data-testid="agent-redeploy-confirm">
                  {pending === "redeploy" ? "Redeploying…" : "Redeploy"}
                </Button>
              </DialogFooter>
            </form>
          </DialogContent>
        </Dialog>
        <Dialog>
          <DialogTrigger asChild>
            <Button
              variant="destructive"
              size="sm"
              disabled={!allowed.delete || pending !== null}
              data-testid="agent-delete"
            >
              Delete
            </Button>
          </DialogTrigger>
          <DialogContent>
            <DialogHeader>
              <DialogTitle>Delete {agent.name}?</DialogTitle>
              <DialogDescription>
                Its runtime, its data and its channel connections are removed. This cannot be undone.
              </DialogDescription>
            </DialogHeader>
            <DialogFooter>
              <DialogClose asChild>
                <Button variant="outline">Keep it</Button>
              </DialogClose>
              <Button
                variant="destructive"
                disabled={pending !== null}
                onClick={() => void remove()}
                data-testid="agent-delete-confirm"
              >
                {pending === "delete" ? "Deleting…" : "Delete agent"}
              </Button>
            </DialogFooter>
          </DialogContent>
        </Dialog>
      </div>
      {message === undefined ? null : (
        <Alert variant="destructive" data-testid="agent-action-error">
          {message}
        </Alert>
      )}
    </div>
  );
}
