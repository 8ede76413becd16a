// Lesson 3 as a learner walks it: the console tour from the lesson, where every refused command
// appends nothing, then the quiz's classic question answered wrong and then right.
import { expect, test } from "@playwright/test";
import { wrongThenRight } from "./quiz";

test("the command console appends events for accepted commands and nothing for rejected ones", async ({ page }) => {
  await page.goto("/lessons/commands-and-events");
  const console = page.getByRole("region", { name: "Command console" });
  const stream = console.getByRole("list", { name: "Events of account A" }).getByRole("listitem");
  const status = console.getByRole("status");
  const deposit = console.getByLabel("Amount to deposit (€)");
  const withdraw = console.getByLabel("Amount to withdraw (€)");
  const balance = console.getByLabel("Balance read model");
  // What the decider said, newest first.
  const latest = console.getByRole("list", { name: "What the decider said" }).getByRole("listitem").first();

  // Text that is no amount is not sent: the field says why, and so does the status line.
  await deposit.fill("");
  await console.getByRole("button", { name: "Deposit" }).click();
  await expect(status).toHaveText("DepositMoney was not sent: enter an amount of euros, like 12, 12.5 or 12.50.");

  // 1. A deposit before the account is opened.
  await deposit.fill("10");
  await console.getByRole("button", { name: "Deposit" }).click();
  await expect(latest).toContainText("account-not-open");
  await expect(status).toContainText("Nothing was appended");
  await expect(stream).toHaveCount(0);

  // 2. Open, then deposit €50.
  await console.getByRole("button", { name: "Open account" }).click();
  await deposit.fill("50");
  await deposit.press("Enter");
  await expect(stream).toHaveCount(2);
  await expect(latest).toContainText("money-deposited");
  await expect(balance).toContainText("€50.00");

  // 3. Withdraw €0, then €80.
  await withdraw.fill("0");
  await console.getByRole("button", { name: "Withdraw" }).click();
  await expect(latest).toContainText("The amount must be more than zero.");
  await withdraw.fill("80");
  await console.getByRole("button", { name: "Withdraw" }).click();
  await expect(latest).toContainText("Insufficient funds: the balance is €50.00, less than the €80.00 asked for.");
  await expect(latest).toContainText("Nothing appended: the stream stays at version 2.");

  // 4. Close while it holds €50, then withdraw it and close.
  await console.getByRole("button", { name: "Close account" }).click();
  await expect(latest).toContainText("balance-not-zero");
  await expect(stream).toHaveCount(2);
  await expect(balance).toContainText("€50.00");

  await withdraw.fill("ten");
  await console.getByRole("button", { name: "Withdraw" }).click();
  await expect(withdraw).toHaveAccessibleDescription(/is not an amount of euros/);
  await expect(withdraw).toHaveAttribute("aria-invalid", "true");

  await withdraw.fill("50");
  await console.getByRole("button", { name: "Withdraw" }).click();
  await console.getByRole("button", { name: "Close account" }).click();
  await expect(stream).toHaveCount(4);
  await expect(balance).toContainText("account A closed");

  // 5. A deposit to the closed account.
  await console.getByRole("button", { name: "Deposit" }).click();
  await expect(latest).toContainText("account-closed");
  await expect(stream).toHaveCount(4);

  await console.getByRole("button", { name: "Reset" }).click();
  await expect(stream).toHaveCount(0);
});

test("the past-tense question explains a wrong answer and accepts the right one", async ({ page }) => {
  await wrongThenRight(page, "commands-and-events", /Why must events be stored in the past tense/, { name: /only a naming convention/, explains: "the tense is a promise about what the record is" }, /already happened/);
});
