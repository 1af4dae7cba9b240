import { GraphQLError } from "graphql";
import { z } from "zod";
import type {
  FakeDeploymentRecord,
  FakeDomainRecord,
  FakeRailwayWorld,
  FakeServiceRecord,
  FakeVolumeRecord,
} from "./fake-railway-world.ts";

/**
 * Root resolvers of the fake Railway for the fields the engine driver uses (and a few neighbours a test may call).
 * Arguments have already passed GraphQL validation against Railway's schema; the zod schemas here only type them.
 * Objects are answered in the shape of Railway's types, with nested connections as functions (graphql-js calls a
 * function-valued property with the field's arguments). Errors read like Railway's ("Service not found").
 */

const variablesSchema = z.record(z.string(), z.string());
const optionalString = z.string().nullish();

const serviceCreateArgs = z.object({
  input: z.object({
    projectId: z.string(),
    environmentId: optionalString,
    name: optionalString,
    source: z.object({ image: optionalString, repo: optionalString }).nullish(),
    variables: variablesSchema.nullish(),
  }),
});
const serviceInstanceUpdateArgs = z.object({
  serviceId: z.string(),
  environmentId: optionalString,
  input: z.object({
    healthcheckPath: optionalString,
    healthcheckTimeout: z.number().int().nullish(),
    restartPolicyType: optionalString,
    restartPolicyMaxRetries: z.number().int().nullish(),
    startCommand: optionalString,
    source: z.object({ image: optionalString, repo: optionalString }).nullish(),
  }),
});
const limitsArgs = z.object({
  input: z.object({
    serviceId: z.string(),
    environmentId: z.string(),
    vCPUs: z.number().nullish(),
    memoryGB: z.number().nullish(),
  }),
});
const volumeCreateArgs = z.object({
  input: z.object({
    projectId: z.string(),
    environmentId: optionalString,
    serviceId: optionalString,
    mountPath: z.string(),
  }),
});
const domainCreateArgs = z.object({
  input: z.object({ serviceId: z.string(), environmentId: z.string(), targetPort: z.number().int().nullish() }),
});
const serviceEnvArgs = z.object({ serviceId: z.string(), environmentId: z.string() });
const idArgs = z.object({ id: z.string() });
const serviceDeleteArgs = z.object({ id: z.string(), environmentId: optionalString });
const volumeDeleteArgs = z.object({ volumeId: z.string() });
const logsArgs = z.object({
  deploymentId: z.string(),
  limit: z.number().int().nullish(),
  filter: optionalString,
});
const variableUpsertArgs = z.object({
  input: z.object({
    projectId: z.string(),
    environmentId: z.string(),
    serviceId: optionalString,
    variables: variablesSchema,
    replace: z.boolean().nullish(),
    skipDeploys: z.boolean().nullish(),
  }),
});
const variablesArgs = z.object({ projectId: z.string(), environmentId: z.string(), serviceId: optionalString });
const connectionArgs = z.object({ first: z.number().int().nullish(), after: optionalString });

function notFound(what: string): GraphQLError {
  return new GraphQLError(`${what} not found`);
}

function page<T extends { id: string }>(items: T[], args: unknown) {
  const { first, after } = connectionArgs.parse(args ?? {});
  const start = after ? items.findIndex((item) => item.id === after) + 1 : 0;
  const slice = items.slice(start, first == null ? undefined : start + first);
  return {
    edges: slice.map((node) => ({ cursor: node.id, node })),
    pageInfo: {
      hasNextPage: start + slice.length < items.length,
      hasPreviousPage: start > 0,
      startCursor: slice[0]?.id ?? null,
      endCursor: slice.at(-1)?.id ?? null,
    },
  };
}

export function createFakeRailwayResolvers(world: FakeRailwayWorld) {
  function checkProject(projectId: string) {
    if (projectId !== world.projectId) throw notFound("Project");
  }
  function checkEnvironment(environmentId: string | null | undefined) {
    if (environmentId != null && environmentId !== world.environmentId) throw notFound("Environment");
  }
  function serviceById(id: string): FakeServiceRecord {
    const service = world.services.get(id);
    if (!service) throw notFound("Service");
    return service;
  }
  function deploymentById(id: string): FakeDeploymentRecord {
    const deployment = world.deployments.get(id);
    if (!deployment) throw notFound("Deployment");
    return deployment;
  }

  const iso = (date: Date) => date.toISOString();

  function serviceView(service: FakeServiceRecord) {
    return {
      id: service.id,
      name: service.name,
      projectId: world.projectId,
      createdAt: iso(service.createdAt),
      updatedAt: iso(service.updatedAt),
      deletedAt: null,
      icon: null,
    };
  }
  function deploymentView(deployment: FakeDeploymentRecord) {
    return {
      id: deployment.id,
      status: deployment.status,
      statusUpdatedAt: iso(deployment.statusUpdatedAt),
      createdAt: iso(deployment.createdAt),
      updatedAt: iso(deployment.statusUpdatedAt),
      serviceId: deployment.serviceId,
      projectId: world.projectId,
      environmentId: world.environmentId,
      staticUrl: null,
      url: null,
    };
  }
  function domainView(domain: FakeDomainRecord) {
    return {
      id: domain.id,
      domain: domain.domain,
      serviceId: domain.serviceId,
      environmentId: world.environmentId,
      projectId: world.projectId,
      targetPort: domain.targetPort,
      createdAt: iso(domain.createdAt),
      updatedAt: iso(domain.createdAt),
      deletedAt: null,
      suffix: null,
    };
  }
  function volumeView(volume: FakeVolumeRecord) {
    return { id: volume.id, name: volume.name, projectId: world.projectId, createdAt: iso(volume.createdAt) };
  }
  function volumeInstanceView(volume: FakeVolumeRecord) {
    return {
      id: volume.instanceId,
      volumeId: volume.id,
      serviceId: volume.serviceId,
      environmentId: world.environmentId,
      mountPath: volume.mountPath,
      createdAt: iso(volume.createdAt),
      currentSizeMB: 0,
      sizeMB: 5000,
      isPendingDeletion: false,
      deletedAt: null,
      region: null,
      externalId: null,
    };
  }

  function serviceInstanceView(service: FakeServiceRecord) {
    const latest = world.latestDeployment(service.id);
    const active = world.activeDeployment(service.id);
    return {
      id: service.instanceId,
      serviceId: service.id,
      serviceName: service.name,
      environmentId: world.environmentId,
      source: { image: service.image, repo: null },
      healthcheckPath: service.healthcheckPath,
      healthcheckTimeout: service.healthcheckTimeout,
      restartPolicyType: service.restartPolicyType,
      restartPolicyMaxRetries: service.restartPolicyMaxRetries,
      startCommand: service.startCommand,
      createdAt: iso(service.createdAt),
      updatedAt: iso(service.updatedAt),
      latestDeployment: latest ? deploymentView(latest) : null,
      activeDeployments: active ? [deploymentView(active)] : [],
      domains: {
        serviceDomains: [...world.domains.values()].filter((d) => d.serviceId === service.id).map(domainView),
        customDomains: [],
      },
    };
  }

  const query = {
    project(args: unknown) {
      const { id } = idArgs.parse(args);
      checkProject(id);
      return {
        id,
        name: "agentbot-fake",
        createdAt: iso(new Date(0)),
        updatedAt: iso(new Date(0)),
        services: (connection: unknown) => page([...world.services.values()].map(serviceView), connection),
        volumes: (connection: unknown) => page([...world.volumes.values()].map(volumeView), connection),
      };
    },
    environment(args: unknown) {
      const { id } = idArgs.parse(args);
      if (id !== world.environmentId) throw notFound("Environment");
      return {
        id,
        name: "production",
        projectId: world.projectId,
        volumeInstances: (connection: unknown) => page([...world.volumes.values()].map(volumeInstanceView), connection),
        serviceInstances: (connection: unknown) =>
          page([...world.services.values()].map(serviceInstanceView), connection),
      };
    },
    service(args: unknown) {
      return serviceView(serviceById(idArgs.parse(args).id));
    },
    serviceInstance(args: unknown) {
      const { serviceId, environmentId } = serviceEnvArgs.parse(args);
      checkEnvironment(environmentId);
      const service = world.services.get(serviceId);
      if (!service) throw notFound("ServiceInstance");
      return serviceInstanceView(service);
    },
    deployment(args: unknown) {
      return deploymentView(deploymentById(idArgs.parse(args).id));
    },
    deploymentLogs(args: unknown) {
      const { deploymentId, limit, filter } = logsArgs.parse(args);
      const deployment = deploymentById(deploymentId);
      const lines = filter ? deployment.logs.filter((line) => line.message.includes(filter)) : deployment.logs;
      return (limit == null ? lines : lines.slice(-Math.max(0, limit))).map((line) => ({
        ...line,
        attributes: [],
        tags: null,
      }));
    },
    variables(args: unknown) {
      const { projectId, environmentId, serviceId } = variablesArgs.parse(args);
      checkProject(projectId);
      checkEnvironment(environmentId);
      return serviceId ? { ...serviceById(serviceId).variables } : {};
    },
  };

  const mutation = {
    serviceCreate(args: unknown) {
      const { input } = serviceCreateArgs.parse(args);
      checkProject(input.projectId);
      checkEnvironment(input.environmentId);
      const service = world.createService({
        name: input.name ?? `service-${world.services.size + 1}`,
        image: input.source?.image ?? null,
        variables: input.variables ?? {},
      });
      // Railway deploys a service created from an image at once.
      if (service.image !== null) world.deploy(service);
      return serviceView(service);
    },
    serviceInstanceUpdate(args: unknown) {
      const { serviceId, environmentId, input } = serviceInstanceUpdateArgs.parse(args);
      checkEnvironment(environmentId);
      const service = serviceById(serviceId);
      if (input.healthcheckPath !== undefined) service.healthcheckPath = input.healthcheckPath;
      if (input.healthcheckTimeout !== undefined) service.healthcheckTimeout = input.healthcheckTimeout;
      if (input.restartPolicyType != null) service.restartPolicyType = input.restartPolicyType;
      if (input.restartPolicyMaxRetries != null) service.restartPolicyMaxRetries = input.restartPolicyMaxRetries;
      if (input.startCommand !== undefined) service.startCommand = input.startCommand;
      if (input.source?.image != null) service.image = input.source.image;
      service.updatedAt = new Date();
      return true;
    },
    serviceInstanceLimitsUpdate(args: unknown) {
      const { input } = limitsArgs.parse(args);
      checkEnvironment(input.environmentId);
      const service = serviceById(input.serviceId);
      if (input.vCPUs != null) service.vCPUs = input.vCPUs;
      if (input.memoryGB != null) service.memoryGB = input.memoryGB;
      return true;
    },
    async volumeCreate(args: unknown) {
      const { input } = volumeCreateArgs.parse(args);
      checkProject(input.projectId);
      checkEnvironment(input.environmentId);
      const service = input.serviceId ? serviceById(input.serviceId) : undefined;
      if (service && world.volumeOf(service.id)) throw new GraphQLError("Service already has a volume attached");
      const volume = await world.createVolume({
        serviceId: service?.id ?? null,
        mountPath: input.mountPath,
        name: `${service?.name ?? "detached"}-volume`,
      });
      return volumeView(volume);
    },
    async volumeDelete(args: unknown) {
      const volume = world.volumes.get(volumeDeleteArgs.parse(args).volumeId);
      if (!volume) throw notFound("Volume");
      await world.deleteVolume(volume);
      return true;
    },
    async serviceDomainCreate(args: unknown) {
      const { input } = domainCreateArgs.parse(args);
      checkEnvironment(input.environmentId);
      return domainView(await world.createDomain(serviceById(input.serviceId), input.targetPort ?? null));
    },
    serviceInstanceDeployV2(args: unknown) {
      const { serviceId, environmentId } = serviceEnvArgs.parse(args);
      checkEnvironment(environmentId);
      return world.deploy(serviceById(serviceId)).id;
    },
    serviceInstanceRedeploy(args: unknown) {
      const { serviceId, environmentId } = serviceEnvArgs.parse(args);
      checkEnvironment(environmentId);
      world.deploy(serviceById(serviceId));
      return true;
    },
    deploymentRestart(args: unknown) {
      world.restart(deploymentById(idArgs.parse(args).id));
      return true;
    },
    async deploymentRemove(args: unknown) {
      await world.remove(deploymentById(idArgs.parse(args).id));
      return true;
    },
    variableCollectionUpsert(args: unknown) {
      const { input } = variableUpsertArgs.parse(args);
      checkProject(input.projectId);
      checkEnvironment(input.environmentId);
      if (!input.serviceId) throw new GraphQLError("Shared variables are not supported by the fake Railway");
      const service = serviceById(input.serviceId);
      service.variables = input.replace ? { ...input.variables } : { ...service.variables, ...input.variables };
      // Without skipDeploys Railway redeploys the affected service at once.
      if (!input.skipDeploys && service.image !== null) world.deploy(service);
      return true;
    },
    async serviceDelete(args: unknown) {
      const { id, environmentId } = serviceDeleteArgs.parse(args);
      checkEnvironment(environmentId);
      await world.deleteService(serviceById(id));
      return true;
    },
  };

  return { query, mutation };
}
