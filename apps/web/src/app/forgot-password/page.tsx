import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "../../components/auth/auth-card.tsx";
import { ForgotPasswordForm } from "../../components/auth/forgot-password-form.tsx";

export const metadata: Metadata = { title: "Reset your password · Agentbot" };

export default function ForgotPasswordPage() {
  return (
    <AuthCard
      title="Reset your password"
      description="We will email you a link to choose a new one."
      footer={
        <Link href="/sign-in" className="font-medium text-primary underline-offset-4 hover:underline">
          Back to sign in
        </Link>
      }
    >
      <ForgotPasswordForm />
    </AuthCard>
  );
}
