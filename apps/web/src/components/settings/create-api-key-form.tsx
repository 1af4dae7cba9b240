"use client";

import type { ApiScope } from "@agentbot/contracts";
import {
  Alert,
  AlertDescription,
  AlertTitle,
  Button,
  Checkbox,
  FieldError,
  FormField,
  Input,
  Label,
  NativeSelect,
} from "@agentbot/ui";
import { useActionState, useState } from "react";
import { expiryChoices } from "../../lib/api-key-form.ts";
import { FormAlert } from "../auth/form-alert.tsx";
import { TextField } from "../auth/text-field.tsx";
import { SubmitButton } from "./submit-button.tsx";

export interface CreateApiKeyState {
  readonly ok: boolean;
  readonly message?: string;
  readonly fields?: Readonly<Record<string, string>>;
  /** The raw key, present once, right after creation. It is never stored or shown again. */
  readonly created?: { readonly name: string; readonly key: string };
}

const scopeDescriptions: Record<ApiScope, string> = {
  "agents:read": "List and read agents",
  "agents:write": "Create, change and delete agents",
  "approvals:read": "List agents' approval requests",
  "approvals:write": "Approve or deny agents' commands (not Destructive ones: those need the dashboard)",
  "billing:read": "Read the plan and subscription",
  admin: "Administer the platform (admins only)",
};

export function CreateApiKeyForm({
  scopes,
  action,
}: {
  /** The scopes this person may grant (`admin` only for admins). */
  scopes: readonly ApiScope[];
  action: (state: CreateApiKeyState, data: FormData) => Promise<CreateApiKeyState>;
}) {
  const [state, formAction] = useActionState(action, { ok: false });
  const [copied, setCopied] = useState(false);
  const fields = state.fields ?? {};

  return (
    <div className="grid gap-6">
      {state.created === undefined ? null : (
        <Alert variant="success" data-testid="new-api-key">
          <AlertTitle>Key “{state.created.name}” created</AlertTitle>
          <AlertDescription className="grid gap-3">
            <p>Copy it now: this is the only time it is shown. Store it like a password.</p>
            <div className="flex gap-2">
              <Input
                readOnly
                value={state.created.key}
                aria-label="New API key"
                data-testid="new-api-key-value"
                className="font-mono text-xs"
                onFocus={(event) => event.currentTarget.select()}
              />
              <Button
                variant="outline"
                onClick={() => {
                  const key = state.created?.key ?? "";
                  void navigator.clipboard.writeText(key).then(
                    () => setCopied(true),
                    () => setCopied(false),
                  );
                }}
              >
                {copied ? "Copied" : "Copy"}
              </Button>
            </div>
          </AlertDescription>
        </Alert>
      )}
      <form action={formAction} className="grid gap-4" noValidate data-testid="create-api-key-form">
        <FormAlert message={state.ok ? undefined : state.message} />
        <TextField
          name="name"
          idPrefix="key-"
          label="Name"
          required
          maxLength={64}
          placeholder="deploy script"
          error={fields["name"]}
        />
        <fieldset className="grid gap-2" aria-describedby={fields["scopes"] ? "key-scopes-error" : undefined}>
          <legend className="mb-1 text-sm font-medium">Scopes</legend>
          {scopes.map((scope) => (
            <Label key={scope} className="font-normal">
              <Checkbox name="scopes" value={scope} aria-label={scope} />
              <span className="font-mono text-xs">{scope}</span>
              <span className="text-muted-foreground">{scopeDescriptions[scope]}</span>
            </Label>
          ))}
          <FieldError id="key-scopes-error" data-testid="key-scopes-error">
            {fields["scopes"]}
          </FieldError>
        </fieldset>
        <FormField id="key-expiresIn" label="Expires" error={fields["expiresIn"]}>
          {(control) => (
            <NativeSelect name="expiresIn" defaultValue="90" className="max-w-48" {...control}>
              {expiryChoices.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </NativeSelect>
          )}
        </FormField>
        <div>
          <SubmitButton pendingText="Creating…" data-testid="create-api-key">
            Create key
          </SubmitButton>
        </div>
      </form>
    </div>
  );
}
