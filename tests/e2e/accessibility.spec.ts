// Every page of the course checked by axe-core against WCAG 2.1 A and AA and axe's best practices
// (landmarks of one name, say), in both themes, and
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
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(" ")).join("\n  ")}`);
}

// On a phone, wide listings and tables scroll sideways, and must then take keyboard focus; they
// measure themselves on the frame after they are drawn, so the check waits for that.
test("in forced colours the current page and each lesson's progress still show", async ({ page }) => {
  await page.emulateMedia({ forcedColors: "active" });
  await page.goto("/");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Lessons" })).toHaveAttribute("aria-current", "page");
  const underline = (name: string) => nav.getByRole("link", { name }).evaluate((a) => getComputedStyle(a).borderBottomColor);
  expect(await underline("Lessons")).not.toEqual(await underline("Sandbox"));
  await page.goto("/lessons/fold");
  await page.goto("/lessons/projections");
  const toc = page.getByRole("navigation", { name: "All lessons" });
  // The dot is decoration (hidden from assistive technology; the link's text says the status), so
  // only its class finds it: what is checked is how forced colours paint it.
  const dot = (name: RegExp) => toc.getByRole("listitem").filter({ has: page.getByRole("link", { name }) }).locator(".status-dot").evaluate((d) => getComputedStyle(d).backgroundImage + getComputedStyle(d).backgroundColor);
  // Visited (in progress) and not started differ by their fill, not only by a colour the theme drops.
  expect(await dot(/Why keep every event/)).not.toEqual(await dot(/Snapshots/));
});

// A live region that appears with its first message is often not read: the exercise's hints and
// the log page's outcomes are on the page, empty, before they have anything to say.
test("the hints and the log's outcomes are live regions before their first message", async ({ page }) => {
  await page.goto("/lessons/fold");
  const hints = page.getByRole("region", { name: "Fold events into a balance" }).getByRole("list", { name: "Hints" });
  await expect(hints).toHaveAttribute("aria-live", "polite");
  await expect(hints.getByRole("listitem")).toHaveCount(0);
  expect(await hints.evaluate((list) => getComputedStyle(list).display)).not.toBe("none");
  await page.goto("/log");
  await expect(page.getByRole("heading", { level: 1, name: "Your event log" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Keep, move or clear your log" }).getByRole("status")).toHaveCount(1);
});

test("at 320 px a console command's name and its button never overlap", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 800 });
  // Every command each page offers: its name as the lesson spells it, and the button that sends it.
  const opening: [string, string][] = [["OpenAccount", "Open account"], ["DepositMoney", "Deposit"], ["WithdrawMoney", "Withdraw"]];
  const closing: [string, string] = ["CloseAccount", "Close account"];
  const pages: [string, string, [string, string][]][] = [
    ["/lessons/commands-and-events", "Command console", [...opening, closing]],
    ["/sandbox", "Send a command", [...opening, ["TransferMoney", "Transfer"], closing]],
  ];
  for (const [path, region, commands] of pages) {
    await page.goto(path);
    const where = page.getByRole("region", { name: region });
    // No command left unchecked: every name like DepositMoney on the page is in the list.
    await expect(where.getByText(/^[A-Z][a-z]+(?:[A-Z][a-z]+)+$/)).toHaveCount(commands.length);
    const overlaps: string[] = [];
    for (const [command, label] of commands) {
      // The text's own extent, which may overflow the box that holds it.
      const name = await where.getByText(command, { exact: true }).evaluate((text) => {
        const range = document.createRange();
        range.selectNodeContents(text);
        const { left, right, top, bottom } = range.getBoundingClientRect();
        return { left, right, top, bottom };
      });
      const box = await where.getByRole("button", { name: label, exact: true }).boundingBox();
      if (!box) throw new Error(`${label} is not on ${path}`);
      const button = { left: box.x, right: box.x + box.width, top: box.y, bottom: box.y + box.height };
      const apart = name.right <= button.left || button.right <= name.left || name.bottom <= button.top || button.bottom <= name.top;
      if (!apart) overlaps.push(command);
    }
    expect(overlaps, path).toEqual([]);
  }
});

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

    // axe checks text contrast only; a field is found by its edge, which needs 3:1 (WCAG 1.4.11).
    test("the edges of fields and of the code editor stand out 3:1 from what they sit on", async ({ page }) => {
      await page.goto("/lessons/commands-and-events");
      const fields = page.getByRole("textbox");
      await expect(fields.first()).toBeVisible();
      const ratios = await fields.evaluateAll((all) => {
        const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
        const luminance = ([r, g, b]: number[]) =>
          [r, g, b].map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4)).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
        const behind = (element: Element) => {
          for (let at = element.parentElement; at; at = at.parentElement) {
            const colour = getComputedStyle(at).backgroundColor;
            if (rgb(colour)[3] !== 0 && colour !== "transparent") return colour;
          }
          return getComputedStyle(document.body).backgroundColor;
        };
        return all.map((field) => {
          // The code editor's textarea is transparent, without a border: its edge is the box it sits in.
          const edge = parseFloat(getComputedStyle(field).borderTopWidth) > 0 ? field : (field.parentElement ?? field);
          const [a, b] = [luminance(rgb(getComputedStyle(edge).borderTopColor)), luminance(rgb(behind(edge)))];
          return { field: field.getAttribute("aria-label") ?? field.id, width: parseFloat(getComputedStyle(edge).borderTopWidth), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
        });
      });
      expect(ratios.length).toBeGreaterThan(2);
      for (const { field, width, ratio } of ratios) {
        expect(width, `${field} has an edge`).toBeGreaterThan(0);
        expect(ratio, field).toBeGreaterThanOrEqual(3);
      }
    });

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
      await expect(exercise.getByRole("status", { name: "Result" })).toContainText(/cases pass/, { timeout: 60_000 });
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
