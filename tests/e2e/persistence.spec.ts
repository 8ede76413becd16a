// The learner's log in localStorage: answers survive a reload, two tabs see each other's progress,
// and a full or damaged storage has a defined outcome that keeps the page working.
import { expect, test } from "@playwright/test";

async function answerFirstFoldQuestion(page) {
  const question = page.getByRole("radiogroup", { name: /What is the balance after event 4/ });
  await question.getByRole("radio", { name: "€60", exact: true }).check();
  await question.getByRole("button", { name: "Check" }).click();
  await expect(question.getByRole("status")).toHaveText("Right.");
  return question;
}

test("a quiz answer and the lesson's status survive a reload", async ({ page }) => {
  await page.goto("/lessons/fold");
  await answerFirstFoldQuestion(page);
  await page.reload();
  const question = page.getByRole("radiogroup", { name: /What is the balance after event 4/ });
  await expect(question.getByRole("radio", { name: "€60", exact: true })).toBeChecked();
  await expect(question.getByRole("status")).toHaveText("Right.");
  await page.goto("/");
  await expect(page.getByRole("listitem").filter({ hasText: "The log is the source of truth" })).toContainText("In progress");
  await page.goto("/log");
  await expect(page.getByRole("heading", { level: 1, name: "Your event log" })).toBeVisible();
  await expect(page.getByRole("table")).toContainText("quiz-answered");
});

test("two tabs both progress and each shows the other's progress", async ({ context }) => {
  const first = await context.newPage();
  const second = await context.newPage();
  await second.goto("/");
  await expect(second.getByRole("listitem").filter({ hasText: "Snapshots" })).toContainText("Not started");
  await first.goto("/lessons/snapshots");
  await expect(second.getByRole("listitem").filter({ hasText: "Snapshots" })).toContainText("In progress", { timeout: 5_000 });
  await second.goto("/lessons/transfers");
  await first.goto("/");
  await expect(first.getByRole("listitem").filter({ hasText: "Transfers between accounts" })).toContainText("In progress");
  await expect(first.getByRole("listitem").filter({ hasText: "Snapshots" })).toContainText("In progress");
});

test("a full storage says so, changes nothing stored, and the page keeps working", async ({ page }) => {
  await page.goto("/lessons/fold");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const before = await page.evaluate(() => {
    // Fill every byte: big pieces first, then smaller ones into what is left.
    let i = 0;
    for (const size of [100_000, 1_000, 10, 1]) {
      const filler = "x".repeat(size);
      for (;;) {
        try { localStorage.setItem(`filler/${i++}`, filler); } catch { break; }
      }
    }
    return [localStorage.getItem("foldlab/v1/meta"), localStorage.getItem("foldlab/v1/seg/0")];
  });
  await answerFirstFoldQuestion(page);
  await expect(page.getByRole("alert")).toContainText("could not be saved");
  const after = await page.evaluate(() => [localStorage.getItem("foldlab/v1/meta"), localStorage.getItem("foldlab/v1/seg/0")]);
  expect(after).toEqual(before);
});

test("a damaged log still lets the app start and tells the learner", async ({ page }) => {
  await page.goto("/lessons/fold");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.evaluate(() => localStorage.setItem("foldlab/v1/seg/0", "{ this is not json"));
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "The log is the source of truth" })).toBeVisible();
  await expect(page.getByRole("alert")).toContainText("damaged");
});

test("the sandbox bank keeps its accounts in the log across a reload, and refuses what the core refuses", async ({ page }) => {
  await page.goto("/sandbox");
  await page.getByRole("button", { name: "Open account" }).click();
  await page.getByLabel("Amount (€)").fill("12.50");
  await page.getByRole("button", { name: "Deposit" }).click();
  await expect(page.getByRole("status")).toContainText("money-deposited");
  await page.getByLabel("Amount (€)").fill("100");
  await page.getByRole("button", { name: "Withdraw" }).click();
  await expect(page.getByRole("status")).toContainText("Refused");
  await page.reload();
  await expect(page.getByRole("table")).toContainText("€12.50");
});
