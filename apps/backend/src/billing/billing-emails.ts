import { formatUsdc, graceEndsAt, usdcNetworks } from "@agentbot/billing";
import type { BillingEmail, UsdcNetwork } from "@agentbot/billing";
import {
  renderBillingAgentsResumedEmail,
  renderBillingAgentsSuspendedEmail,
  renderBillingPaymentFailedEmail,
  renderBillingReceiptEmail,
  renderBillingTrialEndingEmail,
  renderBillingUsdcInvoiceEmail,
} from "@agentbot/email";
import type { RenderedEmail } from "@agentbot/email";
import { getPlan, PlanId } from "@agentbot/plans";
import type { BillingServices } from "./billing-services.ts";

/** Renders one billing email from its task's facts and sends it (Resend, or the outbox) to the user. */
export async function sendBillingEmail(
  services: BillingServices,
  userId: string,
  email: BillingEmail,
): Promise<string> {
  const user = await services.db.user.findUnique({
    where: { id: userId },
    select: { email: true, name: true, billingAccount: { select: { pastDueSince: true } } },
  });
  if (user === null) return "no such user: not sent";
  const billingUrl = new URL("/settings/billing", services.webUrl).toString();
  const rendered = await render(services, email, {
    name: user.name,
    billingUrl,
    pastDueSince: user.billingAccount?.pastDueSince ?? null,
  });
  if (rendered === null) return "nothing to send";
  const sent = await services.email.send({ ...rendered, to: user.email });
  return `sent ${email.template} (${sent.id})`;
}

async function render(
  services: BillingServices,
  email: BillingEmail,
  context: { name: string; billingUrl: string; pastDueSince: Date | null },
): Promise<RenderedEmail | null> {
  const { name, billingUrl } = context;
  switch (email.template) {
    case "billing_receipt":
      return renderBillingReceiptEmail({
        name,
        method: email.method,
        planName: email.planName,
        amount: email.amount,
        reference: email.reference,
        periodEnd: email.periodEnd === null ? null : new Date(email.periodEnd),
        billingUrl,
      });
    case "billing_payment_failed":
      return renderBillingPaymentFailedEmail({
        name,
        amount: email.amount,
        actionRequired: email.actionRequired,
        graceEndsAt: context.pastDueSince ? graceEndsAt(context.pastDueSince, services.config.gracePeriodMs) : null,
        fixUrl: billingUrl,
      });
    case "billing_trial_ending":
      return renderBillingTrialEndingEmail({
        name,
        planName: email.planName,
        trialEnd: new Date(email.trialEnd),
        billingUrl,
      });
    case "billing_agents_suspended":
      return renderBillingAgentsSuspendedEmail({
        name,
        reason: email.reason,
        agentNames: email.agentNames,
        billingUrl,
      });
    case "billing_agents_resumed":
      return renderBillingAgentsResumedEmail({
        name,
        agentNames: email.agentNames,
        agentsUrl: new URL("/agents", services.webUrl).toString(),
      });
    case "billing_usdc_invoice": {
      const invoice = await services.db.usdcInvoice.findUnique({ where: { id: email.invoiceId } });
      if (invoice === null || invoice.status !== "open") return null;
      const plan = PlanId.safeParse(invoice.plan);
      return renderBillingUsdcInvoiceEmail({
        name,
        planName: plan.success ? getPlan(plan.data).name : invoice.plan,
        interval: invoice.interval === "year" ? "year" : "month",
        amount: formatUsdc(invoice.amountDue),
        address: invoice.depositAddress,
        networkLabel: usdcNetworks[invoice.network as UsdcNetwork]?.label ?? invoice.network,
        expiresAt: invoice.expiresAt,
        payUrl: new URL(`/settings/billing/usdc/${invoice.id}`, services.webUrl).toString(),
      });
    }
  }
}
