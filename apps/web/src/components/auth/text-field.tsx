import { FormField, Input } from "@agentbot/ui";
import type { ComponentProps, ReactNode } from "react";

/** A labelled input with its hint and its server error, for the account forms. */
export function TextField({
  name,
  label,
  hint,
  error,
  idPrefix = "",
  ...input
}: {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  idPrefix?: string;
} & Omit<ComponentProps<"input">, "id" | "name">) {
  return (
    <FormField id={`${idPrefix}${name}`} label={label} hint={hint} error={error}>
      {(control) => <Input name={name} {...control} {...input} />}
    </FormField>
  );
}
