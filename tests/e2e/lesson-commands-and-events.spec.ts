// Lesson 3 as a learner walks it: the console tour from the lesson, where every refused command
// appends nothing, then the quiz's classic question answered wrong and then right.
import { expect, test } from "@playwright/test";
import { wrongThenRight } from "./quiz";

test("the command console appends events for accepted commands and nothing for rejected ones", async ({ page }) => {
  await page.goto("/lessons/commands-and-events");
  const console = page.getByRole("region", { name: "Command console" });
  const stream = console.getByRole("list", { name: "Events of account A" });
  const status = console.getByRole("status");
  const amount = console.getByLabel("Amount (€)");
  const balance = console.getByLabel("Balance read model");

  await amount.fill("10");
  await console.getByRole("button", { name: "Deposit" }).click();
  await expect(status).toContainText("rejected");
  await expect(status).toContainText("Nothing was appended");
  await expect(stream.getByRole("listitem")).toHaveCount(0);

  await console.getByRole("button", { name: "Open account" }).click();
  await amount.fill("50");
  await console.getByRole("button", { name: "Deposit" }).click();
  await expect(stream.getByRole("listitem")).toHaveCount(2);
  await expect(balance).toContainText("€50.00");

  for (const refused of ["0", "80"]) {
    await amount.fill(refused);
    await console.getByRole("button", { name: "Withdraw" }).click();
    await expect(status).toContainText("rejected");
  }
  await expect(status).toContainText("Insufficient funds");
  await console.getByRole("button", { name: "Close account" }).click();
  await expect(status).toContainText("rejected");
  await expect(stream.getByRole("listitem")).toHaveCount(2);

  await amount.fill("ten");
  await console.getByRole("button", { name: "Withdraw" }).click();
  await expect(console.locator(".inline-error")).toContainText("is not an amount of euros");

  await amount.fill("50");
  await console.getByRole("button", { name: "Withdraw" }).click();
  await console.getByRole("button", { name: "Close account" }).click();
  await expect(stream.getByRole("listitem")).toHaveCount(4);
  await expect(balance).toContainText("account closed");
  await console.getByRole("button", { name: "Deposit" }).click();
  await expect(status).toContainText("rejected");
  await expect(stream.getByRole("listitem")).toHaveCount(4);
});

test("the past-tense question explains a wrong answer and accepts the right one", async ({ page }) => {
  await wrongThenRight(page, "commands-and-events", /Why must events be stored in the past tense/, { name: /only a naming convention/, explains: "the tense is a promise about what the record is" }, /already happened/);
});
