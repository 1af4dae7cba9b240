import { PlanId } from "@agentbot/plans";
import { z } from "zod";
import { limitParam } from "./common.ts";
import { PublicUser } from "./me.ts";
import { SubscriptionStatus } from "./billing.ts";

export const AdminUser = PublicUser.extend({
  /** A disabled account: it cannot sign in and its sessions were revoked. */
  banned: z.boolean(),
  plan: PlanId.nullable(),
  subscriptionStatus: SubscriptionStatus,
}).meta({ id: "AdminUser" });
export type AdminUser = z.infer<typeof AdminUser>;

/** `GET /api/v1/admin/users` (scope `admin`). */
export const ListAdminUsersQuery = z.object({
  /** Matches email or name, case-insensitively. */
  search: z.string().trim().max(200).optional(),
  limit: limitParam(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ListAdminUsersQuery = z.infer<typeof ListAdminUsersQuery>;

export const ListAdminUsersResponse = z
  .object({ users: z.array(AdminUser), total: z.number().int().nonnegative() })
  .meta({ id: "AdminUserList" });
export type ListAdminUsersResponse = z.infer<typeof ListAdminUsersResponse>;
