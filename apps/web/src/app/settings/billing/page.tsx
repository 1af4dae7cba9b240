import {
  Alert,
  AlertDescription,
  AlertTitle,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
} from "@agentbot/ui";
import type { Metadata } from "next";
import Link from "next/link";
import { ActionForm } from "../../../components/action-form.tsx";
import { BillingEventLog } from "../../../components/billing/billing-event-log.tsx";
import { BillingSummary } from "../../../components/billing/billing-summary.tsx";
import { PlanChooser } from "../../../components/billing/plan-chooser.tsx";
import { RedeployForPlan } from "../../../components/billing/redeploy-for-plan.tsx";
import { StripeSyncRefresh } from "../../../components/billing/stripe-sync-refresh.tsx";
import { UsdcInvoiceTable } from "../../../components/billing/usdc-invoice-table.tsx";
import { Notice } from "../../../components/notice.tsx";
import { PageShell } from "../../../components/page-shell.tsx";
import { SubmitButton } from "../../../components/settings/submit-button.tsx";
import { formatTimestamp } from "../../../lib/format-time.ts";
import { billingOverview } from "../../../server/billing.ts";
import { planChoices } from "../../../server/plan-choices.ts";
import { requireViewer } from "../../../server/session.ts";
import { createUsdcInvoiceAction, openCardPortalAction, startCardCheckoutAction } from "./actions.ts";

export const metadata: Metadata = { title: "Billing · Settings · Agentbot" };

export default async function BillingPage({ searchParams }: PageProps<"/settings/billing">) {
  const viewer = await requireViewer("/settings/billing");
  const params = await searchParams;
  const overview = await billingOverview(viewer.user.id);
  const { agents } = overview;
  const overLimit = agents.maxAgents !== null && agents.total > agents.maxAgents;
  // A card subscriber changes plan in Stripe's portal (Stripe prorates); a new checkout would be a second subscription.
  const cardSubscribed = overview.source === "card" || (overview.hasCardBilling && overview.status === "past_due");
  // Back from Checkout before Stripe's events were applied (Stripe does not promise the webhook comes first, and the
  // backend applies it just after answering): say so, and refresh until it is.
  const checkoutConfirming = params["checkout"] === "success" && !cardSubscribed;
  const waitingForStripe = checkoutConfirming || overview.pendingCardEvents > 0;
  return (
    <PageShell
      title="Billing"
      description="Your plan decides how many agents you can run and the CPU and memory each one gets."
      actions={
        <Link href="/pricing" className="text-sm font-medium text-primary underline-offset-4 hover:underline">
          Compare plans
        </Link>
      }
    >
      <div className="grid gap-8">
        {checkoutConfirming ? (
          <Alert data-testid="checkout-confirming">
            <AlertTitle>Confirming your subscription with Stripe…</AlertTitle>
            <AlertDescription>
              Checkout is complete. <StripeSyncRefresh waiting />
            </AlertDescription>
          </Alert>
        ) : params["checkout"] === "success" ? (
          <Alert data-testid="checkout-success">
            <AlertTitle>Thank you</AlertTitle>
            <AlertDescription>Stripe confirmed your subscription: your plan is below.</AlertDescription>
          </Alert>
        ) : waitingForStripe ? (
          <Notice title="Updating from Stripe" testId="stripe-sync">
            Stripe sent changes to your subscription that are being applied. <StripeSyncRefresh waiting />
          </Notice>
        ) : params["checkout"] === "canceled" ? (
          <Notice title="Checkout canceled" testId="checkout-canceled">
            Nothing was charged. Choose a plan again whenever you are ready.
          </Notice>
        ) : null}
        {overview.suspendedAt !== null ? (
          <Alert variant="destructive" data-testid="billing-suspended">
            <AlertTitle>Your agents are suspended</AlertTitle>
            <AlertDescription>
              Billing stopped your agents on {formatTimestamp(overview.suspendedAt)} (nothing was deleted). They start
              again automatically as soon as a payment comes through.
            </AlertDescription>
          </Alert>
        ) : overview.graceEndsAt !== null ? (
          <Alert variant="destructive" data-testid="billing-grace">
            <AlertTitle>Your last payment failed</AlertTitle>
            <AlertDescription>
              Your agents keep running until {formatTimestamp(overview.graceEndsAt)}. Update your payment method
              {overview.cardConfigured && overview.hasCardBilling ? " in the billing portal" : ""} before then, or they
              will be stopped (not deleted) until you pay.
            </AlertDescription>
          </Alert>
        ) : null}

        <Card aria-labelledby="plan-title">
          <CardHeader>
            <CardTitle as="h2" id="plan-title">
              Your plan
            </CardTitle>
          </CardHeader>
          <CardContent className="grid gap-6">
            <BillingSummary overview={overview} />
            {overLimit ? (
              <Notice title="More agents than your plan allows" testId="billing-over-limit">
                Your plan allows {agents.maxAgents} {agents.maxAgents === 1 ? "agent" : "agents"} and you have{" "}
                {agents.total}. Nothing was stopped or deleted, but you cannot create or start more until you are within
                the limit: stop or delete{" "}
                {agents.running.length > 0 ? `one of ${agents.running.join(", ")}` : "an agent"}, or upgrade.
              </Notice>
            ) : null}
            {agents.belowPlan.length > 0 && overview.entitled ? (
              <div className="grid gap-2" data-testid="billing-redeploy-offer">
                <p className="text-sm">
                  Your plan now gives each agent more CPU and memory. These agents still run with their old resources
                  until they are redeployed (files and settings are kept):
                </p>
                <ul className="flex flex-wrap gap-2">
                  {agents.belowPlan.map((agent) => (
                    <li key={agent.id}>
                      <RedeployForPlan agentId={agent.id} agentName={agent.name} />
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            {overview.cardConfigured && overview.hasCardBilling ? (
              <ActionForm action={openCardPortalAction}>
                <SubmitButton variant="outline" pendingText="Opening…">
                  Manage card billing
                </SubmitButton>
                <span className="text-xs text-muted-foreground">
                  Change plan, payment method or cancel; see your card invoices.
                </span>
              </ActionForm>
            ) : null}
          </CardContent>
        </Card>

        <Card aria-labelledby="choose-title">
          <CardHeader>
            <CardTitle as="h2" id="choose-title">
              {overview.entitled ? "Change plan" : "Choose a plan"}
            </CardTitle>
            <CardDescription>
              {cardSubscribed
                ? "You pay by card: change your plan in the billing portal above. Upgrades apply at once."
                : overview.cardConfigured && overview.trialDays > 0
                  ? `A first card subscription starts with a ${overview.trialDays}-day free trial. Promotion codes are accepted at checkout.`
                  : "Pick a plan and how to pay."}
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4">
            {!overview.cardConfigured ? (
              <Notice title="Card payment is not configured on this installation" testId="card-not-configured">
                The operator has not set Stripe keys (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and the plan prices), so
                paying by card is not offered here.
              </Notice>
            ) : null}
            {!overview.usdcConfigured ? (
              <Notice title="USDC payment is not configured on this installation" testId="usdc-not-configured">
                The operator has not set Coinbase CDP keys (CDP_API_KEY_ID, CDP_API_KEY_SECRET, CDP_WALLET_SECRET,
                CDP_WEBHOOK_SECRET), so paying in USDC on Base is not offered here.
              </Notice>
            ) : null}
            {overview.cardConfigured || overview.usdcConfigured ? (
              <PlanChooser
                plans={planChoices(overview.plan?.id ?? null)}
                cardAction={overview.cardConfigured && !cardSubscribed ? startCardCheckoutAction : null}
                usdcAction={overview.usdcConfigured ? createUsdcInvoiceAction : null}
                trialDays={overview.trialDays}
              />
            ) : null}
          </CardContent>
        </Card>

        <Card aria-labelledby="usdc-title">
          <CardHeader>
            <CardTitle as="h2" id="usdc-title">
              USDC invoices
            </CardTitle>
            <CardDescription>
              Each invoice pays one period in USDC on Base. A new invoice for the next period is emailed before the
              current one ends.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <UsdcInvoiceTable invoices={overview.invoices} />
          </CardContent>
        </Card>

        <Card aria-labelledby="history-title">
          <CardHeader>
            <CardTitle as="h2" id="history-title">
              Billing history
            </CardTitle>
            <CardDescription>Every change to your plan and payments, and what it did to your agents.</CardDescription>
          </CardHeader>
          <CardContent>
            <BillingEventLog events={overview.events} />
          </CardContent>
        </Card>
      </div>
    </PageShell>
  );
}
