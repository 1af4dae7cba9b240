import { readFileSync } from "node:fs";
import { buildClientSchema, parse, validate } from "graphql";
import type { IntrospectionQuery } from "graphql";
import { describe, expect, it } from "vitest";
import { railwayOperations } from "../src/index.ts";

// Railway's published introspection (copied from ../shared/railway/schema.json into the package).
const introspection = JSON.parse(readFileSync(new URL("../schema/railway.schema.json", import.meta.url), "utf8")) as
  IntrospectionQuery | { data: IntrospectionQuery };
// assumeValid: graphql 17 refuses Railway's schema itself (Team.id is deprecated while Node.id is not). We check our
// documents against it, not Railway's schema design, so skip the schema's own validation.
const schema = buildClientSchema("data" in introspection ? introspection.data : introspection, { assumeValid: true });

describe("Railway operation documents", () => {
  for (const [name, document] of Object.entries(railwayOperations)) {
    it(`${name} is valid against Railway's schema`, () => {
      const errors = validate(schema, parse(document)).map((error) => error.message);
      expect(errors).toEqual([]);
    });
  }

  it("the check catches a field Railway does not have (so it can fail)", () => {
    const broken = railwayOperations.deploymentStatus.replace("statusUpdatedAt", "statusUpdatedAtt");
    expect(
      validate(schema, parse(broken))
        .map((error) => error.message)
        .join("\n"),
    ).toContain("statusUpdatedAtt");
  });

  it("the check catches a wrong variable type", () => {
    const broken = railwayOperations.deploymentRestart.replace("$id: String!", "$id: Int!");
    expect(validate(schema, parse(broken)).length).toBeGreaterThan(0);
  });
});
