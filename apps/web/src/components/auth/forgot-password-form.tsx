"use client";

import { Alert, AlertDescription, AlertTitle, Button } from "@agentbot/ui";
import { useState } from "react";
import type { FormEvent } from "react";
import { requestPasswordResetPath } from "../../lib/auth-routes.ts";
import { noErrors } from "../../lib/form-errors.ts";
import type { FormErrors } from "../../lib/form-errors.ts";
import { postJson } from "../../lib/post-json.ts";
import { FormAlert } from "./form-alert.tsx";
import { TextField } from "./text-field.tsx";
import { formText } from "../../lib/form-text.ts";
import { useHydrated } from "../../lib/use-hydrated.ts";
import { ClientForm } from "../client-form.tsx";

/** Asks for a reset link. The answer is the same whether or not the address has an account. */
export function ForgotPasswordForm() {
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const hydrated = useHydrated();
  const [pending, setPending] = useState(false);
  const [sent, setSent] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setPending(true);
    setErrors(noErrors);
    const result = await postJson(requestPasswordResetPath, {
      email: formText(data, "email").trim(),
      redirectTo: "/reset-password",
    });
    setPending(false);
    if (result.ok) setSent(true);
    else setErrors(result.errors);
  }

  if (sent) {
    return (
      <Alert variant="success" data-testid="forgot-password-done">
        <AlertTitle>Check your email</AlertTitle>
        <AlertDescription>
          <p>
            If an account uses this address, we have sent it a link to choose a new password. The link works once and
            expires after a short time.
          </p>
        </AlertDescription>
      </Alert>
    );
  }
  return (
    <ClientForm className="grid gap-5" onSubmit={(event) => void onSubmit(event)}>
      <FormAlert message={errors.form} />
      <TextField name="email" label="Email" type="email" autoComplete="email" required error={errors.fields["email"]} />
      <Button type="submit" disabled={pending || !hydrated}>
        {pending ? "Sending…" : "Send reset link"}
      </Button>
    </ClientForm>
  );
}
