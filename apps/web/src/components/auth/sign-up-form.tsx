"use client";

import { Alert, AlertDescription, AlertTitle, Button, FieldError } from "@agentbot/ui";
import { useEffect, useRef, useState } from "react";
import type { FormEvent } from "react";
import { noErrors } from "../../lib/form-errors.ts";
import type { FormErrors } from "../../lib/form-errors.ts";
import { postJson } from "../../lib/post-json.ts";
import { botCheckPayloadHeader, signUpPath } from "../../lib/auth-routes.ts";
import { BotCheckWidget } from "./bot-check-widget.tsx";
import type { BotCheckHandle, BotCheckOutcome } from "./bot-check-widget.tsx";
import { FormAlert } from "./form-alert.tsx";
import { TextField } from "./text-field.tsx";
import { formText } from "../../lib/form-text.ts";
import { useHydrated } from "../../lib/use-hydrated.ts";
import { ClientForm } from "../client-form.tsx";

const botCheckMessages: Record<Exclude<BotCheckOutcome, { ok: true }>["reason"], string> = {
  unavailable: "The bot check could not load. Check your connection, then try again.",
  failed: "The bot check could not be completed. Please try again.",
  timeout: "The bot check is taking too long on this device. Please try again.",
};

/**
 * Sign-up: name, email, password and the bot check. Whatever the server decides about the address (new, or already
 * registered), a successful answer shows the same "check your email" message, so the form reveals nothing about
 * which addresses have accounts. A bot check that fails (in the browser, or refused by the server as wrong or
 * expired) leaves the form filled in and usable: "Try again" starts a fresh challenge, and so does the next submit.
 */
export function SignUpForm({
  botCheck,
  challengeUrl,
  passwordHint,
}: {
  botCheck: "pow" | "botid";
  challengeUrl: string;
  passwordHint: string;
}) {
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [pending, setPending] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const widget = useRef<BotCheckHandle>(null);
  const hydrated = useHydrated();

  useEffect(() => {
    if (botCheck !== "botid") return;
    // Vercel BotID: its browser part marks the sign-up request so the server can ask Vercel's classifier about it.
    // Loaded only where BotID is the bot check (its script is served through next.config's BotID rewrites).
    void import("botid/client/core").then(({ initBotId }) =>
      initBotId({ protect: [{ path: signUpPath, method: "POST" }] }),
    );
  }, [botCheck]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const email = formText(data, "email").trim();
    setPending(true);
    setErrors(noErrors);
    let solved = false;
    try {
      let payload: string | undefined;
      if (botCheck === "pow") {
        const outcome = await (widget.current?.solve() ??
          Promise.resolve<BotCheckOutcome>({ ok: false, reason: "unavailable" }));
        if (!outcome.ok) {
          setErrors({ fields: { altcha: botCheckMessages[outcome.reason] } });
          return;
        }
        solved = true;
        payload = outcome.payload;
      }
      const result = await postJson(
        signUpPath,
        {
          name: formText(data, "name").trim(),
          email,
          password: formText(data, "password"),
          callbackURL: "/verify-email",
        },
        payload === undefined ? undefined : { [botCheckPayloadHeader]: payload },
      );
      if (result.ok) setSentTo(email);
      else setErrors(result.errors);
    } finally {
      setPending(false);
      // A payload is accepted once: after it was sent, the next attempt solves a fresh challenge. After a failed
      // solve the widget already stands where "Try again" or the next submit starts a new one.
      if (solved) widget.current?.reset();
    }
  }

  function retryBotCheck() {
    setErrors((current) => ({
      ...current,
      fields: Object.fromEntries(Object.entries(current.fields).filter(([field]) => field !== "altcha")),
    }));
    widget.current?.retry();
  }

  if (sentTo !== null) {
    return (
      <Alert variant="success" data-testid="sign-up-done">
        <AlertTitle>Check your email</AlertTitle>
        <AlertDescription>
          <p>
            If <strong>{sentTo}</strong> can be used for a new account, we have sent a link to verify it. Open it to
            finish signing up; the link expires in 24 hours.
          </p>
        </AlertDescription>
      </Alert>
    );
  }

  return (
    <ClientForm className="grid gap-5" onSubmit={(event) => void onSubmit(event)} data-testid="sign-up-form">
      <FormAlert message={errors.form} />
      <TextField name="name" label="Name" autoComplete="name" required maxLength={100} error={errors.fields["name"]} />
      <TextField name="email" label="Email" type="email" autoComplete="email" required error={errors.fields["email"]} />
      <TextField
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        hint={passwordHint}
        error={errors.fields["password"]}
      />
      {botCheck === "pow" ? (
        <div className="grid gap-2">
          <BotCheckWidget challengeUrl={challengeUrl} ref={widget} />
          {errors.fields["altcha"] === undefined ? null : (
            <div className="flex items-center justify-between gap-3">
              <FieldError data-testid="altcha-error">{errors.fields["altcha"]}</FieldError>
              <Button
                type="button"
                variant="outline"
                size="sm"
                onClick={retryBotCheck}
                disabled={pending}
                data-testid="bot-check-retry"
              >
                Try again
              </Button>
            </div>
          )}
        </div>
      ) : null}
      <Button type="submit" disabled={pending || !hydrated} data-testid="sign-up-submit">
        {pending ? "Creating your account…" : "Create account"}
      </Button>
    </ClientForm>
  );
}
