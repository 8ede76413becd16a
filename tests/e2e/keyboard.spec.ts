// Keyboard users keep their place: a control that becomes unavailable keeps the focus (it is
// marked aria-disabled, not disabled, which would drop the focus to the page), and a panel that
// closes hands the focus back to what opened it.
import { expect, test } from "@playwright/test";

test("the snapshot lab's buttons keep the focus while it works and once they have nothing to do", async ({ page }) => {
  await page.goto("/lessons/snapshots");
  const lab = page.getByRole("region", { name: "Snapshot lab" });
  const generate = lab.getByRole("button", { name: "Generate stream" });
  await generate.focus();
  await page.keyboard.press("Enter");
  await expect(lab.getByRole("status")).toContainText("Generated");
  await expect(generate).toBeFocused();

  const remove = lab.getByRole("button", { name: "Delete all snapshots" });
  await remove.focus();
  await page.keyboard.press("Enter");
  await expect(lab.getByRole("status")).toContainText("Deleted every snapshot");
  await expect(remove).toBeFocused();
  await expect(remove).toHaveAttribute("aria-disabled", "true");
  await page.keyboard.press("Enter");
  await expect(lab.getByRole("status")).toHaveText("There are no snapshots to delete.");
});

test("the fold stepper's Next keeps the focus at the last event", async ({ page }) => {
  await page.goto("/lessons/fold");
  const stepper = page.getByRole("region", { name: "Fold stepper" });
  await stepper.getByRole("button", { name: "Back to the start" }).click();
  const next = stepper.getByRole("button", { name: "Next" });
  await next.focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press("Enter");
  await expect(next).toHaveAttribute("aria-disabled", "true");
  await expect(next).toBeFocused();
});

test("closing the log page's confirmation hands the focus back to the button that opened it", async ({ page }) => {
  await page.goto("/log");
  const startOver = page.getByRole("button", { name: "Start over", exact: true });
  await startOver.focus();
  await page.keyboard.press("Enter");
  const panel = page.getByRole("group", { name: "Start over" });
  await expect(startOver).toHaveAttribute("aria-expanded", "true");
  // The keyboard is taken into the panel, and Escape closes it as Cancel does.
  await expect(panel.getByRole("button", { name: "Export first" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();
  await expect(startOver).toBeFocused();
  await expect(startOver).toHaveAttribute("aria-expanded", "false");
  await page.keyboard.press("Enter");
  await panel.getByRole("button", { name: "Cancel" }).click();
  await expect(panel).toBeHidden();
  await expect(startOver).toBeFocused();
});

test("a press that gets the same words as the last one is read out again", async ({ page }) => {
  await page.goto("/lessons/fold");
  const question = page.getByRole("group", { name: /What is the balance after event 4/ });
  // The radio group holds only the options; the buttons and the verdict are beside it.
  await expect(question.getByRole("radiogroup").getByRole("radio")).not.toHaveCount(0);
  await expect(question.getByRole("radiogroup").getByRole("button")).toHaveCount(0);
  const status = question.getByRole("status");
  const check = question.getByRole("button", { name: "Check" });
  await check.click();
  await expect(status).toHaveText("Pick an answer first, then check it.");
  // Every state the live region's text goes through for a screen reader: it speaks when that changes.
  await status.evaluate((element) => {
    (window as any).heard = [];
    const note = () => (window as any).heard.push(element.querySelector("[aria-hidden='true']") ? "" : element.textContent);
    new MutationObserver(note).observe(element, { childList: true, subtree: true, characterData: true, attributes: true });
  });
  await check.click();
  // Hidden from assistive technology for a frame, then there again; on screen all along.
  await expect.poll(() => page.evaluate(() => (window as any).heard.includes(""))).toBe(true);
  await expect.poll(() => page.evaluate(() => (window as any).heard.at(-1))).toBe("Pick an answer first, then check it.");
  await expect(status).toHaveText("Pick an answer first, then check it.");
});

for (const width of [1280, 360]) {
  test(`a code listing is a Tab stop only when it scrolls sideways (${width} px)`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    await page.goto("/lessons/fold");
    const listings = page.locator("pre.code-block");
    await expect(listings.first()).toBeVisible();
    const measure = () => listings.evaluateAll((blocks) =>
      blocks.map((b) => ({ scrolls: b.scrollWidth > b.clientWidth, focusable: b.getAttribute("tabindex") === "0", named: b.getAttribute("aria-label") })),
    );
    // The listings measure themselves on the frame after they are drawn.
    await expect.poll(async () => (await measure()).every((b) => b.focusable === b.scrolls)).toBe(true);
    const seen = await measure();
    expect(seen.length).toBeGreaterThan(3);
    for (const block of seen) {
      expect(block.focusable).toBe(block.scrolls);
      expect(block.named !== null).toBe(block.scrolls);
    }
    if (width === 360) expect(seen.some((b) => b.scrolls)).toBe(true);
  });
}

test("a listing or table that starts to scroll when the window narrows becomes a Tab stop, and stops being one when it widens", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/lessons/commands-and-events");
  const boxes = page.locator("pre.code-block, .prose table");
  await expect(boxes.first()).toBeVisible();
  const states = () => boxes.evaluateAll((all) => all.map((b) => ({ scrolls: b.scrollWidth > b.clientWidth, focusable: b.getAttribute("tabindex") === "0", table: b.tagName === "TABLE", name: b.getAttribute("aria-label") })));
  const consistent = async () => (await states()).every((b) => b.focusable === b.scrolls);
  await expect.poll(consistent).toBe(true);
  await page.setViewportSize({ width: 360, height: 800 });
  await expect.poll(consistent).toBe(true);
  const narrow = await states();
  expect(narrow.some((b) => b.table && b.scrolls)).toBe(true);
  expect(narrow.filter((b) => b.table && b.scrolls).every((b) => b.name?.startsWith("Table: "))).toBe(true);
  // A table that scrolls is still a table (its column headings read with each cell); a listing
  // that scrolls is a named group, not one more landmark of the same name.
  await expect(page.getByRole("table", { name: "Table: given, when, then" })).toBeVisible();
  await expect(page.getByRole("region", { name: /code$/i })).toHaveCount(0);
  await expect(page.getByRole("group", { name: /code$/i }).first()).toBeVisible();
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect.poll(consistent).toBe(true);
});

test("a listing that starts to scroll because only the text grew becomes a Tab stop", async ({ page }) => {
  // A browser's text-only zoom, or a stylesheet of the reader's: the window keeps its size.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/lessons/commands-and-events");
  const listings = page.locator("pre.code-block");
  await expect(listings.first()).toBeVisible();
  const states = () => listings.evaluateAll((all) => all.map((b) => ({ scrolls: b.scrollWidth > b.clientWidth, focusable: b.getAttribute("tabindex") === "0" })));
  const consistent = async () => (await states()).every((b) => b.focusable === b.scrolls);
  await expect.poll(consistent).toBe(true);
  expect((await states()).some((b) => b.scrolls)).toBe(false);
  await page.evaluate(() => { document.documentElement.style.fontSize = "200%"; });
  await expect.poll(async () => (await states()).some((b) => b.scrolls)).toBe(true);
  await expect.poll(consistent).toBe(true);
});
