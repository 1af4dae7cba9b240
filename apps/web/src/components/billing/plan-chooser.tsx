"use client";

import { cn } from "@agentbot/ui";
import { useState } from "react";
import type { ActionState } from "../../lib/account-views.ts";
import { ActionForm } from "../action-form.tsx";
import { SubmitButton } from "../settings/submit-button.tsx";

export interface PlanChoiceView {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly resources: string;
  readonly maxAgents: string;
  readonly price: { readonly month: string; readonly year: string };
  /** Whether a card price is configured for this plan and interval. */
  readonly card: { readonly month: boolean; readonly year: boolean };
  readonly current: boolean;
}

type Action = (state: ActionState, data: FormData) => Promise<ActionState>;

/**
 * The plans with their prices per interval, and the ways to pay this installation offers: a card subscription
 * (Stripe Checkout, with the trial for a first subscription) and one period in USDC. A way that is not configured is
 * not offered; the page says so beside this.
 */
export function PlanChooser({
  plans,
  cardAction,
  usdcAction,
  trialDays,
}: {
  plans: readonly PlanChoiceView[];
  /** Null: card payment is not offered here (not configured, or the user already has a card subscription). */
  cardAction: Action | null;
  usdcAction: Action | null;
  trialDays: number;
}) {
  const [interval, setInterval] = useState<"month" | "year">("month");
  return (
    <div className="grid gap-4">
      <fieldset className="flex items-center gap-2 text-sm">
        <legend className="sr-only">Billing interval</legend>
        {(["month", "year"] as const).map((value) => (
          <label
            key={value}
            className={cn(
              "cursor-pointer rounded-full border px-3 py-1",
              interval === value ? "border-primary bg-primary/10 font-medium" : "border-border",
            )}
          >
            <input
              type="radio"
              name="interval-choice"
              value={value}
              checked={interval === value}
              onChange={() => setInterval(value)}
              className="sr-only"
            />
            {value === "month" ? "Monthly" : "Yearly (two months free)"}
          </label>
        ))}
      </fieldset>
      <ul className="grid gap-4 sm:grid-cols-2" data-testid="plan-choices">
        {plans.map((plan) => (
          <li
            key={plan.id}
            data-testid={`choose-${plan.id}`}
            className={cn("grid gap-3 rounded-xl border p-4", plan.current && "border-primary ring-1 ring-primary/30")}
          >
            <div className="flex items-baseline justify-between gap-2">
              <h3 className="font-semibold">
                {plan.name}
                {plan.current ? <span className="ml-2 text-xs font-normal text-primary">Your plan</span> : null}
              </h3>
              <p className="font-medium tabular-nums" data-testid="plan-price">
                {plan.price[interval]}
              </p>
            </div>
            <p className="text-sm text-muted-foreground">
              {plan.description}. {plan.resources} per agent, {plan.maxAgents}.
            </p>
            <div className="flex flex-wrap gap-2">
              {cardAction !== null && plan.card[interval] ? (
                <ActionForm action={cardAction}>
                  <input type="hidden" name="plan" value={plan.id} />
                  <input type="hidden" name="interval" value={interval} />
                  <SubmitButton
                    size="sm"
                    pendingText="Opening checkout…"
                    aria-label={`Subscribe to ${plan.name} by card`}
                  >
                    {trialDays > 0 ? `Start ${trialDays}-day trial` : "Subscribe by card"}
                  </SubmitButton>
                </ActionForm>
              ) : null}
              {usdcAction !== null ? (
                <ActionForm action={usdcAction}>
                  <input type="hidden" name="plan" value={plan.id} />
                  <input type="hidden" name="interval" value={interval} />
                  <SubmitButton
                    size="sm"
                    variant="outline"
                    pendingText="Creating invoice…"
                    aria-label={`Pay ${plan.name} for one ${interval} in USDC`}
                  >
                    Pay a {interval} in USDC
                  </SubmitButton>
                </ActionForm>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
