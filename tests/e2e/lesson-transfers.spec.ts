// Lesson 5 as a learner walks it: a transfer in two steps on two streams, refunds from a never-opened
// and a closed account, a refused transfer, the money total constant throughout; then the quiz.
import { expect, test } from "@playwright/test";
import { wrongThenRight } from "./quiz";

test("a transfer lands on the source, then the process credits or refunds, and no money is lost", async ({ page }) => {
  await page.goto("/lessons/transfers");
  const board = page.getByRole("region", { name: "Transfer board" });
  const status = board.getByRole("status");
  const total = board.getByText(/^Money in the system:/);
  const streamOf = (id: string) => board.getByRole("list", { name: `Events of account ${id}` });
  await expect(total).toHaveText("Money in the system: €150.00");

  await board.getByRole("button", { name: "Transfer", exact: true }).click();
  await expect(status).toContainText("Step 1: money-transferred-out landed on A's stream");
  await expect(streamOf("A")).toContainText("money-transferred-out");
  await expect(streamOf("B")).not.toContainText("money-transferred-in");
  // Part of the read model's figure, inside its chip.
  await expect(board.getByText(/^read modelMoney in the system: .*\(€30\.00 in flight\)$/)).toBeVisible();
  await expect(total).toHaveText("Money in the system: €150.00");
  await board.getByRole("button", { name: "Run the process" }).click();
  await expect(streamOf("B")).toContainText("money-transferred-in");
  await expect(total).toHaveText("Money in the system: €150.00");

  await board.getByLabel("To").selectOption("D");
  await board.getByRole("button", { name: "Transfer", exact: true }).click();
  await board.getByRole("button", { name: "Run the process" }).click();
  await expect(status).toContainText("never opened");
  await expect(streamOf("A")).toContainText("transfer-refunded");

  await board.getByRole("button", { name: "Close C" }).click();
  await expect(status).toContainText("Account C is closed");
  await board.getByLabel("To").selectOption("C");
  await board.getByRole("button", { name: "Transfer", exact: true }).click();
  await board.getByRole("button", { name: "Run the process" }).click();
  await expect(status).toContainText("is closed");
  await expect(total).toHaveText("Money in the system: €150.00");

  // Enter in the amount transfers, as the button does.
  await board.getByLabel("Amount (€)").fill("1000");
  await board.getByLabel("Amount (€)").press("Enter");
  await expect(status).toContainText("Transfer refused");
  await expect(status).toContainText("Nothing was appended");
  await board.getByLabel("Amount (€)").fill("abc");
  await board.getByRole("button", { name: "Transfer", exact: true }).click();
  await expect(board.getByLabel("Amount (€)")).toHaveAccessibleDescription(/"abc" is not an amount of euros/);
  await expect(board.getByLabel("Amount (€)")).toHaveAttribute("aria-invalid", "true");

  // Reset brings back the opening bank and the form's first choices, with no error left over.
  await board.getByRole("button", { name: "Reset" }).click();
  await expect(board.getByLabel("To")).toHaveValue("B");
  await expect(board.getByLabel("Amount (€)")).toHaveValue("30");
  await expect(board.getByLabel("Amount (€)")).toHaveAttribute("aria-invalid", "false");
  await expect(streamOf("A")).not.toContainText("transfer-refunded");
});

test("the transfers quiz explains a wrong answer and accepts the right one", async ({ page }) => {
  await page.goto("/lessons/transfers");
  // The events the question asks about are a numbered list, an event to an item.
  const question = page.getByRole("group", { name: /What is B's balance at the end/ });
  await expect(question.getByRole("listitem").filter({ hasText: "MoneyWithdrawn" })).toHaveText("B: MoneyWithdrawn €15");
  await wrongThenRight(page, "transfers", /What is B's balance at the end/, { name: "€40", explains: "That stops at event 5" }, "€25");
});
