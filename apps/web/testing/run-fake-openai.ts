/**
 * Playwright webServer of the OpenClaw stack: the fake OpenAI-compatible model provider (an outside service) that the
 * stack's backend configures as the platform provider (PLATFORM_MODEL_BASE_URL), so real OpenClaw runtimes call it.
 * It listens on the port chosen in `run.openclaw.modelBaseUrl` and runs until Playwright stops it.
 *
 * Usage: node testing/run-fake-openai.ts (env: AGENTBOT_E2E_RUN).
 */
import { runCommandScript, startFakeOpenAi } from "@agentbot/engine/testing/fake-openai";
import { e2eRun } from "./env.ts";
import { fakeModelId, fakeModelReply, platformModelTokenShape } from "./fake-model.ts";

async function main() {
  const port = Number(new URL(e2eRun().openclaw.modelBaseUrl).port);
  const server = await startFakeOpenAi({
    port,
    models: [fakeModelId],
    reply: fakeModelReply,
    // `RUN[[<command>]]` in a chat message becomes an exec tool call (approvals-openclaw.spec.ts); other turns get
    // the fixed reply.
    respond: runCommandScript(),
    apiKey: (key) => {
      const accepted = platformModelTokenShape.test(key);
      // Shown in the test output: a runtime that sends the wrong credential otherwise only shows as a failed chat.
      if (!accepted) console.error(`[fake-openai] refused a request: the bearer key is not a per-agent agm_ token`);
      return accepted;
    },
  });
  console.error(`[fake-openai] serving ${fakeModelId} at ${server.baseUrl}`);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void server.close().then(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  console.error("[e2e] run-fake-openai failed:", error);
  process.exitCode = 1;
});
