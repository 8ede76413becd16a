// Lesson 4 as a learner walks it: a mistaken deposit corrected by a compensating event while the
// CRUD row beside it forgets, a transfer undone by a transfer back, a refused transfer appending
// nothing; then a question on what a reversal does to the balance.
import { expect, test } from "@playwright/test";
import { wrongThenRight } from "./quiz";

test("a wrong deposit is reversed by a new fact, a transfer by a transfer back, and the log keeps it all", async ({ page }) => {
  await page.goto("/lessons/corrections");
  const ledger = page.getByRole("region", { name: "Correction ledger" });
  const status = ledger.getByRole("status");
  const crud = ledger.getByRole("region", { name: "What a CRUD table keeps" });
  const rowA = crud.getByRole("row", { name: /^A / });
  const log = ledger.getByRole("list", { name: "Events of accounts A and B" }).getByRole("listitem");
  const amount = ledger.getByLabel("Amount (€)");
  await expect(amount).toHaveValue("500");
  await expect(log).toHaveCount(3);

  await ledger.getByRole("button", { name: "Deposit into A" }).click();
  await expect(rowA).toContainText("€600.00");
  await ledger.getByRole("button", { name: "Reverse the deposit of €500.00" }).click();
  await expect(status).toContainText("Reversed the €500.00 deposit at version 3 with a compensating event. Appended deposit-reversed");
  await expect(rowA).toContainText("€100.00");
  await expect(log.filter({ hasText: "deposit-reversed" })).toHaveCount(1);
  // The reversal names the deposit by its version in A's stream, the number its chip shows.
  await expect(log.filter({ hasText: "deposited €500.00" })).toContainText("account A · version 3");
  await expect(log.filter({ hasText: "deposit-reversed" })).toContainText("reversed the €500.00 deposit at version 3");
  await expect(ledger.getByRole("button", { name: "Reverse the latest deposit" })).toBeDisabled();

  await amount.fill("50");
  await ledger.getByRole("button", { name: "Deposit into A" }).click();
  await expect(rowA).toContainText("€150.00");
  await expect(crud).toContainText("Overwritten 3 times");
  await expect(log).toHaveCount(6);

  await ledger.getByRole("button", { name: "Transfer €20 from A to B" }).click();
  await ledger.getByRole("button", { name: "Transfer €20 back from B to A" }).click();
  await expect(status).toContainText("a new transfer, not an undo");
  await expect(log.filter({ hasText: /money-transferred-(out|in)/ })).toHaveCount(4);
  await expect(rowA).toContainText("€150.00");
  // The log in the order it was recorded, each transfer with an id of its own: out of A, into B,
  // then back out of B and into A.
  const transfers = log.filter({ hasText: /money-transferred-(out|in)/ });
  await expect(transfers.nth(0)).toContainText(/account A.*money-transferred-out.*T1/);
  await expect(transfers.nth(1)).toContainText(/account B.*money-transferred-in.*T1/);
  await expect(transfers.nth(2)).toContainText(/account B.*money-transferred-out.*T2/);
  await expect(transfers.nth(3)).toContainText(/account A.*money-transferred-in.*T2/);

  await ledger.getByRole("button", { name: "Reset" }).click();
  await expect(log).toHaveCount(3);
  // The field is back at the €500 the lesson's steps start from, not the €50 typed since.
  await expect(amount).toHaveValue("500");
  await ledger.getByRole("button", { name: "Transfer €20 back from B to A" }).click();
  await expect(status).toContainText("Refused by account B. Insufficient funds");
  await expect(status).toContainText("Nothing was appended");
  await expect(log).toHaveCount(3);

  await amount.fill("12.345");
  await ledger.getByRole("button", { name: "Deposit into A" }).click();
  await expect(amount).toHaveAttribute("aria-invalid", "true");
  // The status line says so too, instead of still showing the refused transfer.
  await expect(status).toContainText("Nothing was deposited");
  await expect(log).toHaveCount(3);
  await amount.fill("12,5");
  await expect(amount, "typing clears the mark").toHaveAttribute("aria-invalid", "false");
  await amount.press("Enter");
  await expect(status).toContainText("Deposited.");
  await expect(log.last()).toContainText("deposited €12.50");
});

test("the reversal question explains a wrong answer and accepts the right one", async ({ page }) => {
  await wrongThenRight(
    page,
    "corrections",
    /What is the balance after all of them\?.*DepositReversed €500/,
    { name: "€530", explains: "it takes the €500 back out" },
    "€30",
  );
});
