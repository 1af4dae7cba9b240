"use client";

import { Alert, Button } from "@agentbot/ui";
import type { Route } from "next";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { FormEvent } from "react";
import { sendVerificationEmailPath, signInPath } from "../../lib/auth-routes.ts";
import { noErrors } from "../../lib/form-errors.ts";
import type { FormErrors } from "../../lib/form-errors.ts";
import { postJson } from "../../lib/post-json.ts";
import { FormAlert } from "./form-alert.tsx";
import { TextField } from "./text-field.tsx";
import { formText } from "../../lib/form-text.ts";
import { useHydrated } from "../../lib/use-hydrated.ts";
import { ClientForm } from "../client-form.tsx";

/** Email and password sign-in. On success better-auth sets a new session cookie (a fresh id: no fixation). */
export function SignInForm({ next, notice }: { next: string; notice?: string | undefined }) {
  const router = useRouter();
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const hydrated = useHydrated();
  const [pending, setPending] = useState(false);
  const [unverified, setUnverified] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setPending(true);
    setErrors(noErrors);
    const email = formText(data, "email").trim();
    const result = await postJson(signInPath, {
      email,
      password: formText(data, "password"),
    });
    if (result.ok) {
      router.push(next as Route);
      router.refresh();
      return;
    }
    setPending(false);
    if (result.errors.code === "EMAIL_NOT_VERIFIED") {
      setUnverified(email);
      setErrors({ form: "Please verify your email first: open the link we emailed you.", fields: {} });
      return;
    }
    setErrors(result.errors);
  }

  async function resendVerification() {
    if (unverified === null) return;
    const result = await postJson(sendVerificationEmailPath, { email: unverified, callbackURL: "/verify-email" });
    setUnverified(null);
    setErrors(
      result.ok
        ? { form: "If this address has an unverified account, a new verification link is on its way.", fields: {} }
        : result.errors,
    );
  }

  return (
    <ClientForm className="grid gap-5" onSubmit={(event) => void onSubmit(event)} data-testid="sign-in-form">
      {notice === undefined ? null : (
        <Alert variant="success" data-testid="sign-in-notice">
          {notice}
        </Alert>
      )}
      <FormAlert message={errors.form} />
      {unverified === null ? null : (
        <Button variant="outline" onClick={() => void resendVerification()} data-testid="resend-verification">
          Send a new verification link
        </Button>
      )}
      <TextField name="email" label="Email" type="email" autoComplete="email" required error={errors.fields["email"]} />
      <TextField
        name="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        error={errors.fields["password"]}
      />
      <div className="flex items-center justify-between gap-4">
        <Link href="/forgot-password" className="text-sm text-primary underline-offset-4 hover:underline">
          Forgot your password?
        </Link>
        <Button type="submit" disabled={pending || !hydrated} data-testid="sign-in-submit">
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </div>
    </ClientForm>
  );
}
