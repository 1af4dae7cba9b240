import { z } from "zod";

const TestingEnvSchema = z.object({
  /**
   * Admin connection URL of a PostgreSQL server where tests may CREATE and DROP DATABASE. `./agentbot test` sets it
   * (to an embedded PostgreSQL it starts, or to DATABASE_URL's server).
   */
  AGENTBOT_TEST_DATABASE_URL: z
    .string({
      error:
        "is not set. Run the tests with `./agentbot test` (it provides a PostgreSQL server), or set it yourself to an " +
        "admin URL of a server where tests may create databases, e.g. postgresql://postgres@127.0.0.1:5432/postgres",
    })
    .refine((url) => /^postgres(ql)?:\/\//.test(url), "must be a postgresql:// URL"),
});

/** The server integration tests create their databases on. Throws, naming the variable, when it is missing. */
export function testDatabaseAdminUrl(): string {
  const result = TestingEnvSchema.safeParse(process.env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
    throw new Error(problems.join("\n"));
  }
  return result.data.AGENTBOT_TEST_DATABASE_URL;
}
