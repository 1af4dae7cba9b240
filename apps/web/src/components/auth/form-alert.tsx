import { Alert } from "@agentbot/ui";

/** The message for a whole form (not tied to one field). */
export function FormAlert({ message }: { message: string | undefined }) {
  if (message === undefined) return null;
  return (
    <Alert variant="destructive" data-testid="form-error">
      {message}
    </Alert>
  );
}
