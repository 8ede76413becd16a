// The sandbox bank: each command is a form (Enter sends it), transfers run the transfer process,
// bad ids are refused at the field, a second tab follows the first without being touched, an
// event this version cannot read is left out and said, and a start over it missed is followed.
import { expect, test, type Page } from "@playwright/test";
import { clickAt } from "./together";
import { layoutKeys, replaceStorage, stored } from "../../bench/seed-log.mjs";

test("Enter in an amount sends that field's command, and the event is listed with its stream and version", async ({ page }) => {
  await page.goto("/sandbox");
  await expect(page.getByText("No accounts yet")).toBeVisible();
  await page.getByRole("button", { name: "Open account" }).click();
  const withdraw = page.getByLabel("Amount to withdraw (€)");
  await withdraw.fill("5");
  await withdraw.press("Enter");
  await expect(page.getByRole("status")).toContainText("WithdrawMoney €5.00 on A: rejected.");
  const deposit = page.getByLabel("Amount to deposit (€)");
  await deposit.fill("40");
  await deposit.press("Enter");
  await expect(page.getByRole("status")).toHaveText("DepositMoney €40.00 on A: accepted. Appended money-deposited to account-A as version 2.");
  const events = page.getByRole("list", { name: "Latest events" }).getByRole("listitem");
  await expect(events).toHaveCount(2);
  await expect(events.last()).toContainText("account-A · version 2");
  await expect(events.last()).toContainText("deposited €40.00");
  await expect(page.getByRole("row", { name: /^A €40\.00 open$/ })).toBeVisible();
});

test("a transfer is credited by the process, or refunded when the other account was never opened", async ({ page }) => {
  await page.goto("/sandbox");
  await page.getByRole("button", { name: "Open account" }).click();
  await page.getByLabel("Amount to deposit (€)").fill("50");
  await page.getByRole("button", { name: "Deposit" }).click();

  await page.getByLabel("Amount to transfer (€)").fill("15");
  await page.getByRole("button", { name: "Transfer" }).click();
  const status = page.getByRole("status");
  await expect(status).toContainText("TransferMoney €15.00 from A to B: accepted. Appended money-transferred-out to account-A as version 3.");
  await expect(status).toContainText("The transfer process then appended transfer-refunded to account-A as version 4.");
  await expect(page.getByRole("row", { name: /^A €50\.00 open$/ })).toBeVisible();

  await page.getByLabel("Account", { exact: true }).fill("B");
  await page.getByRole("button", { name: "Open account" }).click();
  await page.getByLabel("Account", { exact: true }).fill("A");
  await page.getByLabel("To account").fill("B");
  await page.getByLabel("Amount to transfer (€)").press("Enter");
  await expect(status).toContainText("The transfer process then appended money-transferred-in to account-B as version 2.");
  await expect(page.getByRole("row", { name: /^A €35\.00 open$/ })).toBeVisible();
  await expect(page.getByRole("row", { name: /^B €15\.00 open$/ })).toBeVisible();
  const events = page.getByRole("list", { name: "Latest events" }).getByRole("listitem");
  await expect(events.last()).toContainText("received €15.00 from A (transfer T2)");
});

test("an id that is not an account id is refused at its field, and nothing is appended", async ({ page }) => {
  await page.goto("/sandbox");
  const account = page.getByLabel("Account", { exact: true });
  await account.fill("no/slashes");
  await page.getByRole("button", { name: "Open account" }).click();
  await expect(account).toHaveAttribute("aria-invalid", "true");
  await expect(account).toHaveAccessibleDescription("An account id is 1 to 16 of the letters A to Z (or a to z), digits, spaces, - or _, not starting or ending with a space.");
  await expect(page.getByRole("status")).toHaveText("OpenAccount was not sent: the Account field holds “no/slashes”, which is not an account id.");
  await expect(page.getByText("Nothing appended yet.")).toBeVisible();

  await account.fill("A");
  await expect(account).toHaveAttribute("aria-invalid", "false");
  await account.press("Enter");
  await expect(page.getByRole("status"), "Enter in the Account field opens it").toContainText("OpenAccount on A: accepted");
  const to = page.getByLabel("To account");
  await to.fill("");
  await account.fill("bad!");
  await page.getByRole("button", { name: "Transfer" }).click();
  await expect(to, "both wrong fields are marked at once").toHaveAttribute("aria-invalid", "true");
  await expect(account).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("list", { name: "Latest events" }).getByRole("listitem")).toHaveCount(1);

  // Ids are taken as typed: `a` is not A, and the refusal names the account the learner sees.
  await account.fill("a");
  await page.getByLabel("Amount to deposit (€)").fill("5");
  await page.getByRole("button", { name: "Deposit" }).click();
  await expect(page.getByRole("status")).toContainText("This account has not been opened yet: open it first. Account ids are taken as typed: did you mean A?");
});

test("a second tab shows the first tab's accounts without a command of its own", async ({ context }) => {
  const first = await context.newPage();
  const second = await context.newPage();
  await second.goto("/sandbox");
  await expect(second.getByText("No accounts yet")).toBeVisible();
  await first.goto("/sandbox");
  await first.getByRole("button", { name: "Open account" }).click();
  await first.getByLabel("Amount to deposit (€)").fill("7");
  await first.getByRole("button", { name: "Deposit" }).click();
  await expect(second.getByRole("row", { name: /^A €7\.00 open$/ })).toBeVisible({ timeout: 5_000 });

  // Starting over in the first tab empties the second's bank too.
  await first.goto("/log");
  await first.getByRole("button", { name: "Start over" }).click();
  await first.getByRole("button", { name: "Delete everything and start over" }).click();
  await expect(second.getByText("No accounts yet")).toBeVisible({ timeout: 5_000 });
  await expect(second.getByRole("status")).toHaveText("Another tab started the log over or replaced it: this bank now shows what the log holds.");

  // An account opened at once on the new log stays, though the old log had one of the same name:
  // the tab that started over undoes only its old events coming back.
  await second.getByRole("button", { name: "Open account" }).click();
  await expect(second.getByRole("row", { name: /^A €0\.00 open$/ })).toBeVisible();
  await expect(first.getByRole("table").getByRole("row").filter({ hasText: "account-opened" })).toHaveCount(1, { timeout: 5_000 });
  // Past `ERASED_FOR_MS` (src/learner/journal.rs), while which the tab that started over undoes
  // its old events coming back: the account must outlive it.
  await first.waitForTimeout(2_500);
  await second.reload();
  await expect(second.getByRole("row", { name: /^A €0\.00 open$/ })).toBeVisible();
});

test("two tabs withdrawing at the same moment never overdraw: one withdrawal is refused", async ({ context }) => {
  const [first, second] = [await context.newPage(), await context.newPage()];
  await accountAWith(first, 5);
  await second.goto("/sandbox");
  await expect(second.getByRole("row", { name: /^A €5\.00 open$/ })).toBeVisible();
  await first.getByLabel("Amount to withdraw (€)").fill("4");
  await second.getByLabel("Amount to withdraw (€)").fill("3");
  // Both at once: each tab decides on its own copy of the log, in which €5.00 is there to take.
  const when = Date.now() + 300;
  await Promise.all([first, second].map((page) => clickAt(page.getByRole("button", { name: "Withdraw" }), when)));
  // Whichever the browser kept, the other was decided again on the balance left, and refused.
  const refused = /WithdrawMoney €[34]\.00 on A(: rejected\.| was rejected this time\.) Insufficient funds/;
  await expect.poll(async () => (await first.getByRole("status").textContent()) + " | " + (await second.getByRole("status").textContent()), { timeout: 5_000 }).toMatch(refused);
  const third = await context.newPage();
  await third.goto("/sandbox");
  const left = third.getByRole("row", { name: /^A €[12]\.00 open$/ });
  await expect(left).toBeVisible();
  const shown = await left.textContent();
  for (const page of [first, second]) await expect(page.getByRole("row", { name: /^A / })).toHaveText(shown ?? "");
});

test("a withdrawal another tab's write replaced is decided again, and refused on what is left", async ({ page }) => {
  await accountAWith(page, 5);
  await page.getByLabel("Amount to withdraw (€)").fill("4");
  await page.getByRole("button", { name: "Withdraw" }).click();
  await expect(page.getByRole("row", { name: /^A €1\.00 open$/ })).toBeVisible();
  // What a race leaves: another tab, deciding on a copy without this withdrawal, withdrew €3.00
  // at the same version, and the browser kept its write. Writing from the page fires no storage
  // event, so the test sends the one the other tab's write would have.
  await page.evaluate(() => {
    const key = "foldlab/v1/seg/0";
    const segment = JSON.parse(localStorage.getItem(key));
    const withdrawal = segment.pop();
    segment.push({ ...withdrawal, id: "otherTab/A/3", data: { ...withdrawal.data, amount: 300 } });
    localStorage.setItem(key, JSON.stringify(segment));
    window.dispatchEvent(new StorageEvent("storage", { key, newValue: localStorage.getItem(key), storageArea: localStorage }));
  });
  await expect(page.getByRole("status")).toHaveText(
    "Another tab wrote to the log at the same moment as this one, from a copy that had not yet seen this tab's latest events, " +
      "and the browser kept that tab's write. So this tab decided its command again, on the log as it is now. " +
      "WithdrawMoney €4.00 on A was rejected this time. Insufficient funds: the balance is €2.00, less than the €4.00 asked for. Nothing was appended.",
  );
  await expect(page.getByRole("row", { name: /^A €2\.00 open$/ })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("row", { name: /^A €2\.00 open$/ })).toBeVisible();
});

/** Opens the sandbox, then account A with `euros` (whole euros) in it. */
async function accountAWith(page: Page, euros: number) {
  await page.goto("/sandbox");
  await page.getByRole("button", { name: "Open account" }).click();
  await page.getByLabel("Amount to deposit (€)").fill(String(euros));
  await page.getByRole("button", { name: "Deposit" }).click();
  await expect(page.getByRole("row", { name: new RegExp(`^A €${euros}\\.00 open$`) })).toBeVisible();
}

test("an account event this version cannot read is left out of the balances, said so, and its account takes no commands", async ({ page }) => {
  await accountAWith(page, 40);
  // A newer version of the course, in another tab, appended an event type this one does not know.
  await page.evaluate(() => {
    const meta = JSON.parse(localStorage.getItem("foldlab/v1/meta"));
    const segment = JSON.parse(localStorage.getItem("foldlab/v1/seg/0"));
    const last = segment[segment.length - 1];
    segment.push({ ...last, id: "newer/A/3", version: 3, position: meta.head + 1, type: "account-frozen", schema: 1, data: { until: "2027" } });
    localStorage.setItem("foldlab/v1/seg/0", JSON.stringify(segment));
    localStorage.setItem("foldlab/v1/meta", JSON.stringify({ ...meta, head: meta.head + 1 }));
  });
  await page.reload();
  await expect(page.getByText("Left out of these balances: 1 event this version of the course cannot read")).toContainText('on account A: "account-frozen" is not a known event type.');
  // A freeze, say, would forbid a deposit: nothing is decided on what is left of A's history.
  await page.getByLabel("Amount to deposit (€)").fill("2");
  await page.getByRole("button", { name: "Deposit" }).click();
  await expect(page.getByRole("status")).toContainText("A takes no commands");
  await expect(page.getByRole("row", { name: /^A €40\.00 open$/ })).toBeVisible();
  // Other accounts are whole, and work as before.
  await page.getByLabel("Account", { exact: true }).fill("B");
  await page.getByRole("button", { name: "Open account" }).click();
  await expect(page.getByRole("status")).toContainText("Appended account-opened to account-B as version 1.");
});

test("a command after another tab started the log over unseen goes to the new log", async ({ page }) => {
  await accountAWith(page, 40);
  // Written from this page, so no storage event tells the app: as if it had missed the news.
  await page.evaluate(() => {
    localStorage.clear();
    localStorage.setItem("foldlab/v1/meta", JSON.stringify({ schema: 1, head: 0 }));
  });
  await page.getByRole("button", { name: "Open account" }).click();
  await expect(page.getByRole("status")).toHaveText("OpenAccount on A: accepted. Appended account-opened to account-A as version 1.");
  await expect(page.getByRole("row", { name: /^A €0\.00 open$/ })).toBeVisible();
});

test("a transfer left in flight is shown while it cannot settle, and settled when the sandbox opens again", async ({ page }) => {
  // While "full" is set for this tab, the course's writes are refused, as by a full storage.
  await page.addInitScript(() => {
    const write = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key: string, value: string) {
      if (this === localStorage && sessionStorage.getItem("full") === "yes") throw new DOMException("full", "QuotaExceededError");
      return write.call(this, key, value);
    };
  });
  await accountAWith(page, 40);
  // The transfer out was stored, then the page closed before the process ran (or could not write).
  await page.evaluate(() => {
    const meta = JSON.parse(localStorage.getItem("foldlab/v1/meta"));
    const segment = JSON.parse(localStorage.getItem("foldlab/v1/seg/0"));
    const last = segment[segment.length - 1];
    segment.push({ ...last, id: "left/A/3", version: 3, position: meta.head + 1, type: "money-transferred-out", schema: 1, data: { transfer: "T9", to: "B", amount: 1500 } });
    localStorage.setItem("foldlab/v1/seg/0", JSON.stringify(segment));
    localStorage.setItem("foldlab/v1/meta", JSON.stringify({ ...meta, head: meta.head + 1 }));
    sessionStorage.setItem("full", "yes");
  });
  await page.reload();
  await expect(page.getByRole("row", { name: /^A €25\.00 open$/ })).toBeVisible();
  await expect(page.getByText("In flight, not yet credited or refunded: €15.00 from A to B (transfer T9).")).toBeVisible();

  await page.evaluate(() => sessionStorage.removeItem("full"));
  await page.reload();
  // B was never opened: the process refunds A as the sandbox opens.
  await expect(page.getByRole("row", { name: /^A €40\.00 open$/ })).toBeVisible();
  await expect(page.getByText(/In flight/)).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Latest events" })).toContainText("transfer-refunded");
});

test("a sandbox back from the back-forward cache reads the log afresh and says it changed", async ({ page }) => {
  await page.goto("/sandbox");
  await page.getByRole("button", { name: "Open account" }).click();
  await expect(page.getByRole("row", { name: /^A €0\.00 open$/ })).toBeVisible();
  // Another tab started over while this page was away; writing localStorage from the page
  // itself fires no storage event, so only the return can tell.
  await replaceStorage(page, layoutKeys([stored(1, "lesson-opened", { lesson: "fold" })]));
  await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent("pageshow", { persisted: true })));
  await expect(page.getByRole("status")).toHaveText("The log changed in another tab while you were away: this bank now shows what it holds.");
  await expect(page.getByText("No accounts yet")).toBeVisible();
});
