// Lesson 6 as a learner walks it: generate a long stream, load it both ways, damage the newest
// snapshot and watch the fallback, then the quiz: a wrong answer explained, then the right one.
import { expect, test, type Page } from "@playwright/test";
import { wrongThenRight } from "./quiz";

/** Opens the lesson and generates a 10,000-event stream in the lab, a snapshot every `every`. */
async function generated(page: Page, every: string) {
  await page.goto("/lessons/snapshots");
  const lab = page.getByRole("region", { name: "Snapshot lab" });
  await lab.getByLabel("Events in the stream").selectOption("10000");
  await lab.getByLabel("Snapshot every").selectOption(every);
  await lab.getByRole("button", { name: "Generate stream" }).click();
  const status = lab.getByRole("status");
  await expect(status).toContainText("Generated 10,000 events");
  return { lab, status };
}

test("before a stream is generated, the lab's other buttons say what to do first", async ({ page }) => {
  await page.goto("/lessons/snapshots");
  const lab = page.getByRole("region", { name: "Snapshot lab" });
  const status = lab.getByRole("status");
  await expect(status).toHaveText("Generate a stream to begin.");
  // aria-disabled, not disabled: still focusable, so a keyboard press arrives and is answered.
  await lab.getByRole("button", { name: "Load by full replay" }).focus();
  await page.keyboard.press("Enter");
  await expect(status).toHaveText("Generate a stream first: there is nothing to load, add to or damage yet.");
});

test("the snapshot lab replays fewer events with snapshots and falls back past a damaged one", async ({ page }) => {
  const { lab, status } = await generated(page, "100");
  await lab.getByRole("button", { name: "Load by full replay" }).click();
  await expect(status).toContainText("replayed all 10,000 events");
  await lab.getByRole("button", { name: "Load with snapshots" }).click();
  await expect(status).toContainText("started from the snapshot at event 10,000, replayed 0 events");
  await expect(lab).toContainText(/Starting from a snapshot took .* instead of .* for the full replay/);
  await lab.getByRole("button", { name: "Corrupt the newest snapshot" }).click();
  await expect(lab.getByRole("img", { name: /enlarged: .* replays the 100 after it$/ })).toBeVisible();
  await lab.getByRole("button", { name: "Load with snapshots" }).click();
  await expect(status).toContainText("started from the snapshot at event 9,900, replayed 100 events");
  await expect(status).toContainText("checksum does not match");
  // The table says which one was skipped; the checksums stay in the status line.
  await expect(lab.getByRole("cell", { name: "snapshot at 9,900 (the one at 10,000 skipped: damaged)" })).toBeVisible();
  await expect(lab).toContainText("both reach the same balance");
  await lab.getByRole("button", { name: "Delete all snapshots" }).click();
  await expect(status).toContainText("To take snapshots again, pick another interval or generate the stream again.");
  await expect(lab.getByRole("img", { name: /enlarged/ }), "nothing to enlarge: a load replays the whole bar").toHaveCount(0);
  // With no snapshot left, no speed-up is claimed from the rows of snapshots that are gone.
  await expect(lab).not.toContainText("both reach the same balance");
  await lab.getByRole("button", { name: "Load with snapshots" }).click();
  await expect(status).toContainText("replayed all 10,000 events");
  await expect(lab.getByRole("cell", { name: "Full replay (no snapshot to start from)" })).toBeVisible();
});

test("events written after the newest snapshot are the tail a load replays, and a new interval retakes the snapshots", async ({ page }) => {
  const { lab, status } = await generated(page, "1000");
  await lab.getByRole("button", { name: "Load by full replay" }).click();
  await expect(status).toContainText("replayed all 10,000 events");
  await lab.getByRole("button", { name: "Add 25 events" }).click();
  await expect(status).toContainText("the stream holds 10,025 now, and 25 came after the newest snapshot (at 10,000)");
  // The loads measured before stay, to compare with: each row says how long the stream was.
  await expect(lab.getByRole("cell", { name: "10,000 of 10,000" })).toBeVisible();
  // The end of the stream, enlarged, shows that tail after the snapshots (a bar of 10,025 events
  // puts them all in its last pixels).
  await expect(lab.getByRole("img", { name: /^Its last 2,525 events, enlarged: .* replays the 25 after it$/ })).toBeVisible();
  await lab.getByRole("button", { name: "Load with snapshots" }).click();
  await expect(status).toContainText("started from the snapshot at event 10,000, replayed 25 events");
  await expect(lab.getByRole("cell", { name: "25 of 10,025" })).toBeVisible();
  // A full replay of the shorter stream is no measure of this one's: no speed-up is claimed.
  await expect(lab).not.toContainText("both reach the same balance");
  await lab.getByLabel("Snapshot every").selectOption("10");
  await expect(status).toContainText("Took the snapshots again, every 10 events. Kept: 3 (at versions 10,000, 10,010, 10,020)");
  await lab.getByRole("button", { name: "Load with snapshots" }).click();
  await expect(status).toContainText("started from the snapshot at event 10,020, replayed 5 events");
});

test("the snapshots quiz explains a wrong answer and accepts the right one", async ({ page }) => {
  await wrongThenRight(page, "snapshots", /How many events does a load replay/, { name: "1,000", explains: "the latest snapshot is at event 100,000" }, "500");
});
