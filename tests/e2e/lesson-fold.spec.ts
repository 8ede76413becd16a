// Lesson 1 as a learner walks it: step through the fold, travel in time, try impossible edits,
// then a quiz question answered wrong, explained, and answered right.
import { expect, test } from "@playwright/test";
import { wrongThenRight } from "./quiz";

test("the fold stepper steps, travels in time and refuses impossible histories", async ({ page }) => {
  await page.goto("/lessons/fold");
  const stepper = page.getByRole("region", { name: "Fold stepper" });
  const state = stepper.getByLabel("Account state");
  await expect(state).toContainText("€35.00");
  await stepper.getByRole("button", { name: "Reset" }).click();
  await expect(state).toContainText("€0.00");
  await expect(stepper.getByRole("status")).toContainText("Before any event");
  await stepper.getByRole("button", { name: "Next" }).click();
  await stepper.getByRole("button", { name: "Next" }).click();
  await expect(stepper.getByRole("status")).toContainText("After event 2 (money-deposited: deposited €50.00): balance €50.00");
  await stepper.getByRole("slider", { name: "State as of event" }).fill("3");
  await expect(state).toContainText("€30.00");

  const amount = stepper.getByLabel("Amount (€)");
  for (const bad of ["", "0", "-5", "ten", "99999999999"]) {
    await amount.fill(bad);
    await stepper.getByRole("button", { name: "Add event" }).click();
    await expect(stepper.locator(".inline-error")).toBeVisible();
  }
  await expect(stepper.getByRole("list", { name: "Events of account A" }).getByRole("listitem")).toHaveCount(4);

  await stepper.getByLabel("Kind").selectOption("withdraw");
  await amount.fill("100");
  await stepper.getByRole("button", { name: "Add event" }).click();
  await expect(stepper.locator(".inline-error")).toContainText("a decider would never have recorded it");

  await stepper.getByRole("button", { name: "Move event 3 up" }).click();
  await expect(stepper.locator(".inline-error")).toContainText("would withdraw €20.00 when the balance is €0.00");

  await amount.fill("12.50");
  await stepper.getByRole("button", { name: "Add event" }).click();
  await expect(stepper.getByRole("list", { name: "Events of account A" }).getByRole("listitem")).toHaveCount(5);
  await expect(state).toContainText("€22.50");
  await stepper.getByRole("button", { name: "Remove event 5" }).click();
  await expect(state).toContainText("€35.00");
});

test("the fold quiz explains a wrong answer and accepts the right one", async ({ page }) => {
  await wrongThenRight(page, "fold", /What is the balance after event 4/, { name: "€35", explains: "That is the balance after event 5" }, "€60");
});
