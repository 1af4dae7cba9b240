"use client";

import { Alert, AlertDescription, AlertTitle, Button } from "@agentbot/ui";
import Link from "next/link";
import { useState } from "react";
import type { FormEvent } from "react";
import { resetPasswordPath } from "../../lib/auth-routes.ts";
import { noErrors } from "../../lib/form-errors.ts";
import type { FormErrors } from "../../lib/form-errors.ts";
import { postJson } from "../../lib/post-json.ts";
import { FormAlert } from "./form-alert.tsx";
import { TextField } from "./text-field.tsx";
import { formText } from "../../lib/form-text.ts";
import { useHydrated } from "../../lib/use-hydrated.ts";
import { ClientForm } from "../client-form.tsx";

/** Sets a new password with the emailed single-use token; every session of the account ends. */
export function ResetPasswordForm({ token, passwordHint }: { token: string; passwordHint: string }) {
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const hydrated = useHydrated();
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const newPassword = formText(data, "newPassword");
    if (newPassword !== formText(data, "confirmPassword")) {
      setErrors({ fields: { confirmPassword: "The two passwords differ." } });
      return;
    }
    setPending(true);
    setErrors(noErrors);
    const result = await postJson(resetPasswordPath, { token, newPassword });
    setPending(false);
    if (result.ok) {
      setDone(true);
      return;
    }
    const { fields, form, code } = result.errors;
    // better-auth reports policy failures for `password`; this form calls the field `newPassword`.
    const remapped = fields["password"] === undefined ? fields : { ...fields, newPassword: fields["password"] };
    setErrors({
      fields: remapped,
      ...(code === "INVALID_TOKEN"
        ? { form: "This reset link is invalid, expired or already used. Ask for a new one." }
        : form === undefined
          ? {}
          : { form }),
    });
  }

  if (done) {
    return (
      <Alert variant="success" data-testid="reset-password-done">
        <AlertTitle>Password changed</AlertTitle>
        <AlertDescription>
          <p>
            Your password is changed and every session was signed out.{" "}
            <Link href="/sign-in" className="font-medium underline underline-offset-4">
              Sign in
            </Link>{" "}
            with the new one.
          </p>
        </AlertDescription>
      </Alert>
    );
  }
  return (
    <ClientForm className="grid gap-5" onSubmit={(event) => void onSubmit(event)}>
      <FormAlert message={errors.form} />
      <TextField
        name="newPassword"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        hint={passwordHint}
        error={errors.fields["newPassword"]}
      />
      <TextField
        name="confirmPassword"
        label="Repeat the new password"
        type="password"
        autoComplete="new-password"
        required
        error={errors.fields["confirmPassword"]}
      />
      <Button type="submit" disabled={pending || !hydrated}>
        {pending ? "Saving…" : "Set new password"}
      </Button>
    </ClientForm>
  );
}
