import { expect, test } from "@playwright/test";
import { e2eRun } from "../testing/env.ts";

// A second web server, built from the same output, whose BACKEND_URL points at a port nothing listens on.
test.use({ baseURL: e2eRun().unreachableWebUrl });

test("with the backend unreachable the page still renders and says so", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);

  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const panel = page.getByTestId("status-panel");
  await expect(panel.getByTestId("backend-unreachable")).toHaveAttribute("data-code", "backend_unreachable");
  await expect(panel).toContainText("Backend unreachable");
  await expect(panel.getByTestId("status-overall")).toHaveAttribute("data-status", "unreachable");
  await expect(page.getByTestId("plans-unavailable")).toContainText("Plans are unavailable right now");
  await expect(page.getByTestId("plan-list")).toHaveCount(0);
  await expect(page.getByTestId("compare-plans")).toHaveCount(0);
});
