"use client";

import type { ModelProvider, OperationAccepted } from "@agentbot/contracts";
import { Button, FormField, NativeSelect } from "@agentbot/ui";
import type { Route } from "next";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { FormEvent } from "react";
import { noErrors } from "../../lib/form-errors.ts";
import type { FormErrors } from "../../lib/form-errors.ts";
import { formText } from "../../lib/form-text.ts";
import { FormAlert } from "../auth/form-alert.tsx";
import { TextField } from "../auth/text-field.tsx";
import { agentRequest } from "./agent-requests.ts";
import { useHydrated } from "../../lib/use-hydrated.ts";
import { ClientForm } from "../client-form.tsx";

const providers: ReadonlyArray<{ id: ModelProvider; label: string; suggestedModel: string }> = [
  { id: "platform", label: "Platform (included credits)", suggestedModel: "openclaw/default" },
  { id: "openai", label: "OpenAI (your API key)", suggestedModel: "gpt-4.1-mini" },
  { id: "anthropic", label: "Anthropic (your API key)", suggestedModel: "claude-sonnet-4" },
  { id: "openrouter", label: "OpenRouter (your API key)", suggestedModel: "anthropic/claude-sonnet-4" },
  { id: "gemini", label: "Google Gemini (your API key)", suggestedModel: "gemini-2.5-flash" },
];

const suggestedModel = (provider: ModelProvider) =>
  providers.find((entry) => entry.id === provider)?.suggestedModel ?? "openclaw/default";

/** The fields this form shows; a server message for any other field is shown for the whole form. */
const shownFields = new Set(["name", "modelProvider", "model", "providerApiKey", "channels.telegramBotToken"]);

/** The messages to show: each field's next to it, the rest (a header, an unknown field) at the top. */
function placeErrors(errors: FormErrors): FormErrors {
  const stray = Object.entries(errors.fields).filter(([field]) => !shownFields.has(field));
  if (stray.length === 0) return errors;
  return { ...errors, form: errors.form ?? stray.map(([, message]) => message).join(" ") };
}

/**
 * Creates an agent through `POST /api/v1/agents`. Each submission carries its own Idempotency-Key, so a request the
 * network repeats creates one agent. On success the agent's page shows provisioning live.
 */
export function CreateAgentForm() {
  const router = useRouter();
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const hydrated = useHydrated();
  const [pending, setPending] = useState(false);
  const [provider, setProvider] = useState<ModelProvider>("platform");
  const [model, setModel] = useState(suggestedModel("platform"));
  const [modelEdited, setModelEdited] = useState(false);

  function chooseProvider(next: ModelProvider) {
    setProvider(next);
    if (!modelEdited) setModel(suggestedModel(next));
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const telegramBotToken = formText(data, "telegramBotToken").trim();
    const providerApiKey = formText(data, "providerApiKey").trim();
    const body = {
      name: formText(data, "name").trim(),
      modelProvider: provider,
      model: model.trim(),
      ...(provider !== "platform" && providerApiKey !== "" ? { providerApiKey } : {}),
      channels: telegramBotToken === "" ? {} : { telegramBotToken },
    };
    setPending(true);
    setErrors(noErrors);
    const result = await agentRequest<OperationAccepted>("POST", "/api/v1/agents", body, {
      "idempotency-key": `form:${crypto.randomUUID()}`,
    });
    if (result.ok) {
      router.push(`/agents/${result.data.agent.id}` as Route);
      return;
    }
    setPending(false);
    setErrors(placeErrors(result.errors));
  }

  return (
    <ClientForm className="grid gap-5" onSubmit={(event) => void onSubmit(event)} data-testid="create-agent-form">
      <FormAlert message={errors.form} />
      {errors.code === "subscription_required" || errors.code === "plan_limit_reached" ? (
        <p className="text-sm">
          <Link href="/#plans" className="font-medium text-primary underline-offset-4 hover:underline">
            See the plans
          </Link>
        </p>
      ) : null}
      <TextField
        name="name"
        label="Name"
        hint="Lowercase letters, digits and inner hyphens; up to 40 characters."
        autoComplete="off"
        required
        maxLength={40}
        error={errors.fields["name"]}
      />
      <FormField id="modelProvider" label="Model provider" error={errors.fields["modelProvider"]}>
        {(control) => (
          <NativeSelect
            name="modelProvider"
            value={provider}
            onChange={(event) => chooseProvider(event.target.value as ModelProvider)}
            {...control}
          >
            {providers.map((entry) => (
              <option key={entry.id} value={entry.id}>
                {entry.label}
              </option>
            ))}
          </NativeSelect>
        )}
      </FormField>
      <TextField
        name="model"
        label="Model"
        hint="The model id at that provider."
        autoComplete="off"
        required
        value={model}
        onChange={(event) => {
          setModel(event.target.value);
          setModelEdited(true);
        }}
        error={errors.fields["model"]}
      />
      {provider === "platform" ? null : (
        <TextField
          name="providerApiKey"
          label="Provider API key"
          hint="Stored encrypted and only given to your agent's runtime; never shown again."
          type="password"
          autoComplete="off"
          required
          error={errors.fields["providerApiKey"]}
        />
      )}
      <TextField
        name="telegramBotToken"
        label="Telegram bot token (optional)"
        hint="From @BotFather, e.g. 123456:ABC…; lets people talk to the agent on Telegram."
        type="password"
        autoComplete="off"
        error={errors.fields["channels.telegramBotToken"]}
      />
      <div className="flex justify-end gap-3">
        <Link href="/agents" className="self-center text-sm text-muted-foreground underline-offset-4 hover:underline">
          Cancel
        </Link>
        <Button type="submit" disabled={pending || !hydrated} data-testid="create-agent-submit">
          {pending ? "Creating…" : "Create agent"}
        </Button>
      </div>
    </ClientForm>
  );
}
