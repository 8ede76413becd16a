// Lesson 8 as a learner walks it: the log replay folds the learner's own events up to any point
// (back to a brand-new learner and forward again, nothing deleted), an old deposit is shown upcast,
// and the upcaster exercise is there to edit; then a question on replaying upcast events.
import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { wrongThenRight } from "./quiz";
import { layoutKeys, replaceStorage, stored } from "../../bench/seed-log.mjs";

test("the learner's own log replays to any event and forward again, and an old event is upcast", async ({ page }) => {
  // Some history first: another lesson opened before this one.
  await page.goto("/lessons/fold");
  const first = page.getByRole("radiogroup").first();
  await expect(first).toBeVisible();

  await page.goto("/lessons/storage-and-schema");
  const replay = page.getByRole("region", { name: "Your own log, replayed" });
  const slider = replay.getByRole("slider", { name: "Replay up to event" });
  const progress = replay.getByRole("group", { name: "Progress at this point" });
  const events = replay.getByRole("list", { name: "Your events" }).getByRole("listitem");
  await expect(events.first()).toContainText("lesson-opened");
  const total = Number(await slider.getAttribute("max"));
  expect(total).toBeGreaterThanOrEqual(2);
  await expect(progress).toContainText("lessons opened: 2");
  // Fewer than five events: the room kept for the next ones says what it is for (drawn, not heard).
  await expect(replay.getByText("your next events appear here")).toBeVisible();

  await slider.fill("0");
  await expect(replay).toContainText(`Replay up to event 0 of ${total}`);
  await expect(progress).toContainText("lessons opened: 0");
  await slider.fill("1");
  await expect(progress).toContainText("lessons opened: 1");
  await expect(replay.locator('[aria-current="step"]')).toContainText("event 1");
  await expect(slider).toHaveAttribute("aria-valuetext", `event 1 of ${total}: 1 lesson opened, 0 answers right`);
  await slider.fill(String(total));
  await expect(progress).toContainText("lessons opened: 2");

  await expect(replay.getByRole("figure").filter({ hasText: "Stored as version 1" })).toContainText('"12.50"');
  await expect(replay.getByRole("figure").filter({ hasText: "Read as version 2" })).toContainText("1250");
  await expect(page.getByRole("textbox", { name: "Code" })).toBeVisible();
});

test("on a long log the replay lists the events around the point it has reached", async ({ page }) => {
  await page.goto("/");
  const events = [stored(1, "lesson-opened", { lesson: "storage-and-schema" }, 2)];
  for (let p = 2; p <= 40; p++) events.push(stored(p, "theme-chosen", { theme: p % 2 ? "dark" : "light" }));
  // Once the app has started, so that it cannot write over the seeded log.
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await replaceStorage(page, layoutKeys(events));
  await page.goto("/lessons/storage-and-schema");
  const replay = page.getByRole("region", { name: "Your own log, replayed" });
  const slider = replay.getByRole("slider", { name: "Replay up to event" });
  const reached = replay.locator('[aria-current="step"]');
  await expect(slider).toHaveAttribute("max", /^4\d$/);
  const total = Number(await slider.getAttribute("max"));
  await expect(reached).toContainText(`event ${total}`);
  // A window of whole cards around the point reached, the newest last, none cut by a scroll box.
  const listed = replay.getByRole("list", { name: "Your events" }).getByRole("listitem");
  await expect(listed).toHaveCount(5);
  await expect(listed.last()).toContainText(`event ${total}`);
  await expect(replay.getByText("your next events appear here")).toHaveCount(0);
  await listed.last().scrollIntoViewIfNeeded();
  await expect(listed.first()).toBeInViewport({ ratio: 1 });
  await expect(listed.last()).toBeInViewport({ ratio: 1 });

  // Back to the start: the first events are listed, not the newest ones greyed out.
  await slider.fill("2");
  await expect(reached).toContainText("event 2");
  await expect(listed.first()).toContainText("event 1");
  await expect(listed.first()).toContainText("lesson-opened");
  await expect(listed).toHaveCount(5);
  // Further along, the window moves with it: the point reached, then one event still to come.
  await slider.fill("20");
  await expect(listed.first()).toContainText("event 17");
  await expect(listed.nth(3)).toHaveAttribute("aria-current", "step");
  await expect(listed.last()).toContainText("event 21");
});

test("the upcaster is checked on the learner's own sandbox deposits, as version 1 stored them", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/lessons/storage-and-schema");
  const exercise = page.getByRole("region", { name: "Upcast an old event" });
  await expect(exercise).toContainText("Your own events are checked too");
  await exercise.getByRole("link", { name: "sandbox bank" }).click();
  await page.getByRole("button", { name: "Open account" }).click();
  await page.getByLabel("Amount to deposit (€)").fill("12.34");
  await page.getByRole("button", { name: "Deposit" }).click();
  await expect(page.getByRole("status")).toContainText("money-deposited");
  await page.goBack();
  await expect(exercise).toContainText("Also checked: your 1 deposit from the sandbox bank");

  const code = exercise.getByRole("textbox", { name: "Code" });
  const solution = readFileSync(resolve(__dirname, "../../script/exercises/upcaster/solution.rhai"), "utf8");
  await code.fill("");
  await code.pressSequentially(solution.replace(/^ +/gm, ""), { delay: 0 });
  await page.keyboard.press("Control+Enter");
  await expect(exercise.getByRole("status", { name: "Result" })).toContainText(/^All \d+ cases pass/, { timeout: 60_000 });
  await expect(exercise).toContainText("your own deposit of €12.34 into A");
});

test("the upcasting question explains a wrong answer and accepts the right one", async ({ page }) => {
  await wrongThenRight(
    page,
    "storage-and-schema",
    /An upcaster turns schema 1 into schema 2/,
    { name: /^€15\.40/, explains: "That mixes euros and cents" },
    /^€55\.00, with the 2021 event upcast/,
  );
});

test("Run pressed right after typing runs, though saving the draft adds an event to the replay above", async ({ page }) => {
  await page.goto("/lessons/storage-and-schema");
  const exercise = page.getByRole("region", { name: "Upcast an old event" });
  await exercise.getByRole("textbox", { name: "Code" }).click();
  await page.keyboard.type(" ");
  // As a person clicks: the mouse goes down (the editor loses focus and the draft is saved), and
  // comes up a moment later on the same spot.
  const run = exercise.getByRole("button", { name: "Run", exact: true });
  const box = await run.boundingBox();
  if (!box) throw new Error("Run is not on the page");
  await page.mouse.move(box.x + box.width / 2, box.y + 2);
  await page.mouse.down();
  await page.waitForTimeout(300);
  await page.mouse.up();
  await expect(exercise.getByRole("status", { name: "Result" })).toContainText(/cases pass/, { timeout: 60_000 });
});
