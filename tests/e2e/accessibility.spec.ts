// Every page of the course checked by axe-core against WCAG 2.1 A and AA, in both themes, and
// again with its interactive parts opened up (a quiz answered, an exercise run, panels shown),
// since a page that passes at rest can fail once a learner has used it.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

const lessons = [
  "fold",
  "projections",
  "commands-and-events",
  "corrections",
  "transfers",
  "snapshots",
  "concurrency",
  "storage-and-schema",
];
const pages = ["/", ...lessons.map((slug) => `/lessons/${slug}`), "/sandbox", "/log", "/no-such-page"];

/** The rules axe finds broken, each with the elements that break it, for a readable failure. */
async function violations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(" ")).join("\n  ")}`);
}

// On a phone, wide listings and tables scroll sideways, and must then take keyboard focus; they
// measure themselves on the frame after they are drawn, so the check waits for that.
test.describe("phone width", () => {
  test.use({ viewport: { width: 360, height: 800 } });
  for (const path of pages) {
    test(`${path} at 360 px has no WCAG 2.1 AA violations`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      const measured = () =>
        page.locator("pre.code-block, .prose table").evaluateAll((all) => all.every((b) => (b.scrollWidth > b.clientWidth) === (b.getAttribute("tabindex") === "0")));
      await expect.poll(measured).toBe(true);
      expect(await violations(page)).toEqual([]);
    });
  }
});

for (const theme of ["light", "dark"] as const) {
  test.describe(`${theme} theme`, () => {
    test.use({ colorScheme: theme });

    for (const path of pages) {
      test(`${path} has no WCAG 2.1 AA violations`, async ({ page }) => {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        expect(await violations(page)).toEqual([]);
      });
    }

    test("a lesson in use: a quiz answered wrong, a hint and a failing run shown", async ({ page }) => {
      test.setTimeout(120_000);
      await page.goto("/lessons/fold");
      const question = page.getByRole("group", { name: /What is the balance after event 4/ });
      await question.getByRole("radio", { name: "€35", exact: true }).check();
      await question.getByRole("button", { name: "Check" }).click();
      await question.getByRole("button", { name: "Show the answer" }).click();
      const exercise = page.getByRole("region", { name: "Fold events into a balance" });
      await exercise.getByRole("button", { name: /^Hint/ }).click();
      await exercise.getByRole("button", { name: "Run", exact: true }).click();
      await expect(exercise.locator(".result-summary")).toContainText(/cases pass/, { timeout: 60_000 });
      expect(await violations(page)).toEqual([]);
    });

    test("the sandbox and the log in use: a refusal, a transfer and the start-over panel", async ({ page }) => {
      await page.goto("/sandbox");
      await page.getByRole("button", { name: "Withdraw" }).click();
      await page.getByRole("button", { name: "Open account" }).click();
      await page.getByRole("button", { name: "Transfer" }).click();
      await page.getByLabel("Account", { exact: true }).fill("?");
      await page.getByRole("button", { name: "Deposit" }).click();
      await expect(page.getByRole("status")).toContainText("was not sent");
      expect(await violations(page)).toEqual([]);
      await page.goto("/log");
      await page.getByRole("button", { name: "Start over" }).click();
      await expect(page.getByRole("group", { name: "Start over" })).toBeVisible();
      expect(await violations(page)).toEqual([]);
    });
  });
}
