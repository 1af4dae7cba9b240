import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "../../components/auth/auth-card.tsx";
import { SignUpForm } from "../../components/auth/sign-up-form.tsx";
import { botCheckProvider } from "../../env.ts";
import { botChallengePath } from "../../lib/auth-routes.ts";
import { passwordPolicyHint } from "../../server/auth.ts";
import { getViewer } from "../../server/session.ts";

export const metadata: Metadata = { title: "Create your account · Agentbot" };

export default async function SignUpPage() {
  if ((await getViewer()) !== null) redirect("/settings");
  return (
    <AuthCard
      title="Create your account"
      description="Deploy and operate hosted AI agents."
      footer={
        <>
          Already have an account?{" "}
          <Link href="/sign-in" className="font-medium text-primary underline-offset-4 hover:underline">
            Sign in
          </Link>
        </>
      }
    >
      <SignUpForm botCheck={botCheckProvider} challengeUrl={botChallengePath} passwordHint={passwordPolicyHint} />
    </AuthCard>
  );
}
