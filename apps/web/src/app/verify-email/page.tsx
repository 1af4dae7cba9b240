import { Alert, AlertDescription, AlertTitle, Button } from "@agentbot/ui";
import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "../../components/auth/auth-card.tsx";
import { getViewer } from "../../server/session.ts";

export const metadata: Metadata = { title: "Verify your email · Agentbot" };

/**
 * Where the emailed verification link lands: better-auth verifies the token at /api/auth/verify-email and redirects
 * here, adding `?error=` (`invalid_token`, `token_expired`, `TOKEN_ALREADY_USED`…) when it could not.
 */
export default async function VerifyEmailPage({ searchParams }: PageProps<"/verify-email">) {
  const params = await searchParams;
  const error = typeof params["error"] === "string" ? params["error"] : undefined;
  const viewer = error === undefined ? await getViewer() : null;
  return (
    <AuthCard title="Verify your email">
      {error === undefined ? (
        <div className="grid gap-4">
          <Alert variant="success" data-testid="verify-email-ok">
            <AlertTitle>Your email is verified</AlertTitle>
            <AlertDescription>
              <p>Your account is ready.</p>
            </AlertDescription>
          </Alert>
          <Button asChild>
            {viewer === null ? (
              <Link href="/sign-in?notice=verified">Sign in</Link>
            ) : (
              <Link href="/settings">Go to your account</Link>
            )}
          </Button>
        </div>
      ) : (
        <div className="grid gap-4">
          <Alert variant="destructive" data-testid="verify-email-failed" data-error={error}>
            <AlertTitle>{error === "token_expired" ? "This link has expired" : "This link cannot be used"}</AlertTitle>
            <AlertDescription>
              <p>
                Verification links work once and expire after 24 hours. Sign in with your email and password and we will
                send you a new one.
              </p>
            </AlertDescription>
          </Alert>
          <Button asChild variant="outline">
            <Link href="/sign-in">Sign in</Link>
          </Button>
        </div>
      )}
    </AuthCard>
  );
}
