import { z } from "zod";
import { describe, expect, it } from "vitest";
import { toValidationIssues } from "../src/errors.ts";
import { toOpenApiPath } from "../src/route.ts";

describe("toValidationIssues", () => {
  it("names each failing field by its full dotted path, prefixed by its source", () => {
    const schema = z.object({ name: z.string().min(1), channels: z.array(z.object({ token: z.string() })) });
    const result = schema.safeParse({ name: "", channels: [{ token: 5 }] });
    expect(result.success).toBe(false);
    if (result.success) return;
    const issues = toValidationIssues("body", result.error.issues);
    expect(issues.map((issue) => issue.path).sort()).toEqual(["body.channels.0.token", "body.name"]);
    expect(issues.every((issue) => issue.message.length > 0)).toBe(true);
  });
});

describe("toOpenApiPath", () => {
  it("converts Express parameters to OpenAPI templates", () => {
    expect(toOpenApiPath("/api/agents/:agentId/events/:eventId")).toBe("/api/agents/{agentId}/events/{eventId}");
  });
});
