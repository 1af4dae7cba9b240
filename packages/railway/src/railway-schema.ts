import { readFileSync } from "node:fs";
import { buildClientSchema } from "graphql";
import type { GraphQLSchema, IntrospectionQuery } from "graphql";

let cached: GraphQLSchema | undefined;

/**
 * Railway's published GraphQL schema (schema/railway.schema.json, introspection JSON from Railway's CLI repository),
 * built once per process. `assumeValid`: graphql 17 refuses Railway's schema itself (Team.id is deprecated while Node.id
 * is not); we check documents against it and execute it in the local test server, not judge Railway's schema design.
 */
export function railwaySchema(): GraphQLSchema {
  if (cached) return cached;
  const introspection = JSON.parse(readFileSync(new URL("../schema/railway.schema.json", import.meta.url), "utf8")) as
    IntrospectionQuery | { data: IntrospectionQuery };
  cached = buildClientSchema("data" in introspection ? introspection.data : introspection, { assumeValid: true });
  return cached;
}
