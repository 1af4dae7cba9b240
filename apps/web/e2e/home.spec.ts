import { expect, test } from "@playwright/test";

// The product's plan table (PRODUCT.md), written out here on purpose: the page must show exactly these figures,
// fetched from the backend, so a drift anywhere between packages/plans and the page fails this test.
const productPlanTable = [
  {
    id: "solo",
    name: "Solo",
    cpu: "1 vCPU (1000m)",
    memory: "2 GB",
    maxAgents: "1",
    description: "Trial / light workloads only",
  },
  {
    id: "collective",
    name: "Collective",
    cpu: "2 vCPU (2000m)",
    memory: "4 GB",
    maxAgents: "3",
    description: "Recommended production floor",
  },
  {
    id: "label",
    name: "Label",
    cpu: "4 vCPU (4000m)",
    memory: "8 GB",
    maxAgents: "10",
    description: "Heavy production + browser/tool work",
  },
  {
    id: "network",
    name: "Network",
    cpu: "8 vCPU (8000m)",
    memory: "16 GB",
    maxAgents: "Unlimited",
    description: "High-throughput production",
  },
] as const;

test.describe("home page", () => {
  test("shows the four plans with the product table's figures, Collective recommended", async ({ page }, testInfo) => {
    const response = await page.goto("/");
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("AI agents");

    const cards = page.getByTestId("plan-list").getByRole("group");
    await expect(cards).toHaveCount(4);
    for (const [index, plan] of productPlanTable.entries()) {
      const card = cards.nth(index);
      await expect(card).toHaveAttribute("data-testid", `plan-${plan.id}`);
      await expect(card.getByRole("heading")).toHaveText(plan.name);
      await expect(card.getByTestId("plan-cpu")).toHaveText(plan.cpu);
      await expect(card.getByTestId("plan-memory")).toHaveText(plan.memory);
      await expect(card.getByTestId("plan-max-agents")).toHaveText(plan.maxAgents);
      await expect(card.getByTestId("plan-description")).toHaveText(plan.description);
    }
    await expect(page.getByTestId("plan-recommended")).toHaveCount(1);
    await expect(page.getByTestId("plan-collective").getByTestId("plan-recommended")).toHaveText("Recommended");
    // Cards are labelled by their heading, so assistive technology announces the plan name.
    await expect(page.getByRole("group", { name: "Collective" })).toBeVisible();

    // Kept in test-results/ for a human look at the rendered page (and attached for the HTML reporter).
    const screenshot = testInfo.outputPath("home.png");
    await page.screenshot({ path: screenshot, fullPage: true });
    await testInfo.attach("home", { path: screenshot, contentType: "image/png" });
  });

  test("status panel: operational, PostgreSQL ok, Redis ok", async ({ page }) => {
    await page.goto("/");
    const panel = page.getByTestId("status-panel");
    await expect(panel.getByRole("heading", { name: "Platform status" })).toBeVisible();
    await expect(panel.getByTestId("status-overall")).toHaveAttribute("data-status", "operational");
    await expect(panel.getByTestId("status-overall")).toHaveText("Operational");
    await expect(panel.getByTestId("status-environment")).toHaveText("test");
    await expect(panel.getByTestId("status-version")).not.toBeEmpty();
    await expect(panel.getByTestId("status-uptime")).toHaveText(/^\d+[dhms]( \d+[dhms])?$/);

    const postgres = panel.getByTestId("check-postgres");
    await expect(postgres).toHaveAttribute("data-status", "ok");
    await expect(postgres).toContainText("PostgreSQL");
    await expect(postgres.getByTestId("check-label")).toHaveText("OK");
    const redis = panel.getByTestId("check-redis");
    await expect(redis).toHaveAttribute("data-status", "ok");
    await expect(redis).toContainText("Redis");
    await expect(redis.getByTestId("check-label")).toHaveText("OK");
    await expect(page.getByTestId("backend-unreachable")).toHaveCount(0);
  });

  test("the compare dialog opens, lists every plan and closes with Escape (the page hydrates under its CSP)", async ({
    page,
  }) => {
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(error.message));

    await page.goto("/");
    await page.getByTestId("compare-plans").click();
    const dialog = page.getByRole("dialog", { name: "Compare plans" });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole("row")).toHaveCount(1 + productPlanTable.length);
    await expect(dialog.getByRole("rowheader", { name: /Collective/ })).toContainText("Recommended");
    await expect(dialog.getByRole("row", { name: /Network/ })).toContainText("Unlimited");
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId("compare-plans")).toBeFocused();
    expect(errors).toEqual([]);
  });

  test("responses carry the security headers and no X-Powered-By", async ({ request }) => {
    const response = await request.get("/");
    expect(response.status()).toBe(200);
    const headers = response.headers();
    expect(headers["x-powered-by"]).toBeUndefined();
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"]).toContain("object-src 'none'");
    expect(headers["content-security-policy"]).not.toContain("unsafe-eval");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  });

  test("renders per request, not from a build-time snapshot", async ({ request }) => {
    const first = await request.get("/");
    expect(first.headers()["cache-control"]).toContain("no-store");
  });
});
