import { z } from "zod";

// Tests need a real Redis; `./agentbot test` provides one. Missing is a failure, never a skip.
const parsed = z
  .object({ AGENTBOT_TEST_REDIS_URL: z.url({ message: "AGENTBOT_TEST_REDIS_URL must be a redis:// URL" }) })
  .safeParse(process.env);

if (!parsed.success) {
  throw new Error(
    `AGENTBOT_TEST_REDIS_URL is not set or malformed: run the tests with \`./agentbot test\`, which starts Redis, ` +
      `or set AGENTBOT_TEST_REDIS_URL=redis://127.0.0.1:6379 to use a running one.`,
  );
}

export const testRedisUrl = parsed.data.AGENTBOT_TEST_REDIS_URL;
