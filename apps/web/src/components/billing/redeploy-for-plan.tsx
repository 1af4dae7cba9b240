"use client";

import { Button } from "@agentbot/ui";
import { useState } from "react";
import { agentRequest } from "../agents/agent-requests.ts";

/**
 * After an upgrade: one click redeploys an agent so it gets the plan's larger CPU and memory (its files and config
 * are kept). The redeploy is the agent's ordinary operation; its progress shows on the agent's page.
 */
export function RedeployForPlan({ agentId, agentName }: { agentId: string; agentName: string }) {
  const [state, setState] = useState<{ kind: "idle" | "busy" | "done" } | { kind: "error"; message: string }>({
    kind: "idle",
  });
  async function redeploy() {
    setState({ kind: "busy" });
    const result = await agentRequest("POST", `/api/v1/agents/${encodeURIComponent(agentId)}/redeploy`);
    setState(
      result.ok
        ? { kind: "done" }
        : {
            kind: "error",
            message:
              result.errors.form ?? (Object.values(result.errors.fields).join(" ") || "The redeploy was refused."),
          },
    );
  }
  if (state.kind === "done") {
    return (
      <a href={`/agents/${agentId}`} className="text-sm text-primary underline-offset-4 hover:underline">
        Redeploying {agentName}: follow it
      </a>
    );
  }
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <Button size="sm" variant="outline" disabled={state.kind === "busy"} onClick={() => void redeploy()}>
        {state.kind === "busy" ? "Redeploying…" : `Redeploy ${agentName}`}
      </Button>
      {state.kind === "error" ? (
        <span role="alert" className="text-xs text-destructive">
          {state.message}
        </span>
      ) : null}
    </span>
  );
}
