// Lesson 2 as a learner walks it: one new event moves every read model at once, large withdrawals
// are flagged until the decider refuses one, a transfer feeds each model, a rebuild from scratch
// matches the live models; then the largest-deposit question.
import { expect, test, type Locator } from "@playwright/test";
import { wrongThenRight } from "./quiz";

test("one log feeds four read models, refusals append nothing, and a rebuild matches", async ({ page }) => {
  await page.goto("/lessons/projections");
  const board = page.getByRole("region", { name: "One log, four read models" });
  const status = board.getByRole("status");
  const panel = (name: string) => board.getByRole("region", { name });
  const row = (table: Locator, name: string) => table.getByRole("row", { name: new RegExp(`^${name}`) });
  const balances = panel("Balances");
  const flags = panel("Large withdrawal flags").getByRole("listitem");
  const allEvents = row(panel("Events by type"), "All events");

  await expect(row(balances, "Account A")).toContainText("€2,500.00");
  const before = Number((await allEvents.getByRole("cell").textContent()) ?? "0");

  await board.getByRole("button", { name: "Deposit €120 into A" }).click();
  await expect(status).toContainText("appended money-deposited");
  await expect(row(balances, "Account A")).toContainText("€2,620.00");
  await expect(allEvents).toContainText(String(before + 1));
  await expect(panel("Monthly statement")).toContainText("Money in");
  // Each event shows its day, so the statement's month can be checked against the events in it.
  const newest = board.getByRole("list", { name: "Events in global order" }).getByRole("listitem").last();
  await expect(newest).toContainText(/^event #\d+ · account A · \d{1,2} (Jan|Feb)money-deposited/);

  await expect(flags).toHaveCount(0);
  await board.getByRole("button", { name: "Withdraw €1,500 from B" }).click();
  await expect(flags).toHaveCount(1);
  await board.getByRole("button", { name: "Withdraw €1,500 from B" }).click();
  await expect(flags).toHaveCount(2);
  await expect(row(balances, "Account B")).toContainText("€1,000.00");
  await board.getByRole("button", { name: "Withdraw €1,500 from B" }).click();
  await expect(status).toContainText("refused");
  await expect(status).toContainText("Nothing was appended");
  await expect(flags).toHaveCount(2);
  await expect(row(balances, "Account B")).toContainText("€1,000.00");
  await expect(allEvents).toContainText(String(before + 3));

  await board.getByRole("button", { name: "Transfer €30 from A to B" }).click();
  await expect(status).toContainText("money-transferred-out and money-transferred-in");
  await expect(row(balances, "Account A")).toContainText("€2,590.00");
  await expect(row(balances, "Account B")).toContainText("€1,030.00");
  await expect(row(balances, "Money in the bank")).toContainText("€3,620.00");

  await board.getByRole("button", { name: "Rebuild from scratch" }).click();
  await expect(status).toContainText("they came out identical");
  // Each read model says so, where the learner is looking, until the next event.
  const verdicts = board.getByText("✓ Rebuilt: the same");
  await expect(verdicts).toHaveCount(4);
  await expect(board.getByRole("region", { name: "Events by type" })).toContainText("✓ Rebuilt: the same");

  // The log's list shows the newest events only (it holds more than eight by now), and says so.
  const listed = board.getByRole("list", { name: "Events in global order" }).getByRole("listitem");
  const heading = board.getByRole("heading", { name: /^The log: the newest 8 of its \d+ events \(newest last\)$/ });
  const length = Number(((await heading.textContent()) ?? "").match(/of its (\d+)/)?.[1]);
  expect(length).toBeGreaterThan(8);
  await board.getByRole("button", { name: "Deposit €120 into A" }).click();
  await expect(heading).toHaveText(`The log: the newest 8 of its ${length + 1} events (newest last)`);
  await expect(verdicts, "a new event makes the rebuild's verdict old news").toHaveCount(0);
  await expect(listed).toHaveCount(8);
});

test("the largest-deposit question explains a wrong answer and accepts the right one", async ({ page }) => {
  await wrongThenRight(
    page,
    "projections",
    /What does the "largest deposit" read model hold/,
    { name: "€800", explains: "belongs to a withdrawal" },
    "€700",
  );
});

test("on a phone the read models come right under the buttons, before the log's cards", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 800 });
  await page.goto("/lessons/projections");
  const board = page.getByRole("region", { name: "One log, four read models" });
  const balances = await board.getByRole("region", { name: "Balances" }).boundingBox();
  const log = await board.getByRole("list", { name: "Events in global order" }).boundingBox();
  expect(balances && log && balances.y < log.y, "the balances above the log").toBe(true);
});
