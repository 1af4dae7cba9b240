import { testRedisUrl as readTestRedisUrl } from "../src/testing/env.ts";

// Tests need a real Redis; `./agentbot test` provides one. Missing is a failure, never a skip.
export const testRedisUrl = readTestRedisUrl();
