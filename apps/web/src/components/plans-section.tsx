import { Badge, Card, CardContent, CardDescription, CardHeader, CardTitle, cn } from "@agentbot/ui";
import type { PlanSummary } from "@agentbot/contracts";
import type { Loaded } from "../server/home-data.ts";
import { ComparePlansDialog } from "./compare-plans-dialog.tsx";
import { Notice } from "./notice.tsx";
import { toPlanView } from "./plan-view.ts";
import type { PlanView } from "./plan-view.ts";

function PlanCard({ plan }: { plan: PlanView }) {
  const titleId = `plan-${plan.id}-title`;
  const specs = [
    ["CPU", "plan-cpu", plan.cpu],
    ["Memory", "plan-memory", plan.memory],
    ["Max agents", "plan-max-agents", plan.maxAgents],
  ] as const;
  return (
    <li className="flex">
      <Card
        data-testid={`plan-${plan.id}`}
        data-recommended={plan.recommended}
        aria-labelledby={titleId}
        role="group"
        className={cn(
          "relative w-full transition-shadow hover:shadow-md",
          plan.recommended && "border-primary shadow-md ring-1 ring-primary/30",
        )}
      >
        <CardHeader>
          <div className="flex min-h-6 items-center justify-between gap-2">
            <CardTitle id={titleId} className="text-xl">
              {plan.name}
            </CardTitle>
            {plan.recommended ? <Badge data-testid="plan-recommended">Recommended</Badge> : null}
          </div>
          <CardDescription data-testid="plan-description" className="lg:min-h-10">
            {plan.description}
          </CardDescription>
        </CardHeader>
        <CardContent className="flex-1">
          <dl className="grid text-sm">
            {specs.map(([label, testId, value]) => (
              <div
                key={testId}
                className="flex items-baseline justify-between gap-3 border-b border-border/70 py-3 first:pt-0 last:border-0 last:pb-0"
              >
                <dt className="text-muted-foreground">{label}</dt>
                <dd data-testid={testId} className="font-medium tabular-nums">
                  {value}
                </dd>
              </div>
            ))}
          </dl>
        </CardContent>
      </Card>
    </li>
  );
}

export function PlansSection({ plans }: { plans: Loaded<readonly PlanSummary[]> }) {
  const views = plans.ok ? plans.data.map(toPlanView) : [];
  return (
    <section id="plans" aria-labelledby="plans-title" className="scroll-mt-20" data-testid="plans-section">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h2 id="plans-title" className="text-2xl font-semibold tracking-tight sm:text-3xl">
            Plans
          </h2>
          <p className="mt-2 max-w-2xl text-muted-foreground">
            Each agent gets dedicated CPU and memory. Pick the plan that fits how many agents you run and how hard they
            work.
          </p>
        </div>
        {views.length > 0 ? <ComparePlansDialog plans={views} /> : null}
      </div>
      {plans.ok ? (
        <ul className="mt-8 grid gap-5 sm:grid-cols-2 lg:grid-cols-4" data-testid="plan-list">
          {views.map((plan) => (
            <PlanCard key={plan.id} plan={plan} />
          ))}
        </ul>
      ) : (
        <Notice className="mt-8" testId="plans-unavailable" title="Plans are unavailable right now">
          The platform backend did not answer ({plans.code}), so the current plans cannot be shown. Try again in a
          moment.
        </Notice>
      )}
    </section>
  );
}
