import { z } from "zod";

/**
 * `GET /api/v1/agents` (scope `agents:read`) and `POST /api/v1/agents` (scope `agents:write`). Until the
 * provisioning issue lands, the list is always empty and create answers 501 `not_implemented` after checking the
 * credential, the scope and the body.
 */
export const PublicAgent = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Agent" });
export type PublicAgent = z.infer<typeof PublicAgent>;

export const ListAgentsResponse = z.object({ agents: z.array(PublicAgent) }).meta({ id: "AgentList" });
export type ListAgentsResponse = z.infer<typeof ListAgentsResponse>;

export const CreateAgentRequest = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(63)
      .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "lowercase letters, digits and inner hyphens only"),
  })
  .meta({ id: "CreateAgent" });
export type CreateAgentRequest = z.infer<typeof CreateAgentRequest>;
