import { Alert, AlertDescription, AlertTitle, Button } from "@agentbot/ui";
import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "../../components/auth/auth-card.tsx";
import { ResetPasswordForm } from "../../components/auth/reset-password-form.tsx";
import { passwordPolicyHint } from "../../server/auth.ts";

export const metadata: Metadata = { title: "Choose a new password · Agentbot" };

/**
 * Where the emailed reset link lands (`/reset-password?token=…`). The token is checked when the form is sent: an
 * unknown, expired or used one is refused then, with a message. `?error=` (from better-auth's own redirect) or no
 * token at all shows the "cannot be used" answer straight away.
 */
export default async function ResetPasswordPage({ searchParams }: PageProps<"/reset-password">) {
  const params = await searchParams;
  const token = typeof params["token"] === "string" ? params["token"] : undefined;
  const failed = params["error"] !== undefined || token === undefined;
  return (
    <AuthCard title="Choose a new password">
      {failed ? (
        <div className="grid gap-4">
          <Alert variant="destructive" data-testid="reset-password-invalid">
            <AlertTitle>This link cannot be used</AlertTitle>
            <AlertDescription>
              <p>Reset links work once and expire after a short time. Ask for a new one.</p>
            </AlertDescription>
          </Alert>
          <Button asChild variant="outline">
            <Link href="/forgot-password">Send a new link</Link>
          </Button>
        </div>
      ) : (
        <ResetPasswordForm token={token} passwordHint={passwordPolicyHint} />
      )}
    </AuthCard>
  );
}
