import { z } from "zod";

const TestingEnvSchema = z.object({
  AGENTBOT_TEST_REDIS_URL: z.url({ message: "AGENTBOT_TEST_REDIS_URL must be a redis:// URL" }),
});

/**
 * The Redis integration tests use (`./agentbot test` starts one and sets AGENTBOT_TEST_REDIS_URL). Throws, naming the
 * variable and how to set it, when it is missing: tests fail, never skip. Give each test its own `keyPrefix`.
 */
export function testRedisUrl(): string {
  const parsed = TestingEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(
      `AGENTBOT_TEST_REDIS_URL is not set or malformed: run the tests with \`./agentbot test\`, which starts Redis, ` +
        `or set AGENTBOT_TEST_REDIS_URL=redis://127.0.0.1:6379 to use a running one.`,
    );
  }
  return parsed.data.AGENTBOT_TEST_REDIS_URL;
}
