// The learner's log in localStorage: answers survive a reload, two tabs see each other's progress,
// a full or damaged storage and an older schema have a defined outcome that keeps the page working,
// and the log can be exported, imported into a fresh browser, and started over.
import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { layoutKeys, replaceStorage, stored } from "../../bench/seed-log.mjs";
import { clickAt } from "./together";

async function answerFirstFoldQuestion(page) {
  const question = page.getByRole("group", { name: /What is the balance after event 4/ });
  await question.getByRole("radio", { name: "€60", exact: true }).check();
  await question.getByRole("button", { name: "Check" }).click();
  await expect(question.getByRole("status")).toHaveText("Right.");
  return question;
}

test("a quiz answer and the lesson's status survive a reload", async ({ page }) => {
  await page.goto("/lessons/fold");
  await answerFirstFoldQuestion(page);
  await page.reload();
  const question = page.getByRole("group", { name: /What is the balance after event 4/ });
  await expect(question.getByRole("radio", { name: "€60", exact: true })).toBeChecked();
  await expect(question.getByRole("status")).toHaveText("Right.");
  await page.goto("/");
  await expect(page.getByRole("listitem").filter({ hasText: "The log is the source of truth" })).toContainText("In progress");
  await page.goto("/log");
  await expect(page.getByRole("heading", { level: 1, name: "Your event log" })).toBeVisible();
  await expect(page.getByRole("table")).toContainText("quiz-answered");
  // Times name their month, so no reader takes the 2nd of December for the 12th of February.
  await expect(page.getByRole("cell").filter({ hasText: /^\d{1,2} [A-Z][a-z]{2,3} \d{4}, \d{2}:\d{2}:\d{2}$/ }).first()).toBeVisible();
  // The replay is the log's; lesson 8's upcaster demo stays in lesson 8.
  await expect(page.getByRole("heading", { name: "Your own log, replayed" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "An old event, read with today's code" })).toHaveCount(0);
});

test("on /log a saved draft's whole program is folded behind its beginning, and opens on request", async ({ page }) => {
  await page.goto("/lessons/fold");
  const code = page.getByRole("textbox", { name: "Code" });
  const program = "fn evolve(state, event) {\n    // a program long enough to fold away on the log page,\n    // as the exercises' programs are,\n    // one line after another\n    state\n}\n";
  await code.fill(program);
  await code.press("Escape");
  await page.keyboard.press("Tab");
  await page.goto("/log");
  const row = page.getByRole("row").filter({ hasText: "draft-saved" });
  await expect(row).toHaveCount(1);
  const folded = row.getByRole("group");
  await expect(folded).toContainText("…");
  await expect(folded.getByText("one line after another")).toBeHidden();
  await folded.getByText(/…$/).click();
  await expect(folded.getByText(/one line after another/)).toBeVisible();
  // Short data stays in full, with nothing to open.
  await expect(page.getByRole("row").filter({ hasText: "lesson-opened" }).first().getByRole("group")).toHaveCount(0);
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

test("two tabs answering at the same moment both keep their answers", async ({ context }) => {
  // Each tab has its own copy of localStorage and hears the other's writes tens of ms later: two
  // answers given together are written at the same position, and the browser keeps one write.
  const [first, second] = [await context.newPage(), await context.newPage()];
  for (const page of [first, second]) await page.goto("/lessons/fold");
  const balance = first.getByRole("group", { name: /What is the balance after event 4/ });
  const cache = second.getByRole("group", { name: /Which number is the account's real balance/ });
  await balance.getByRole("radio", { name: "€60", exact: true }).check();
  await cache.getByRole("radio", { name: "€35, the result of the fold" }).check();
  const when = Date.now() + 300;
  await Promise.all([clickAt(balance.getByRole("button", { name: "Check" }), when), clickAt(cache.getByRole("button", { name: "Check" }), when)]);
  await expect(balance.getByRole("status")).toHaveText("Right.");
  await expect(cache.getByRole("status")).toHaveText("Right.");
  // Each tab shows both answers once it has heard the other, and so does the stored log.
  const third = await context.newPage();
  for (const page of [first, second, third]) {
    await page.goto("/log");
    await expect(page.getByRole("table").getByRole("row").filter({ hasText: "quiz-answered" })).toHaveCount(2, { timeout: 5_000 });
  }
});

/** Writes, behind the app's back, another tab's event (lesson "snapshots" completed) where the
 * latest answer was; `torn` also leaves a meta record one event past what the segment holds, as a
 * write torn by another tab's can. Writing from the page fires no storage event, so this sends the
 * one the other tab's write would have. */
async function overwriteAnswer(page, { torn }) {
  await page.evaluate((torn) => {
    const key = "foldlab/v1/seg/0";
    const segment = JSON.parse(localStorage.getItem(key));
    const answer = segment.pop();
    segment.push({ ...answer, id: "other-tab-1", type: "lesson-completed", schema: 1, data: { lesson: "snapshots" } });
    localStorage.setItem(key, JSON.stringify(segment));
    if (torn) localStorage.setItem("foldlab/v1/meta", JSON.stringify({ schema: 1, head: segment.length + 1 }));
    const changed = torn ? "foldlab/v1/meta" : key;
    window.dispatchEvent(new StorageEvent("storage", { key: changed, newValue: localStorage.getItem(changed), storageArea: localStorage }));
  }, torn);
}

// What a race leaves: another tab, not yet aware of the answer, wrote its own event at the
// answer's position; or, where the browser applied the two tabs' keys in turn (a torn write), that
// segment with a meta record from a write of one event more, so the log no longer reads.
for (const torn of [false, true]) {
  const title = torn
    ? "an answer in a write another tab's write tore is kept: the log is mended and the answer written again"
    : "an answer another tab's write replaced is written again";
  test(title, async ({ page }) => {
    await page.goto("/lessons/fold");
    await answerFirstFoldQuestion(page);
    await overwriteAnswer(page, { torn });
    await expect(page.getByRole("alert")).toHaveCount(0);
    await page.reload();
    await expect(page.getByRole("alert")).toHaveCount(0);
    await expect(page.getByRole("group", { name: /What is the balance after event 4/ }).getByRole("status")).toHaveText("Right.");
    await page.goto("/");
    await expect(page.getByRole("listitem").filter({ hasText: "Snapshots" })).toContainText("Done");
    // Nothing was deleted: what did not read as a log is kept aside, saying what happened.
    await page.goto("/log");
    const aside = page.getByRole("region", { name: "Damaged data, set aside" });
    if (torn) await expect(aside).toContainText("two tabs writing at the same moment");
    else await expect(aside).toHaveCount(0);
  });
}

test("an answer given in one tab shows in another tab open on the same lesson", async ({ context }) => {
  const [first, second] = [await context.newPage(), await context.newPage()];
  for (const page of [first, second]) await page.goto("/lessons/fold");
  await expect(second.getByRole("group", { name: /What is the balance after event 4/ }).getByRole("radio", { name: "€60", exact: true })).not.toBeChecked();
  await answerFirstFoldQuestion(first);
  const there = second.getByRole("group", { name: /What is the balance after event 4/ });
  await expect(there.getByRole("radio", { name: "€60", exact: true })).toBeChecked({ timeout: 5_000 });
  await expect(there.getByRole("status")).toHaveText("Right.");
});

test("the fold stepper's own list, kept in one tab, shows in another; a start over brings the example back", async ({ context }) => {
  const [first, second] = [await context.newPage(), await context.newPage()];
  for (const page of [first, second]) await page.goto("/lessons/fold");
  const events = (page) => page.getByRole("region", { name: "Fold stepper" }).getByRole("list", { name: "Events of account A" }).getByRole("listitem");
  await expect(events(second)).toHaveCount(4);
  await first.getByRole("region", { name: "Fold stepper" }).getByRole("button", { name: "Remove event 4" }).click();
  // Kept once the clicks pause, then followed by the other tab, which had changed nothing.
  await expect(events(second)).toHaveCount(3, { timeout: 5_000 });
  await expect(second.getByText("Your own list, kept in your log.")).toBeVisible();
  await first.goto("/log");
  await first.getByRole("button", { name: "Start over" }).click();
  await first.getByRole("button", { name: "Delete everything and start over" }).click();
  await expect(events(second)).toHaveCount(4, { timeout: 5_000 });
  await expect(second.getByText("Your own list, kept in your log.")).toBeHidden();
});

/** Fills every byte of localStorage left (other sites' data, say): big pieces first, then
 * smaller ones into what is left, under keys `filler/<n>`. */
async function fillStorage(page) {
  await page.evaluate(() => {
    let i = 0;
    for (const size of [100_000, 1_000, 10, 1]) {
      const filler = "x".repeat(size);
      for (;;) {
        try { localStorage.setItem(`filler/${i++}`, filler); } catch { break; }
      }
    }
  });
}

test("a torn log this tab has no room to mend says so until the log reads again", async ({ page }) => {
  await page.goto("/lessons/fold");
  await answerFirstFoldQuestion(page);
  // Another tab's write tore the log (a head one past what is stored), and the storage is full,
  // so this tab cannot copy the damage aside to mend it.
  const meta = "foldlab/v1/meta";
  const head = await page.evaluate((meta) => JSON.parse(localStorage.getItem(meta)).head, meta);
  const tell = (head: number) => page.evaluate(([meta, head]) => {
    localStorage.setItem(meta as string, JSON.stringify({ schema: 1, head }));
    window.dispatchEvent(new StorageEvent("storage", { key: meta as string, newValue: localStorage.getItem(meta as string), storageArea: localStorage }));
  }, [meta, head]);
  await page.evaluate(([meta, head]) => localStorage.setItem(meta as string, JSON.stringify({ schema: 1, head })), [meta, head + 1]);
  await fillStorage(page);
  await tell(head + 1);
  await expect(page.getByRole("alert")).toContainText("Another tab's progress could not be read");
  // The other tab mends it (it had the room): the notice goes once the log reads again.
  await tell(head);
  await expect(page.getByRole("alert")).toHaveCount(0);
  await expect(page.getByRole("group", { name: /What is the balance after event 4/ }).getByRole("status")).toHaveText("Right.");
});

test("a full storage says so, changes nothing stored, and the page keeps working", async ({ page }) => {
  await page.goto("/lessons/fold");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await fillStorage(page);
  const before = await page.evaluate(() => [localStorage.getItem("foldlab/v1/meta"), localStorage.getItem("foldlab/v1/seg/0")]);
  await answerFirstFoldQuestion(page);
  await expect(page.getByRole("alert")).toContainText("could not be saved");
  const after = await page.evaluate(() => [localStorage.getItem("foldlab/v1/meta"), localStorage.getItem("foldlab/v1/seg/0")]);
  expect(after).toEqual(before);
});

test("what a full storage refused is saved with the next step once there is room, and survives a reload", async ({ page }) => {
  await page.goto("/lessons/fold");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await fillStorage(page);
  await answerFirstFoldQuestion(page);
  await expect(page.getByRole("alert")).toContainText("could not be saved");
  // The learner makes room (other data goes), then takes the next step: the theme, say.
  await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith("filler/")).forEach((key) => localStorage.removeItem(key)));
  await page.getByRole("button", { name: "Dark theme" }).click();
  await expect(page.getByRole("alert")).toContainText("Saved after all");
  await page.reload();
  const question = page.getByRole("group", { name: /What is the balance after event 4/ });
  await expect(question.getByRole("status")).toHaveText("Right.");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
});

/** Writes a log of `events` straight into localStorage, with `extra` keys beside it. */
async function seed(page, events: object[], extra: Record<string, string> = {}) {
  // Only once the app has opened the log it found: an app still starting would open the seeded
  // log itself, set its damage aside before the test's reload, and the reload would find it mended.
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await replaceStorage(page, { ...layoutKeys(events), ...extra });
}

test("a damaged log keeps the events before the damage, sets the rest aside and offers it for download", async ({ page }) => {
  await page.goto("/");
  const events = [stored(1, "lesson-opened", { lesson: "fold" }, 2)];
  for (let p = 2; p <= 55; p++) events.push(stored(p, "theme-chosen", { theme: p % 2 ? "dark" : "light" }));
  const broken = "[{\"id\": \"seed-51\", \"this is not";
  await seed(page, events, { "foldlab/v1/seg/1": broken });
  await page.reload();

  const alert = page.getByRole("alert");
  await expect(alert).toContainText("damaged");
  await expect(alert).toContainText("The 50 events before the damage were kept");
  await expect(page.getByRole("listitem").filter({ hasText: "The log is the source of truth" })).toContainText("In progress");

  await alert.getByRole("link", { name: "Open your event log" }).click();
  const aside = page.getByRole("region", { name: "Damaged data, set aside" });
  await expect(aside).toContainText("segment 1");
  const download = page.waitForEvent("download");
  await aside.getByRole("button", { name: "Download the damaged data" }).click();
  const file = await download;
  const saved = JSON.parse(readFileSync(await file.path(), "utf8"));
  expect(saved.keys["foldlab/v1/seg/1"]).toBe(broken);

  // Once downloaded, the damaged data can be deleted, and the notice does not come back.
  page.once("dialog", (dialog) => dialog.accept());
  await aside.getByRole("button", { name: "Delete it" }).click();
  await expect(aside).toBeHidden();
  await page.reload();
  await expect(page.getByRole("alert")).toHaveCount(0);
});

test("a damaged log with no room to set it aside runs in memory until a start over deletes it", async ({ page }) => {
  await page.goto("/");
  const events = [stored(1, "lesson-opened", { lesson: "fold" }, 2)];
  for (let p = 2; p <= 55; p++) events.push(stored(p, "theme-chosen", { theme: p % 2 ? "dark" : "light" }));
  await seed(page, events, { "foldlab/v1/seg/1": "[{\"id\": \"seed-51\", \"this is not" });
  // Other sites' data, say, fills the rest: not even the damaged part can be copied aside.
  await fillStorage(page);
  await page.reload();
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("Your saved progress is damaged");
  await expect(alert).toContainText("no room to set the damaged part aside");
  await alert.getByRole("link", { name: "Open your event log" }).click();
  // What is stored can be downloaded as it is before it goes.
  const stranded = page.getByRole("region", { name: "Damaged data, not set aside" });
  const download = page.waitForEvent("download");
  await stranded.getByRole("button", { name: "Download the damaged log" }).click();
  const saved = JSON.parse(readFileSync(await (await download).path(), "utf8"));
  expect(saved.keys["foldlab/v1/seg/1"]).toBe("[{\"id\": \"seed-51\", \"this is not");
  expect(saved.reason).toContain("no room to set the damaged part aside");
  await page.getByRole("button", { name: "Start over" }).click();
  await page.getByRole("button", { name: "Delete everything and start over" }).click();
  await expect(page.getByRole("alert")).toHaveCount(0);
  await expect(stranded).toHaveCount(0);
  expect(await page.evaluate(() => localStorage.getItem("foldlab/v1/seg/1")), "the damaged log is gone").toBeNull();
  await page.goto("/lessons/fold");
  await answerFirstFoldQuestion(page);
  await page.reload();
  await expect(page.getByRole("group", { name: /What is the balance after event 4/ }).getByRole("status")).toHaveText("Right.");
  await expect(page.getByRole("alert")).toHaveCount(0);
});

test("an event out of step with its stream is set aside with what follows, and the log keeps saving", async ({ page }) => {
  await page.goto("/");
  const events = [stored(1, "lesson-opened", { lesson: "fold" }, 2)];
  for (let p = 2; p <= 6; p++) events.push(stored(p, "theme-chosen", { theme: p % 2 ? "dark" : "light" }));
  // Positions in order, so the layout cannot tell; the stream's versions jump from 3 to 9.
  events[3] = { ...events[3], version: 9 };
  await seed(page, events);
  await page.reload();
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("damaged");
  await expect(alert).toContainText("The 3 events before the damage were kept");
  await page.goto("/log");
  await expect(page.getByRole("region", { name: "Damaged data, set aside" })).toContainText("version 9");
  // The kept log is whole again: a new answer is saved, and there after a reload.
  await page.goto("/lessons/fold");
  await answerFirstFoldQuestion(page);
  await page.reload();
  await expect(page.getByRole("group", { name: /What is the balance after event 4/ }).getByRole("status")).toHaveText("Right.");
  await expect(page.getByRole("alert")).toHaveCount(0);
});

test("a log written with an older event schema is upcast as it loads", async ({ page }) => {
  await page.goto("/");
  await seed(page, [stored(1, "lesson-opened", { lesson: "01-fold" }), stored(2, "lesson-completed", { lesson: "06-snapshots" })]);
  await page.reload();
  await expect(page.getByRole("listitem").filter({ hasText: "The log is the source of truth" })).toContainText("In progress");
  await expect(page.getByRole("listitem").filter({ hasText: "Snapshots" })).toContainText("Done");
  await expect(page.getByRole("alert")).toHaveCount(0);
});

test("export, then import into a fresh browser, gives the same progress; a second import adds nothing", async ({ browser }) => {
  const before = await browser.newContext();
  const page = await before.newPage();
  await page.goto("/lessons/fold");
  await answerFirstFoldQuestion(page);
  await page.goto("/lessons/transfers");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.goto("/log");
  // Count only once the log is on screen (count() does not wait).
  await expect(page.getByRole("table")).toContainText("quiz-answered");
  const count = await page.getByRole("table").getByRole("row").count();
  expect(count, "the header and at least three events").toBeGreaterThan(3);
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export as NDJSON" }).click();
  // Read it now: the download goes away with its browser context.
  const exported = { name: "foldlab-log.ndjson", mimeType: "application/x-ndjson", buffer: readFileSync(await (await download).path()) };
  await page.goto("/");
  await expect(page.getByRole("link", { name: "The log is the source of truth", exact: true })).toBeVisible();
  const statuses = await page.getByRole("main").getByRole("listitem").allInnerTexts();
  await before.close();

  const after = await browser.newContext();
  const fresh = await after.newPage();
  await fresh.goto("/log");
  await expect(fresh.getByText("No events yet")).toBeVisible();
  await fresh.getByLabel("Import a file").setInputFiles(exported);
  const panel = fresh.getByRole("group", { name: "Import" });
  await expect(panel).toContainText("valid events");
  await panel.getByRole("button", { name: "Merge into my log" }).click();
  await expect(fresh.getByRole("status").filter({ hasText: "Merged" })).toContainText(/Merged: \d+ new events/);
  await expect(fresh.getByRole("table").getByRole("row")).toHaveCount(count);

  await fresh.getByLabel("Import a file").setInputFiles(exported);
  await fresh.getByRole("group", { name: "Import" }).getByRole("button", { name: "Merge into my log" }).click();
  await expect(fresh.getByRole("status").filter({ hasText: "Merged" })).toHaveText("Merged: nothing to add, every event in the file was already in your log.");

  await fresh.goto("/");
  await expect(fresh.getByRole("link", { name: "The log is the source of truth", exact: true })).toBeVisible();
  expect(await fresh.getByRole("main").getByRole("listitem").allInnerTexts()).toEqual(statuses);
  await fresh.goto("/lessons/fold");
  const question = fresh.getByRole("group", { name: /What is the balance after event 4/ });
  await expect(question.getByRole("radio", { name: "€60", exact: true })).toBeChecked();

  // Replacing a log that has more (this visit's lesson opening) asks first, then holds only the file.
  await fresh.goto("/log");
  await fresh.getByLabel("Import a file").setInputFiles(exported);
  let asked = "";
  fresh.once("dialog", (dialog) => { asked = dialog.message(); void dialog.accept(); });
  await fresh.getByRole("group", { name: "Import" }).getByRole("button", { name: "Replace my log" }).click();
  await expect(fresh.getByRole("status").filter({ hasText: "Replaced" })).toContainText(`Replaced: your log now holds the file's ${count - 1} events`);
  expect(asked).toMatch(/^Replace your \d+ events with the \d+ from the file\?/);
  await expect(fresh.getByRole("table").getByRole("row")).toHaveCount(count);
  await after.close();

  // An empty log has nothing to lose: Replace asks nothing more (no dialog handler is set).
  const empty = await browser.newContext();
  const blank = await empty.newPage();
  await blank.goto("/log");
  await blank.getByLabel("Import a file").setInputFiles(exported);
  await blank.getByRole("group", { name: "Import" }).getByRole("button", { name: "Replace my log" }).click();
  await expect(blank.getByRole("status").filter({ hasText: "Replaced" })).toContainText(`Replaced: your log now holds the file's ${count - 1} events`);
  await empty.close();
});

test("a file that gives an id of the log to another event is refused whole, before anything is added", async ({ page }) => {
  const rows = await logWithALessonOpened(page);
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export as NDJSON" }).click();
  const [opened] = readFileSync(await (await download).path(), "utf8").trim().split("\n").map((line) => JSON.parse(line));
  // A new event first, which alone would be added; then the log's own id on other content.
  const fresh = { ...opened, id: "elsewhere-1", position: 1, streamversion: 1 };
  const clash = { ...opened, position: 2, streamversion: 2, data: { ...opened.data, lesson: "snapshots" } };
  await page.getByLabel("Import a file").setInputFiles({
    name: "clash.ndjson",
    mimeType: "application/x-ndjson",
    buffer: Buffer.from([fresh, clash].map((event) => JSON.stringify(event)).join("\n")),
  });
  await page.getByRole("group", { name: "Import" }).getByRole("button", { name: "Merge into my log" }).click();
  await expect(page.getByRole("alert")).toContainText(`Nothing was merged: the file's event ${opened.id} has the id of a different event in your log.`);
  await expect(page.getByRole("table").getByRole("row")).toHaveCount(rows);
});

/** Opens a lesson, then the log page once it lists that; how many rows its table has. */
async function logWithALessonOpened(page): Promise<number> {
  await page.goto("/lessons/fold");
  // The lesson is recorded as opened once it is drawn: wait for that before leaving it.
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.goto("/log");
  await expect(page.getByRole("table")).toContainText("lesson-opened");
  return page.getByRole("table").getByRole("row").count();
}

test("a bad file is refused with its reason and changes nothing", async ({ page }) => {
  const rows = await logWithALessonOpened(page);
  await page.getByLabel("Import a file").setInputFiles({
    name: "notes.ndjson",
    mimeType: "application/x-ndjson",
    buffer: Buffer.from('{"specversion":"1.0","id":"a"}\n'),
  });
  await expect(page.getByRole("alert")).toContainText("notes.ndjson was not imported: line 1");
  await expect(page.getByRole("alert")).toContainText("Nothing changed");
  await expect(page.getByRole("table").getByRole("row")).toHaveCount(rows);
});

test("start over offers an export first, then empties the log", async ({ page }) => {
  await page.goto("/lessons/fold");
  await answerFirstFoldQuestion(page);
  await page.goto("/log");
  await page.getByRole("button", { name: "Start over" }).click();
  const panel = page.getByRole("group", { name: "Start over" });
  await expect(panel).toContainText("Export them first");
  const download = page.waitForEvent("download");
  await panel.getByRole("button", { name: "Export first" }).click();
  expect((await download).suggestedFilename()).toBe("foldlab-log.json");
  await panel.getByRole("button", { name: "Delete everything and start over" }).click();
  await expect(page.getByRole("status").filter({ hasText: "start over" })).toBeVisible();
  await expect(page.getByText("No events yet")).toBeVisible();
  await page.goto("/");
  await expect(page.getByRole("listitem").filter({ hasText: "The log is the source of truth" })).toContainText("Not started");
});

test("starting over in one tab empties the log in the other, which keeps saving", async ({ context }) => {
  const first = await context.newPage();
  const second = await context.newPage();
  await first.goto("/lessons/snapshots");
  await second.goto("/");
  const snapshots = second.getByRole("listitem").filter({ hasText: "Snapshots" });
  await expect(snapshots).toContainText("In progress");
  await first.goto("/log");
  await first.getByRole("button", { name: "Start over" }).click();
  await first.getByRole("button", { name: "Delete everything and start over" }).click();
  await expect(snapshots).toContainText("Not started", { timeout: 5_000 });
  await second.goto("/lessons/transfers");
  await first.goto("/");
  await expect(first.getByRole("listitem").filter({ hasText: "Transfers between accounts" })).toContainText("In progress");
  await expect(first.getByRole("listitem").filter({ hasText: "Snapshots" })).toContainText("Not started");
  await expect(first.getByRole("alert")).toHaveCount(0);
});

test("a tab that wrote the old log back just after a start over elsewhere does not undo it", async ({ page }) => {
  await page.goto("/lessons/fold");
  await answerFirstFoldQuestion(page);
  await page.goto("/log");
  await expect(page.getByRole("table")).toContainText("quiz-answered");
  const old = await page.evaluate(() => JSON.parse(localStorage.getItem("foldlab/v1/seg/0")));
  await page.getByRole("button", { name: "Start over" }).click();
  await page.getByRole("button", { name: "Delete everything and start over" }).click();
  await expect(page.getByText("No events yet")).toBeVisible();
  // Another tab, which had not yet heard of the start over, appended on its copy of the old log:
  // its write holds the old events and its new one. The test sends the storage event it fires.
  await page.evaluate((old) => {
    const last = old[old.length - 1];
    const written = [...old, { ...last, id: "stale-tab-1", version: last.version + 1, position: last.position + 1, type: "lesson-completed", schema: 1, data: { lesson: "snapshots" } }];
    localStorage.setItem("foldlab/v1/seg/0", JSON.stringify(written));
    localStorage.setItem("foldlab/v1/meta", JSON.stringify({ schema: 1, head: written.length }));
    window.dispatchEvent(new StorageEvent("storage", { key: "foldlab/v1/meta", newValue: localStorage.getItem("foldlab/v1/meta"), storageArea: localStorage }));
  }, old);
  // The start over holds; the other tab's new event is kept.
  const rows = page.getByRole("table").getByRole("row");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText("lesson-completed");
  await page.reload();
  await expect(page.getByRole("table").getByRole("row")).toHaveCount(2);
  await expect(page.getByRole("alert")).toHaveCount(0);
});

test("a start over holds against a stale tab's write that does not even read (a log past one segment)", async ({ page }) => {
  await page.goto("/");
  const events = [stored(1, "lesson-opened", { lesson: "fold" }, 2)];
  for (let p = 2; p <= 60; p++) events.push(stored(p, "theme-chosen", { theme: p % 2 ? "dark" : "light" }));
  await seed(page, events);
  await page.goto("/log");
  await expect(page.getByRole("table")).toContainText("theme-chosen");
  await page.getByRole("button", { name: "Start over" }).click();
  await page.getByRole("button", { name: "Delete everything and start over" }).click();
  await expect(page.getByText("No events yet")).toBeVisible();
  // This tab's first step on the new log.
  await page.getByRole("button", { name: "Dark theme" }).click();
  const rows = page.getByRole("table").getByRole("row");
  await expect(rows).toHaveCount(2);
  // The stale tab rewrote only the segment its event falls in: segment 0 stays deleted.
  await page.evaluate((old) => {
    const written = [...old.slice(50), { ...old[59], id: "stale-tab-1", version: 61, position: 61 }];
    localStorage.setItem("foldlab/v1/seg/1", JSON.stringify(written));
    localStorage.setItem("foldlab/v1/meta", JSON.stringify({ schema: 1, head: 61 }));
    window.dispatchEvent(new StorageEvent("storage", { key: "foldlab/v1/meta", newValue: localStorage.getItem("foldlab/v1/meta"), storageArea: localStorage }));
  }, events);
  await expect.poll(() => page.evaluate(() => localStorage.getItem("foldlab/v1/seg/1")), { message: "the stale write is undone" }).toBeNull();
  // The new log keeps this tab's step.
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText("theme-chosen");
  await page.reload();
  await expect(page.getByRole("table").getByRole("row")).toHaveCount(2);
  await expect(page.getByRole("alert")).toHaveCount(0);
});

// A page restored from the back-forward cache saw none of the storage events fired while it was
// away. Writing localStorage from the page itself fires none either, which is how these tests
// change the log behind the app's back.
const startedOverElsewhere = [stored(1, "lesson-completed", { lesson: "06-snapshots" })];

test("a page back from the back-forward cache reads the log afresh", async ({ page }) => {
  await page.goto("/lessons/fold");
  await answerFirstFoldQuestion(page);
  await page.goto("/");
  const snapshots = page.getByRole("listitem").filter({ hasText: "Snapshots" });
  const fold = page.getByRole("listitem").filter({ hasText: "The log is the source of truth" });
  await expect(fold).toContainText("In progress");
  await replaceStorage(page, layoutKeys(startedOverElsewhere));
  await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent("pageshow", { persisted: true })));
  await expect(snapshots).toContainText("Done");
  await expect(fold).toContainText("Not started");
});

test("an answer given after another tab started over unseen is saved to the new log", async ({ page }) => {
  await page.goto("/lessons/fold");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.getByRole("radiogroup").first().waitFor();
  // This page has recorded more events than the log now holds.
  await page.goto("/lessons/projections");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.goto("/lessons/fold");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await replaceStorage(page, layoutKeys(startedOverElsewhere));
  await answerFirstFoldQuestion(page);
  await expect(page.getByRole("alert")).toHaveCount(0);
  await page.goto("/");
  await expect(page.getByRole("listitem").filter({ hasText: "Snapshots" })).toContainText("Done");
  // The new log, and the answer after its one event: nothing of this page's earlier log.
  await page.goto("/log");
  const rows = page.getByRole("table").getByRole("row");
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText("lesson-completed");
  await expect(rows.nth(2)).toContainText("quiz-answered");
});

test("with localStorage blocked the course works in memory and says progress will not be kept", async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, "localStorage", {
      get() {
        throw new DOMException("The operation is insecure.", "SecurityError");
      },
    });
  });
  await page.goto("/lessons/fold");
  await expect(page.getByRole("alert")).toContainText("will not be kept");
  await answerFirstFoldQuestion(page);
  // Moving within the app keeps what this visit did; only a reload would lose it.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Your log" }).click();
  await expect(page.getByRole("table")).toContainText("quiz-answered");
  // The sandbox bank says why it lasts only this visit.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sandbox" }).click();
  await expect(page.getByText("It is not kept, so it lasts only until you leave the page: the browser blocks localStorage.")).toBeVisible();
});

test("the sandbox bank keeps its accounts in the log across a reload, and refuses what the core refuses", async ({ page }) => {
  await page.goto("/sandbox");
  await page.getByRole("button", { name: "Open account" }).click();
  await page.getByLabel("Amount to deposit (€)").fill("12.50");
  await page.getByRole("button", { name: "Deposit" }).click();
  await expect(page.getByRole("status")).toContainText("money-deposited");
  await page.getByLabel("Amount to withdraw (€)").fill("100");
  await page.getByRole("button", { name: "Withdraw" }).click();
  await expect(page.getByRole("status")).toContainText("rejected. Insufficient funds");
  await expect(page.getByRole("status"), "a refusal looks like one").toHaveClass(/refused/);
  await page.reload();
  await expect(page.getByRole("table")).toContainText("€12.50");
});

test("the theme is the one the log chose last: without its mirror, and when another tab chooses", async ({ context }) => {
  const [first, second] = [await context.newPage(), await context.newPage()];
  await first.emulateMedia({ colorScheme: "light" });
  await second.emulateMedia({ colorScheme: "light" });
  await first.goto("/");
  // A log that chose dark last, and no mirror of it (lost, or the log came from elsewhere).
  await seed(first, [stored(1, "lesson-opened", { lesson: "fold" }, 2), stored(2, "theme-chosen", { theme: "dark" })]);
  await first.reload();
  await expect(first.locator("html")).toHaveAttribute("data-theme", "dark");
  await expect(first.getByRole("button", { name: "Dark theme" })).toHaveAttribute("aria-pressed", "true");
  await second.goto("/lessons/fold");
  await expect(second.locator("html")).toHaveAttribute("data-theme", "dark");
  // The other tab's choice is followed.
  await first.getByRole("button", { name: "Dark theme" }).click();
  await expect(first.locator("html")).toHaveAttribute("data-theme", "light");
  await expect(second.locator("html")).toHaveAttribute("data-theme", "light");
  await expect(second.getByRole("button", { name: "Dark theme" })).toHaveAttribute("aria-pressed", "false");
});

test("a question answered right stays settled when a later wrong answer comes from elsewhere (a merged log)", async ({ page }) => {
  await page.goto("/");
  const answer = (position: number, choice: number, correct: boolean) => stored(position, "quiz-answered", { question: "fold/q1", choice, correct });
  await seed(page, [stored(1, "lesson-opened", { lesson: "fold" }, 2), answer(2, 1, true), answer(3, 0, false)]);
  await page.goto("/lessons/fold");
  const question = page.getByRole("group", { name: /What is the balance after event 4/ });
  await expect(question.getByRole("status")).toHaveText("Right.");
  await expect(question.getByRole("radio", { name: "€60", exact: true })).toBeChecked();
  await expect(question.getByRole("radio", { name: "€35", exact: true })).toBeDisabled();
});
