import { z } from "zod";
import { ApiScope, UserRole } from "./common.ts";

export const PublicUser = z
  .object({
    id: z.string(),
    email: z.email(),
    name: z.string(),
    role: UserRole,
    emailVerified: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "PublicUser" });
export type PublicUser = z.infer<typeof PublicUser>;

/** `GET /api/v1/me`: who the credential belongs to and what it may do. Any valid session or API key. */
export const MeResponse = z
  .object({
    user: PublicUser,
    auth: z.object({
      method: z.enum(["session", "api_key"]),
      scopes: z.array(ApiScope),
      /** The key's id when `method` is `api_key` (never the key itself). */
      apiKeyId: z.string().optional(),
    }),
  })
  .meta({ id: "Me" });
export type MeResponse = z.infer<typeof MeResponse>;
