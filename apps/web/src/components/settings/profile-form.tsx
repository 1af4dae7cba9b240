"use client";

import { Alert, Button } from "@agentbot/ui";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { FormEvent } from "react";
import { updateUserPath } from "../../lib/auth-routes.ts";
import { noErrors } from "../../lib/form-errors.ts";
import type { FormErrors } from "../../lib/form-errors.ts";
import { postJson } from "../../lib/post-json.ts";
import { FormAlert } from "../auth/form-alert.tsx";
import { TextField } from "../auth/text-field.tsx";
import { formText } from "../../lib/form-text.ts";
import { useHydrated } from "../../lib/use-hydrated.ts";
import { ClientForm } from "../client-form.tsx";

export function ProfileForm({ name, email }: { name: string; email: string }) {
  const router = useRouter();
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const hydrated = useHydrated();
  const [pending, setPending] = useState(false);
  const [saved, setSaved] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setPending(true);
    setSaved(false);
    setErrors(noErrors);
    const result = await postJson(updateUserPath, { name: formText(data, "name").trim() });
    setPending(false);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setSaved(true);
    router.refresh();
  }

  return (
    <ClientForm className="grid gap-4" onSubmit={(event) => void onSubmit(event)} data-testid="profile-form">
      <FormAlert message={errors.form} />
      {saved ? <Alert variant="success">Saved.</Alert> : null}
      <TextField name="email" idPrefix="profile-" label="Email" value={email} readOnly disabled />
      <TextField
        name="name"
        idPrefix="profile-"
        label="Name"
        autoComplete="name"
        defaultValue={name}
        required
        maxLength={100}
        error={errors.fields["name"]}
      />
      <div>
        <Button type="submit" disabled={pending || !hydrated}>
          {pending ? "Saving…" : "Save profile"}
        </Button>
      </div>
    </ClientForm>
  );
}
