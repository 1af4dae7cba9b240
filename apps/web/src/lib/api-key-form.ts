import { ApiScope } from "@agentbot/contracts";
import { z } from "zod";

/** The expiry choices of the create-key form, in days (`never`: no expiry). */
export const expiryChoices: ReadonlyArray<{ value: CreateApiKeyFormInput["expiresIn"]; label: string }> = [
  { value: "never", label: "Never" },
  { value: "7", label: "7 days" },
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
];

/** The create-key form as the server action reads it from FormData. */
export const CreateApiKeyForm = z.object({
  name: z.string().trim().min(1, "Give the key a name.").max(64, "At most 64 characters."),
  scopes: z.array(ApiScope).min(1, "Choose at least one scope."),
  expiresIn: z.enum(["never", "7", "30", "90", "365"], { error: "Choose when the key expires." }),
});
export type CreateApiKeyFormInput = z.infer<typeof CreateApiKeyForm>;

/** Seconds until expiry, or null for a key that does not expire. */
export function expiresInSeconds(choice: CreateApiKeyFormInput["expiresIn"]): number | null {
  return choice === "never" ? null : Number(choice) * 24 * 60 * 60;
}
