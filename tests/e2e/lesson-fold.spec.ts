// Lesson 1 as a learner walks it: step through the fold, travel in time with the slider, try bad
// amounts and impossible histories (refused with the decider's reason), make a possible edit, then
// a quiz question answered wrong, explained, and answered right. The learner's own list is still
// there after a reload.
import { expect, test } from "@playwright/test";
import { wrongThenRight } from "./quiz";

test("the fold stepper steps, travels in time and refuses impossible histories", async ({ page }) => {
  await page.goto("/lessons/fold");
  const stepper = page.getByRole("region", { name: "Fold stepper" });
  const state = stepper.getByLabel("Account state");
  const status = stepper.getByRole("status");
  const list = stepper.getByRole("list", { name: "Events of account A" });
  const events = list.getByRole("listitem");
  await expect(state).toContainText("€35.00");

  await stepper.getByRole("button", { name: "Back to the start" }).click();
  await expect(state).toContainText("€0.00");
  await expect(status).toContainText("Before any event");
  await stepper.getByRole("button", { name: "Next" }).click();
  await stepper.getByRole("button", { name: "Next" }).click();
  await expect(status).toContainText("After event 2 (money-deposited €50.00): balance €50.00");
  await stepper.getByRole("button", { name: "Next" }).click();
  await expect(status).toContainText("After event 3 (money-withdrawn €20.00): balance €30.00");
  // The event reached is the current step; the one after it is still to be folded.
  await expect(events.nth(2)).toHaveAttribute("aria-current", "step");
  await expect(events.nth(2)).toContainText("money-withdrawn");
  for (const other of [0, 1, 3]) await expect(events.nth(other)).not.toHaveAttribute("aria-current");
  await expect(events).toHaveCount(4);
  await expect(state).toContainText("3 of 4 events folded");

  const slider = stepper.getByRole("slider", { name: "State as of event" });
  await slider.fill("2");
  await expect(state).toContainText("€50.00");
  await slider.focus();
  await page.keyboard.press("ArrowRight");
  await expect(state).toContainText("€30.00");
  // Read out once, by the slider itself, not again by the status line.
  await expect(slider).toHaveAttribute("aria-valuetext", "event 3 of 4: money-withdrawn €20.00, balance €30.00");
  await expect(status).toBeEmpty();

  const amount = stepper.getByLabel("Amount (€)");
  const bads: [string, RegExp][] = [["", /Enter an amount/], ["0", /more than zero/], ["-5", /more than zero/], ["ten", /is not an amount/], ["99999999999", /too large/]];
  for (const [bad, says] of bads) {
    await amount.fill(bad);
    await stepper.getByRole("button", { name: "Add event" }).click();
    await expect(amount).toHaveAccessibleDescription(says);
    await expect(amount).toHaveAttribute("aria-invalid", "true");
  }
  await expect(events).toHaveCount(4);

  await stepper.getByLabel("Kind").selectOption("withdraw");
  await amount.fill("100");
  await amount.press("Enter");
  await expect(amount).toHaveAccessibleDescription(/Insufficient funds: the balance is €35\.00, less than the €100\.00 asked for\./);
  await expect(events).toHaveCount(4);

  await stepper.getByRole("button", { name: "Move event 3 up" }).click();
  await expect(list).toHaveAccessibleDescription(/event 3 \(money-withdrawn €20\.00\) could never have been recorded/);
  await expect(status).toContainText("Refused");

  await amount.fill("12.50");
  await stepper.getByRole("button", { name: "Add event" }).click();
  await expect(events).toHaveCount(5);
  await expect(state).toContainText("€22.50");
  await expect(status).toContainText("Added event 5 (money-withdrawn €12.50)");
  await stepper.getByRole("button", { name: "Remove event 5" }).click();
  await expect(events).toHaveCount(4);
  await expect(state).toContainText("€35.00");

  await stepper.getByRole("button", { name: "Remove event 4" }).click();
  await expect(events).toHaveCount(3);
  // The learner's own list is kept in their log: a reload shows it again, all folded.
  await page.reload();
  await expect(events).toHaveCount(3);
  await expect(state).toContainText("€30.00");
  await expect(state).toContainText("3 of 3 events folded");
  // The lesson's steps describe the example: the list says whose it is, and how to get that back.
  const own = stepper.getByText("Your own list, kept in your log.");
  await expect(own).toBeVisible();
  await stepper.getByRole("button", { name: "Back to the start" }).click();
  // Whatever was changed, the example comes back whole and folded, once the learner agrees to
  // drop the list they made.
  const questions: string[] = [];
  page.once("dialog", (dialog) => { questions.push(dialog.message()); void dialog.dismiss(); });
  await stepper.getByRole("button", { name: "Restore the example" }).click();
  await expect.poll(() => questions).toEqual([expect.stringMatching(/^Put the example's 4 events back\? Your list of \d+ events? will be dropped\.$/)]);
  await expect(events, "kept when the learner says no").not.toHaveCount(4);
  page.once("dialog", (dialog) => void dialog.accept());
  await stepper.getByRole("button", { name: "Restore the example" }).click();
  await expect(events).toHaveCount(4);
  await expect(state).toContainText("€35.00");
  await expect(status).toContainText("Restored the example. After event 4");
  await expect(own).toBeHidden();
  await page.reload();
  await expect(events).toHaveCount(4);
  await expect(state).toContainText("€35.00");
  await expect(own).toBeHidden();
});

test("the fold quiz explains a wrong answer and accepts the right one", async ({ page }) => {
  await wrongThenRight(page, "fold", /What is the balance after event 4/, { name: "€35", explains: "That is the balance after event 5" }, "€60");
});

test("a learner stuck after a wrong answer can show the answer: every option is then explained", async ({ page }) => {
  await page.goto("/lessons/fold");
  const question = page.getByRole("group", { name: /What is the balance after event 4/ });
  await question.getByRole("radio", { name: "€35", exact: true }).check();
  await question.getByRole("button", { name: "Check" }).click();
  await expect(question.getByText("✗ Your answer")).toBeVisible();
  await expect(question.getByText("✓ The right answer")).toHaveCount(0);
  await question.getByRole("button", { name: "Show the answer" }).click();
  const right = question.getByRole("radio", { name: "€60", exact: true });
  await expect(right).toBeFocused();
  await expect(right).toHaveAccessibleDescription(/The right answer/);
  // "Right." is for a learner who chose it; shown, the explanation starts with its reason.
  await expect(right).not.toHaveAccessibleDescription(/Right\./);
  await expect(question.getByText("✗ Not this one")).toHaveCount(2);
  await expect(question.getByRole("button", { name: "Show the answer" })).toHaveCount(0);
  await expect(question.getByRole("status")).toContainText("The right answer is marked above");
  // Chosen as well as focused, so Check (by keyboard, too) completes the question.
  await expect(right).toBeChecked();
  await expect(question.getByRole("status")).toContainText("marked above and chosen");
  await page.keyboard.press("Tab");
  await expect(question.getByRole("button", { name: "Check" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(question.getByRole("status")).toContainText("Right.");
});

test("after a reload a question still explains every option tried, and a shown answer stays shown", async ({ page }) => {
  await page.goto("/lessons/fold");
  const question = page.getByRole("group", { name: /What is the balance after event 4/ });
  for (const wrong of ["€35", "€90"]) {
    await question.getByRole("radio", { name: wrong, exact: true }).check();
    await question.getByRole("button", { name: "Check" }).click();
  }
  await expect(question.getByText("✗ Tried before")).toHaveCount(1);
  await page.reload();
  await expect(question.getByText("✗ Your answer")).toHaveCount(1);
  await expect(question.getByText("✗ Tried before"), "the first wrong try is still explained").toHaveCount(1);
  await question.getByRole("button", { name: "Show the answer" }).click();
  await page.reload();
  await expect(question.getByText("✓ The right answer")).toBeVisible();
  await expect(question.getByRole("button", { name: "Show the answer" })).toHaveCount(0);
});

test("on a phone, a refusal and a run's result come into view, though they appear below the button pressed", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/lessons/fold");
  const stepper = page.getByRole("region", { name: "Fold stepper" });
  const amount = stepper.getByLabel("Amount (€)");
  for (const euros of ["5", "6", "7", "8"]) {
    await amount.fill(euros);
    await amount.press("Enter");
  }
  await expect(stepper.getByRole("list", { name: /^Events/ }).getByRole("listitem")).toHaveCount(8);
  const up = stepper.getByRole("button", { name: "Move event 3 up" });
  await up.evaluate((button) => button.scrollIntoView({ block: "start" }));
  await up.click();
  // The refusal under the list (first in the page), not the status line a screen reader hears,
  // which is one pixel wide and may be anywhere.
  await expect(stepper.getByText(/could never have been recorded/).first()).toHaveId("fold-stepper-list-error");
  await expect(stepper.getByText(/could never have been recorded/).first()).toBeInViewport();

  // Every hint open pushes the result far below Run: a run brings it into view.
  const exercise = page.getByRole("region", { name: "Fold events into a balance" });
  await exercise.getByRole("button", { name: /^Hint \(1 of \d\)$/ }).click();
  for (let shown = 2; ; shown++) {
    const next = exercise.getByRole("button", { name: new RegExp(`^Next hint \\(${shown} of \\d\\)$`) });
    if ((await next.count()) === 0) break;
    await next.click();
  }
  const run = exercise.getByRole("button", { name: "Run", exact: true });
  await run.evaluate((button) => button.scrollIntoView({ block: "start" }));
  await run.click();
  await expect(exercise.getByRole("status", { name: "Result" })).toContainText(/cases? pass/, { timeout: 30_000 });
  await expect(exercise.getByRole("status", { name: "Result" })).toBeInViewport();
});
