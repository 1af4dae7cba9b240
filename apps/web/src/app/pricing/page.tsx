import { Badge, Button, Card, CardContent, CardDescription, CardHeader, CardTitle, cn } from "@agentbot/ui";
import { formatCpu, formatMaxAgents, formatMemory, formatPrice, plans } from "@agentbot/plans";
import type { Metadata } from "next";
import Link from "next/link";
import { PageShell } from "../../components/page-shell.tsx";
import { recommendedPlanId } from "../../components/plan-view.ts";
import { billing } from "../../server/billing.ts";

export const metadata: Metadata = { title: "Pricing · Agentbot" };

// Render per request: which ways to pay are offered depends on this installation's configuration.
export const dynamic = "force-dynamic";

/** The public pricing page, straight from the plans table, saying only what this installation offers. */
export default function PricingPage() {
  const { config } = billing();
  const card = config.stripe !== null;
  const usdc = config.usdc !== null;
  return (
    <PageShell
      title="Pricing"
      description="Every agent runs in its own container with dedicated CPU and memory. Plans differ in how much, and how many agents."
    >
      <div className="grid gap-8">
        <ul className="grid gap-5 sm:grid-cols-2 lg:grid-cols-4" data-testid="pricing-plans">
          {plans.map((plan) => (
            <li key={plan.id} className="flex">
              <Card
                data-testid={`pricing-${plan.id}`}
                className={cn(
                  "w-full",
                  plan.id === recommendedPlanId && "border-primary shadow-md ring-1 ring-primary/30",
                )}
              >
                <CardHeader>
                  <div className="flex items-center justify-between gap-2">
                    <CardTitle as="h2" className="text-xl">
                      {plan.name}
                    </CardTitle>
                    {plan.id === recommendedPlanId ? <Badge>Recommended</Badge> : null}
                  </div>
                  <CardDescription>{plan.description}</CardDescription>
                </CardHeader>
                <CardContent className="grid gap-3 text-sm">
                  <p className="text-2xl font-semibold tabular-nums" data-testid="pricing-month">
                    {formatPrice(plan, "month")}
                  </p>
                  <p className="text-muted-foreground" data-testid="pricing-year">
                    or {formatPrice(plan, "year")}
                  </p>
                  <dl className="grid gap-1">
                    <div className="flex justify-between">
                      <dt className="text-muted-foreground">CPU per agent</dt>
                      <dd>{formatCpu(plan)}</dd>
                    </div>
                    <div className="flex justify-between">
                      <dt className="text-muted-foreground">Memory per agent</dt>
                      <dd>{formatMemory(plan)}</dd>
                    </div>
                    <div className="flex justify-between">
                      <dt className="text-muted-foreground">Agents</dt>
                      <dd>{formatMaxAgents(plan)}</dd>
                    </div>
                  </dl>
                </CardContent>
              </Card>
            </li>
          ))}
        </ul>
        <section aria-labelledby="paying-title" className="grid gap-2 text-sm" data-testid="pricing-payment">
          <h2 id="paying-title" className="text-lg font-semibold">
            Paying
          </h2>
          {card ? (
            <p>
              By card through Stripe, monthly or yearly
              {config.trialDays > 0 ? `, with a ${config.trialDays}-day free trial on your first subscription` : ""}.
              Change plan or cancel any time from the billing page.
            </p>
          ) : (
            <p>Card payment is not configured on this installation.</p>
          )}
          {usdc ? (
            <p>In USDC on Base: each invoice pays one month or one year, sent to a deposit address of its own.</p>
          ) : (
            <p>USDC payment is not configured on this installation.</p>
          )}
          <p className="text-muted-foreground">
            If a payment fails, your agents keep running for a {Math.round(config.gracePeriodMs / 86_400_000)}-day grace
            period; after it they are stopped (never deleted) and start again when you pay.
          </p>
          <div className="mt-2">
            <Button asChild>
              <Link href="/settings/billing">Choose a plan</Link>
            </Button>
          </div>
        </section>
      </div>
    </PageShell>
  );
}
