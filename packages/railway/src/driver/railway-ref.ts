import type { WorkloadRef } from "@agentbot/engine";
import { z } from "zod";

/**
 * What a Railway WorkloadRef carries in `data` (stored by the backend as the agent's `engineRef` JSON): the service's
 * name, its public domain (the endpoint), the state volume and the deployment last made. Every field may be null: a ref
 * from list() knows no volume, and old rows may lack fields, so readers fall back to asking Railway.
 */
const RefData = z.object({
  serviceName: z.string().nullish(),
  domain: z.string().nullish(),
  domainId: z.string().nullish(),
  volumeId: z.string().nullish(),
  deploymentId: z.string().nullish(),
});

export interface RailwayRefData {
  readonly serviceName: string | null;
  readonly domain: string | null;
  readonly domainId: string | null;
  readonly volumeId: string | null;
  readonly deploymentId: string | null;
}

export function readRefData(ref: WorkloadRef): RailwayRefData {
  const parsed = RefData.safeParse(ref.data);
  const data = parsed.success ? parsed.data : {};
  return {
    serviceName: data.serviceName ?? null,
    domain: data.domain ?? null,
    domainId: data.domainId ?? null,
    volumeId: data.volumeId ?? null,
    deploymentId: data.deploymentId ?? null,
  };
}

export function refFor(agentId: string, serviceId: string, data: RailwayRefData): WorkloadRef {
  return { agentId, serviceId, data: { ...data } };
}
