"use client";

import { Alert, Button, Checkbox, Label } from "@agentbot/ui";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { FormEvent } from "react";
import { changePasswordPath } from "../../lib/auth-routes.ts";
import { noErrors } from "../../lib/form-errors.ts";
import type { FormErrors } from "../../lib/form-errors.ts";
import { postJson } from "../../lib/post-json.ts";
import { FormAlert } from "../auth/form-alert.tsx";
import { TextField } from "../auth/text-field.tsx";
import { formText } from "../../lib/form-text.ts";
import { useHydrated } from "../../lib/use-hydrated.ts";
import { ClientForm } from "../client-form.tsx";

export function ChangePasswordForm({ passwordHint }: { passwordHint: string }) {
  const router = useRouter();
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const hydrated = useHydrated();
  const [pending, setPending] = useState(false);
  const [saved, setSaved] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setPending(true);
    setSaved(false);
    setErrors(noErrors);
    const result = await postJson(changePasswordPath, {
      currentPassword: formText(data, "currentPassword"),
      newPassword: formText(data, "newPassword"),
      revokeOtherSessions: data.get("revokeOtherSessions") === "on",
    });
    setPending(false);
    if (!result.ok) {
      const { fields } = result.errors;
      // better-auth names the policy failures `password`; here the field is `newPassword`.
      setErrors({
        ...result.errors,
        fields: fields["password"] === undefined ? fields : { ...fields, newPassword: fields["password"] },
      });
      return;
    }
    form.reset();
    setSaved(true);
    router.refresh();
  }

  return (
    <ClientForm className="grid gap-4" onSubmit={(event) => void onSubmit(event)} data-testid="password-form">
      <FormAlert message={errors.form} />
      {saved ? <Alert variant="success">Password changed.</Alert> : null}
      <TextField
        name="currentPassword"
        label="Current password"
        type="password"
        autoComplete="current-password"
        required
        error={errors.fields["currentPassword"]}
      />
      <TextField
        name="newPassword"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        hint={passwordHint}
        error={errors.fields["newPassword"]}
      />
      <Label className="font-normal">
        <Checkbox name="revokeOtherSessions" defaultChecked />
        Sign out my other sessions
      </Label>
      <div>
        <Button type="submit" disabled={pending || !hydrated}>
          {pending ? "Changing…" : "Change password"}
        </Button>
      </div>
    </ClientForm>
  );
}
