"use client";

import { Button } from "@agentbot/ui";
import type { ButtonProps } from "@agentbot/ui";
import { useFormStatus } from "react-dom";

/** A submit button that disables itself while its form's server action runs. */
export function SubmitButton({ pendingText, children, ...props }: ButtonProps & { pendingText?: string }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" disabled={pending || props.disabled} {...props}>
      {pending && pendingText !== undefined ? pendingText : children}
    </Button>
  );
}
