/**
 * Every GraphQL document the Railway engine driver sends, in one place. Each one is validated against Railway's
 * published schema (schema/railway.schema.json, from Railway's CLI repository) by test/operations.test.ts, so a
 * typo or a field Railway does not have fails CI rather than a customer's deploy. The sequence and its reasons are in
 * ../shared/notes/railway.md: create the service from the image WITH its variables (creating it deploys it), then
 * health check and restart policy, plan limits, a /data volume, a domain on 18789, and a deploy whose status we poll.
 */
export const railwayOperations = {
  serviceCreate: /* GraphQL */ `
    mutation ServiceCreate($input: ServiceCreateInput!) {
      serviceCreate(input: $input) {
        id
        name
      }
    }
  `,
  serviceInstanceUpdate: /* GraphQL */ `
    mutation ServiceInstanceUpdate($serviceId: String!, $environmentId: String, $input: ServiceInstanceUpdateInput!) {
      serviceInstanceUpdate(serviceId: $serviceId, environmentId: $environmentId, input: $input)
    }
  `,
  serviceInstanceLimitsUpdate: /* GraphQL */ `
    mutation ServiceInstanceLimitsUpdate($input: ServiceInstanceLimitsUpdateInput!) {
      serviceInstanceLimitsUpdate(input: $input)
    }
  `,
  volumeCreate: /* GraphQL */ `
    mutation VolumeCreate($input: VolumeCreateInput!) {
      volumeCreate(input: $input) {
        id
        name
      }
    }
  `,
  serviceDomainCreate: /* GraphQL */ `
    mutation ServiceDomainCreate($input: ServiceDomainCreateInput!) {
      serviceDomainCreate(input: $input) {
        id
        domain
        targetPort
      }
    }
  `,
  serviceInstanceDeployV2: /* GraphQL */ `
    mutation ServiceInstanceDeployV2($serviceId: String!, $environmentId: String!) {
      serviceInstanceDeployV2(serviceId: $serviceId, environmentId: $environmentId)
    }
  `,
  deploymentStatus: /* GraphQL */ `
    query DeploymentStatus($id: String!) {
      deployment(id: $id) {
        id
        status
        statusUpdatedAt
        serviceId
      }
    }
  `,
  deploymentRestart: /* GraphQL */ `
    mutation DeploymentRestart($id: String!) {
      deploymentRestart(id: $id)
    }
  `,
  deploymentLogs: /* GraphQL */ `
    query DeploymentLogs($deploymentId: String!, $limit: Int, $filter: String) {
      deploymentLogs(deploymentId: $deploymentId, limit: $limit, filter: $filter) {
        timestamp
        severity
        message
      }
    }
  `,
  serviceInstanceRedeploy: /* GraphQL */ `
    mutation ServiceInstanceRedeploy($serviceId: String!, $environmentId: String!) {
      serviceInstanceRedeploy(serviceId: $serviceId, environmentId: $environmentId)
    }
  `,
  variableCollectionUpsert: /* GraphQL */ `
    mutation VariableCollectionUpsert($input: VariableCollectionUpsertInput!) {
      variableCollectionUpsert(input: $input)
    }
  `,
  serviceDelete: /* GraphQL */ `
    mutation ServiceDelete($id: String!, $environmentId: String) {
      serviceDelete(id: $id, environmentId: $environmentId)
    }
  `,
  /**
   * For list() (reconciler, idempotent create): every service instance in our environment, with its service's name
   * (which carries the agent id), its domain and latest deployment. One page of 100 per request.
   */
  environmentServiceInstances: /* GraphQL */ `
    query EnvironmentServiceInstances($environmentId: String!, $after: String) {
      environment(id: $environmentId) {
        id
        serviceInstances(first: 100, after: $after) {
          edges {
            node {
              id
              serviceId
              serviceName
              createdAt
              latestDeployment {
                id
                status
              }
              domains {
                serviceDomains {
                  id
                  domain
                }
              }
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  `,
  /**
   * One service's state in our environment: its latest deployment (status), its domains and its image. Railway answers
   * an error ("... not found") for a deleted service, which the driver reads as `missing`.
   */
  serviceInstanceState: /* GraphQL */ `
    query ServiceInstanceState($serviceId: String!, $environmentId: String!) {
      serviceInstance(serviceId: $serviceId, environmentId: $environmentId) {
        id
        serviceId
        serviceName
        source {
          image
        }
        latestDeployment {
          id
          status
          statusUpdatedAt
        }
        activeDeployments {
          id
          status
        }
        domains {
          serviceDomains {
            id
            domain
            targetPort
          }
        }
      }
    }
  `,
  /** The volumes mounted in our environment, to find a service's volume when the stored ref does not name it. */
  environmentVolumeInstances: /* GraphQL */ `
    query EnvironmentVolumeInstances($environmentId: String!) {
      environment(id: $environmentId) {
        id
        volumeInstances {
          edges {
            node {
              id
              volumeId
              serviceId
              mountPath
            }
          }
        }
      }
    }
  `,
  /**
   * Stopping: Railway's own "remove deployment" (what `railway down` does). The deployment ends REMOVED and the service
   * keeps its configuration and volume; deploying again starts it. `deploymentStop` also exists in the schema, but what
   * status it leaves is not documented; REMOVED is unambiguous, so a stopped agent never looks like a running one.
   */
  deploymentRemove: /* GraphQL */ `
    mutation DeploymentRemove($id: String!) {
      deploymentRemove(id: $id)
    }
  `,
  /** Railway does not document that deleting a service deletes its volume, so the driver deletes the volume itself. */
  volumeDelete: /* GraphQL */ `
    mutation VolumeDelete($volumeId: String!) {
      volumeDelete(volumeId: $volumeId)
    }
  `,
} as const;

export type RailwayOperationName = keyof typeof railwayOperations;

/** Deployment states after which polling stops. `SUCCESS` is the only good one. */
export const terminalDeploymentStatuses = ["SUCCESS", "FAILED", "CRASHED", "REMOVED", "SKIPPED"] as const;
