// Lesson 7 as a learner walks it: two clerks overdraw the account with naive writes; with expected
// versions the second append conflicts and the retry on fresh state is refused; a deposit sent twice
// is stored once. Then a quiz question answered wrong, explained, and answered right.
import { expect, test, type Locator } from "@playwright/test";
import { wrongThenRight } from "./quiz";

async function raceTwoClerks(race: Locator) {
  for (const clerk of ["Clerk 1", "Clerk 2"]) {
    await race.getByRole("region", { name: clerk }).getByRole("button", { name: "Read account" }).click();
  }
  await expect(race.getByRole("region", { name: "Clerk 2" })).toContainText("version 2 · €100.00");
  for (const clerk of ["Clerk 1", "Clerk 2"]) {
    await race.getByRole("region", { name: clerk }).getByRole("button", { name: "Withdraw €80" }).click();
  }
}

test("naive writes overdraw, expected versions conflict, a retried deposit is stored once", async ({ page }) => {
  await page.goto("/lessons/concurrency");
  const race = page.getByRole("region", { name: "Two clerks, one account" });
  const mode = race.getByRole("group", { name: "How clerks write" });
  const stream = race.getByRole("list", { name: "Events of account A" }).getByRole("listitem");
  const balance = race.getByLabel("Balance of account A");
  const steps = race.getByRole("list", { name: "What happened, in order" }).getByRole("listitem");

  // 1. Naive: both writes land and the account is overdrawn.
  await mode.getByRole("radio", { name: "Naive: no version check" }).check();
  await raceTwoClerks(race);
  await expect(stream).toHaveCount(4);
  await expect(balance).toContainText("-€60.00");
  await expect(balance).toContainText("overdrawn");
  await expect(race.getByRole("note")).toContainText("What went wrong");
  await expect(race.getByRole("note")).toContainText("Clerk 2 decided on version 2, but when it wrote, the stream was already at version 3");

  // 2. Reset, expected version: the second append is refused with a conflict naming both versions.
  await race.getByRole("button", { name: "Reset" }).click();
  await mode.getByRole("radio", { name: "Expected version" }).check();
  await expect(stream).toHaveCount(2);
  await raceTwoClerks(race);
  await expect(steps.last()).toContainText("expected version 2, found 3");
  await expect(race.getByRole("status")).toContainText("append failed. Conflict on account-A: expected version 2 but it is at version 3");
  await expect(stream).toHaveCount(3);

  // The refused clerk's card says why its read no longer counts, and what comes next.
  await expect(race.getByRole("region", { name: "Clerk 2" })).toContainText("Conflict: what this clerk read is out of date.");

  // 3. The clerk reads fresh state and decides again: the decider refuses.
  await race.getByRole("region", { name: "Clerk 2" }).getByRole("button", { name: "Retry with fresh state" }).click();
  await expect(steps.last()).toContainText("Insufficient funds: the balance is €20.00, less than the €80.00 asked for.");
  await expect(stream).toHaveCount(3);
  await expect(balance).toContainText("€20.00");
  await expect(race.getByRole("note")).toContainText("only valid withdrawals were kept");

  // 4. The same deposit twice: the stream grows by one event, not two.
  await race.getByRole("button", { name: "Send the same deposit twice" }).click();
  await expect(stream).toHaveCount(4);
  await expect(race.getByRole("status")).toContainText("3 events before, 4 after the first send, 4 after the second");
  await expect(steps.last()).toContainText("dep-1 is already stored");
});

test("the idempotency question explains a wrong answer and accepts the right one", async ({ page }) => {
  await wrongThenRight(page, "concurrency", /`?dep-81`?, a second time/, { name: /^Store it again/, explains: "Storing it twice would" }, /already stored with the same content/);
});

test("how this course copes with two tabs is an aside, folded until the learner opens it", async ({ page }) => {
  await page.goto("/lessons/concurrency");
  const aside = page.getByRole("group").filter({ has: page.getByText("Under the hood: two tabs of this course at once") });
  const detail = aside.getByText(/localStorage cannot check and write in one step/);
  await expect(detail).toBeHidden();
  await aside.getByText("Under the hood: two tabs of this course at once").click();
  await expect(detail).toBeVisible();
});
