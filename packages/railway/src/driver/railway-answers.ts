import { z } from "zod";

/**
 * The shapes of Railway's answers to our operation documents (src/operations.ts), checked before use: a field that is
 * missing or of another type is Railway changing under us, reported as such rather than crashing later.
 */
const id = z.string().min(1);
const deploymentSummary = z.object({ id, status: z.string() });

export const serviceCreateAnswer = z.object({ serviceCreate: z.object({ id, name: z.string() }) });
export const volumeCreateAnswer = z.object({ volumeCreate: z.object({ id }) });
export const serviceDomainCreateAnswer = z.object({
  serviceDomainCreate: z.object({ id, domain: z.string().min(1) }),
});
export const deployAnswer = z.object({ serviceInstanceDeployV2: id });
export const booleanAnswer = (field: string) => z.object({ [field]: z.boolean() });
export const deploymentStatusAnswer = z.object({ deployment: deploymentSummary });
export const serviceInstanceStateAnswer = z.object({
  serviceInstance: z.object({
    id,
    serviceId: id,
    serviceName: z.string(),
    source: z.object({ image: z.string().nullish() }).nullish(),
    latestDeployment: deploymentSummary.nullish(),
    activeDeployments: z.array(deploymentSummary),
    domains: z.object({ serviceDomains: z.array(z.object({ id, domain: z.string().min(1) })) }),
  }),
});
export type ServiceInstanceState = z.infer<typeof serviceInstanceStateAnswer>["serviceInstance"];

export const environmentVolumeInstancesAnswer = z.object({
  environment: z.object({
    volumeInstances: z.object({
      edges: z.array(z.object({ node: z.object({ volumeId: id, serviceId: z.string().nullish() }) })),
    }),
  }),
});
export const environmentServiceInstancesAnswer = z.object({
  environment: z.object({
    serviceInstances: z.object({
      edges: z.array(
        z.object({
          node: z.object({
            serviceId: id,
            serviceName: z.string(),
            createdAt: z.string().nullish(),
            latestDeployment: deploymentSummary.nullish(),
            domains: z.object({ serviceDomains: z.array(z.object({ id, domain: z.string().min(1) })) }),
          }),
        }),
      ),
      pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() }),
    }),
  }),
});
export const deploymentLogsAnswer = z.object({
  deploymentLogs: z.array(z.object({ timestamp: z.string(), message: z.string(), severity: z.string().nullish() })),
});
export type RailwayLogLine = z.infer<typeof deploymentLogsAnswer>["deploymentLogs"][number];
