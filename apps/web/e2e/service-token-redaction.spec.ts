import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { e2eRun } from "../testing/env.ts";

/**
 * The backend service token is a server secret: it must never appear in anything the browser can fetch.
 * Covered: every file of this run's build under `.next/static` (built with the token in its environment), and
 * every response the browser receives while loading the page (HTML, RSC payload, scripts, styles).
 * Not covered: responses of routes this test does not visit, and server logs.
 */

const run = e2eRun();
const nextDir = fileURLToPath(new URL("../.next/", import.meta.url));

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

test("the built client bundles do not contain the service token", async () => {
  // The build must be this run's, made with this token in its environment; otherwise the check proves nothing.
  const built = await stat(join(nextDir, "BUILD_ID"));
  expect(built.mtimeMs).toBeGreaterThan(run.createdAt);

  const files = await filesUnder(join(nextDir, "static"));
  expect(files.some((file) => file.endsWith(".js"))).toBe(true);
  const leaking: string[] = [];
  for (const file of files) {
    if ((await readFile(file)).includes(run.serviceToken)) leaking.push(file);
  }
  expect(leaking).toEqual([]);
});

test("nothing the browser receives contains the service token, and the browser never calls the backend", async ({
  page,
}) => {
  const pending: Array<Promise<{ url: string; body: Buffer }>> = [];
  const requested: string[] = [];
  page.on("request", (request) => requested.push(request.url()));
  page.on("response", (response) => {
    // Redirects and aborted requests have no body; they carry nothing to leak.
    pending.push(
      response.body().then(
        (body) => ({ url: response.url(), body }),
        () => ({ url: response.url(), body: Buffer.alloc(0) }),
      ),
    );
  });

  await page.goto("/", { waitUntil: "networkidle" });
  await expect(page.getByTestId("status-overall")).toHaveAttribute("data-status", "operational");

  const bodies = await Promise.all(pending);
  expect(bodies.length).toBeGreaterThan(1);
  expect(bodies.filter(({ body }) => body.includes(run.serviceToken)).map(({ url }) => url)).toEqual([]);
  expect(await page.content()).not.toContain(run.serviceToken);
  expect(requested.filter((url) => url.startsWith(run.backendUrl))).toEqual([]);
});
