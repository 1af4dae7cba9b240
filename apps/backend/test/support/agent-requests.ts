import type { BackendError } from "@agentbot/client";
import { routes } from "@agentbot/contracts";
import type { AgentsBackend } from "./agents-backend.ts";

/** Provisions an agent on the platform provider for `userId` (idempotency key derived from the name). */
export async function provisionAgent(backend: AgentsBackend, userId: string, name: string): Promise<string> {
  const accepted = await backend.client.call(routes.provisionAgent, {
    body: {
      userId,
      idempotencyKey: `create-${name}`,
      name,
      modelProvider: "platform",
      model: "openclaw/default",
      channels: {},
    },
  });
  return accepted.agent.id;
}

/** The backend's refusal of `promise`; fails the test when the call succeeded. */
export async function refusalOf(promise: Promise<unknown>): Promise<BackendError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught as BackendError,
  );
  if (error === null) throw new Error("expected the backend to refuse");
  return error;
}
