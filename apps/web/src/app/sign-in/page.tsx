import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "../../components/auth/auth-card.tsx";
import { SignInForm } from "../../components/auth/sign-in-form.tsx";
import { safeNextPath } from "../../lib/safe-next.ts";
import { getViewer } from "../../server/session.ts";

export const metadata: Metadata = { title: "Sign in · Agentbot" };

const notices: Record<string, string> = {
  verified: "Your email is verified. Sign in to continue.",
  "signed-out-everywhere": "You were signed out on every device.",
};

export default async function SignInPage({ searchParams }: PageProps<"/sign-in">) {
  const params = await searchParams;
  const next = safeNextPath(params["next"]);
  if ((await getViewer()) !== null) redirect(next as "/settings");
  const notice = typeof params["notice"] === "string" ? notices[params["notice"]] : undefined;
  return (
    <AuthCard
      title="Sign in"
      footer={
        <>
          New to Agentbot?{" "}
          <Link href="/sign-up" className="font-medium text-primary underline-offset-4 hover:underline">
            Create an account
          </Link>
        </>
      }
    >
      <SignInForm next={next} notice={notice} />
    </AuthCard>
  );
}
