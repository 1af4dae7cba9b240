"use client";

import { cn } from "@agentbot/ui";
import { useActionState } from "react";
import type { ReactNode } from "react";
import type { ActionState } from "../lib/account-views.ts";

/**
 * A form posting to a server action that answers an `ActionState`: the action's message appears beside the form
 * (an error in red and announced). Works without JavaScript too (the page re-renders with the answer).
 */
export function ActionForm({
  action,
  children,
  className,
  testId,
}: {
  action: (state: ActionState, data: FormData) => Promise<ActionState>;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  const [state, formAction] = useActionState(action, { ok: true });
  return (
    <form action={formAction} className={cn("flex flex-wrap items-center gap-2", className)} data-testid={testId}>
      {children}
      {state.message === undefined ? null : (
        <p
          role={state.ok ? "status" : "alert"}
          className={cn("basis-full text-xs", state.ok ? "text-muted-foreground" : "text-destructive")}
          data-testid="action-message"
        >
          {state.message}
        </p>
      )}
    </form>
  );
}
