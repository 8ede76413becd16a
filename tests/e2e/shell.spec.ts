// The app shell as a learner meets it: home, lessons, deep links, not-found, theme, keyboard,
// and the same build hosted under a sub-path.
import { expect, test } from "@playwright/test";
import { resolve } from "node:path";
import { layoutKeys, replaceStorage, stored } from "../../bench/seed-log.mjs";

const shots = resolve(__dirname, "../../target/screenshots");

const slugs = ["fold", "projections", "commands-and-events", "corrections", "transfers", "snapshots", "concurrency", "storage-and-schema"];

test("home names the course and lists every lesson in order with its status", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "foldlab" })).toBeVisible();
  await expect(page).toHaveTitle(/foldlab/);
  const lessons = page.getByRole("list").filter({ has: page.getByRole("link", { name: "The log is the source of truth", exact: true }) });
  await expect(lessons.getByRole("listitem")).toHaveCount(slugs.length);
  await expect(lessons.getByRole("listitem").first()).toContainText("Not started");
  await expect(page.getByRole("banner")).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page.getByRole("main")).toBeVisible();
});

test("a lesson link opens the lesson, and its deep link survives a reload", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "The log is the source of truth", exact: true }).click();
  await expect(page).toHaveURL(/\/lessons\/fold$/);
  await expect(page.getByRole("heading", { level: 1, name: "The log is the source of truth" })).toBeVisible();
  await expect(page).toHaveTitle("The log is the source of truth · foldlab");
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "The log is the source of truth" })).toBeVisible();
  await page.goto("/");
  await expect(page.getByRole("listitem").filter({ hasText: "The log is the source of truth" })).toContainText("In progress");
});

test("next and previous walk the course, and the table of contents marks the current lesson", async ({ page }) => {
  await page.goto("/lessons/fold");
  const pager = page.getByRole("navigation", { name: "Previous and next" });
  await expect(pager.getByRole("link", { name: /^Previous:/ })).toHaveCount(0);
  await pager.getByRole("link", { name: /^Next:/ }).click();
  await expect(page).toHaveURL(/\/lessons\/projections$/);
  const toc = page.getByRole("navigation", { name: "All lessons" });
  await expect(toc.locator("[aria-current=page]")).toHaveCount(1);
  // The main navigation marks the section a lesson belongs to.
  const main = page.getByRole("navigation", { name: "Main" });
  await expect(main.getByRole("link", { name: "Lessons" })).toHaveAttribute("aria-current", "true");
  await expect(main.getByRole("link", { name: "Sandbox" })).not.toHaveAttribute("aria-current");
  await page.getByRole("navigation", { name: "Previous and next" }).getByRole("link", { name: /^Previous:/ }).click();
  await expect(page).toHaveURL(/\/lessons\/fold$/);
  await page.goBack();
  await expect(page).toHaveURL(/\/lessons\/projections$/);
  await page.goto("/lessons/storage-and-schema");
  await expect(page.getByRole("navigation", { name: "Previous and next" }).getByRole("link", { name: /^Next:/ })).toHaveCount(0);
});

test("while the app downloads the page says it is loading, and the app replaces that note", async ({ page }) => {
  // A slow connection: the app's wasm arrives a second late.
  await page.route(/foldlab-[0-9a-f]+_bg\.wasm$/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await route.continue();
  });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/lessons/fold", { waitUntil: "commit" });
  await expect(page.getByText("Loading the course…")).toBeVisible();
  // Already in the theme the app will pick (the system's here), so nothing flashes when it starts.
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await expect(page.getByRole("heading", { level: 1, name: "The log is the source of truth" })).toBeVisible();
  await expect(page.getByText("Loading the course…")).toHaveCount(0);
});

test("an unknown lesson or address shows a not-found page with a way home", async ({ page }) => {
  // Also below folders the app does not have (at the site root and under a sub-path), where the
  // app's root is not the folder the address names.
  const addresses = ["/lessons/no-such-lesson", "/nowhere", "/lessons/fold/extra", "/nope/deeper/page", "/nope/deeper/", "/foldlab/nope/page"];
  for (const address of addresses) {
    await page.goto(address);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" }), address).toBeVisible();
    await expect(page).toHaveTitle("Page not found · foldlab");
    await expect(page.getByRole("main")).toBeVisible();
  }
  await page.goto("/lessons/no-such-lesson");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Lessons" }), "no lesson here").not.toHaveAttribute("aria-current");
  await page.goto("/foldlab/nope/page");
  await page.getByRole("link", { name: "Back to the course" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "foldlab" })).toBeVisible();
  await expect(page).toHaveURL(/\/foldlab\/$/);
});

test("the theme toggle switches theme and is remembered after a reload", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/");
  const toggle = page.getByRole("button", { name: "Dark theme" });
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await page.reload();
  await expect(page.getByRole("button", { name: "Dark theme" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
});

test("the system's dark preference is followed until the learner chooses", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
});

test("keyboard only: skip link, then into a lesson, with a visible focus", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "foldlab" })).toBeVisible();
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "foldlab" })).toBeFocused();
  const first = page.getByRole("link", { name: "The log is the source of truth", exact: true });
  await first.focus();
  const outline = await first.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe("none");
  await page.keyboard.press("Enter");
  // A new page starts at its title, for keyboard and screen-reader users alike.
  const title = page.getByRole("heading", { level: 1, name: "The log is the source of truth" });
  await expect(title).toBeFocused();
  // Back returns to the link the learner followed, so the next Tab goes on from there.
  await page.goBack();
  await expect(page.getByRole("heading", { level: 1, name: "foldlab" })).toBeVisible();
  await expect(first).toBeFocused();
});

test("back returns to the place on the previous page, with focus on the link followed", async ({ page }) => {
  await page.goto("/lessons/fold");
  const next = page.getByRole("link", { name: /^Next/ });
  await next.scrollIntoViewIfNeeded();
  const left = await page.evaluate(() => window.scrollY);
  expect(left).toBeGreaterThan(1000);
  await next.click();
  await expect(page.getByRole("heading", { level: 1 })).not.toHaveText("The log is the source of truth");
  await page.goBack();
  await expect(page.getByRole("heading", { level: 1, name: "The log is the source of truth" })).toBeVisible();
  // The link followed takes the focus again, and the learner is still back where they left:
  // the next Tab goes on from there, not from the top of the page.
  await expect(next).toBeFocused();
  expect(await page.evaluate(() => window.scrollY)).toBe(left);
  // Forward to a page that was left by Back, which remembers nothing there: its title.
  await page.goForward();
  await expect(page.getByRole("heading", { level: 1 })).not.toHaveText("The log is the source of truth");
  await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
});

test("the skip link jumps within the page it is on, under a sub-path too", async ({ page }) => {
  for (const address of ["/lessons/snapshots", "/log", "/foldlab/lessons/fold"]) {
    await page.goto(address);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const heading = await page.getByRole("heading", { level: 1 }).textContent();
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
    await page.keyboard.press("Enter");
    // Against the page's <base>, "#main" is an address of the home page: the app must not go there.
    // It lands on the page's title, so on a lesson the next Tab is in the lesson, past the list.
    await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
    await expect(page).toHaveURL(new RegExp(`${address}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading ?? "");
    await page.keyboard.press("Tab");
    // Whatever has focus now, it is not in the list (no role names "the focused element").
    await expect(page.getByRole("navigation", { name: "All lessons" }).locator(":focus")).toHaveCount(0);
  }
});

test("the same build works under a sub-path, deep links included", async ({ page }) => {
  await page.goto("/foldlab/");
  await expect(page.getByRole("heading", { level: 1, name: "foldlab" })).toBeVisible();
  await page.getByRole("link", { name: "Commands versus events" }).click();
  await expect(page).toHaveURL(/\/foldlab\/lessons\/commands-and-events$/);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).not.toHaveText("Page not found");
  await page.getByRole("link", { name: "foldlab" }).first().click();
  await expect(page).toHaveURL(/\/foldlab\/$/);
});

test("a deep link fetches nothing from a wrong address, and a trailing slash still finds the page", async ({ page }) => {
  const failed: string[] = [];
  page.on("response", (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  await page.goto("/lessons/transfers");
  await expect(page.getByRole("heading", { level: 1, name: "Transfers between accounts" })).toBeVisible();
  await page.goto("/log/");
  await expect(page.getByRole("heading", { level: 1, name: "Your event log" })).toBeVisible();
  await page.goto("/sandbox/");
  await expect(page.getByRole("heading", { level: 1, name: "Sandbox bank" })).toBeVisible();
  expect(failed, "no request failed").toEqual([]);
});

test("screenshots of home and a lesson, desktop and phone", async ({ page }) => {
  for (const [name, width] of [["desktop", 1280], ["phone", 360]] as const) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "foldlab" })).toBeVisible();
    await page.screenshot({ path: `${shots}/home-${name}.png`, fullPage: true });
    await page.goto("/lessons/fold");
    await expect(page.getByRole("heading", { level: 1, name: "The log is the source of truth" })).toBeVisible();
    await page.screenshot({ path: `${shots}/lesson-fold-${name}.png`, fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, "the page does not scroll sideways").toBeLessThanOrEqual(0);
  }
});

test("on a desktop screen every lesson's code listings fit their box, without scrolling sideways", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  for (const slug of slugs) {
    await page.goto(`/lessons/${slug}`);
    const listings = page.locator("pre.code-block");
    await expect(listings.first()).toBeVisible();
    const wide = await listings.evaluateAll((blocks) =>
      blocks.filter((b) => b.scrollWidth > b.clientWidth).map((b) => `${b.scrollWidth - b.clientWidth} px too wide: ${b.textContent?.slice(0, 50)}`),
    );
    expect(wide, `listings of /lessons/${slug}`).toEqual([]);
  }
});

test("with text enlarged to 200% through the root font size, no page scrolls sideways and no widget keeps its desktop columns", async ({ page }) => {
  // What user stylesheets and text-size extensions do: rem doubles, the viewport does not. Media
  // queries in rem would not notice; the layout follows the room its container has.
  await page.setViewportSize({ width: 1280, height: 900 });
  for (const path of [...slugs.map((slug) => `/lessons/${slug}`), "/sandbox", "/log"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await page.evaluate(() => { document.documentElement.style.fontSize = "200%"; });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    // A 40rem-wide grid is 1280 px now: the fold stepper stacks its columns, and the header, in
    // two rows, scrolls away as on a phone rather than keeping a fifth of the screen.
    if (path === "/lessons/fold") {
      const columns = await page.locator(".stepper-layout").evaluate((grid) => getComputedStyle(grid).gridTemplateColumns.split(" ").length);
      expect(columns, "the stepper's columns").toBe(1);
      expect(await page.getByRole("banner").evaluate((header) => getComputedStyle(header).position)).toBe("static");
    }
  }
});

test("with text enlarged to 200% through the root font size, the lesson list starts folded above the lesson", async ({ page }) => {
  // A wide window, but 56rem is 1,792 px now: the layout stacks, so the list opens folded, as on
  // a phone, instead of pushing the lesson below the first screen.
  await page.setViewportSize({ width: 1280, height: 900 });
  // As a user stylesheet would, from the first frame.
  await page.route("**/lessons/projections", async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace("</head>", "<style>html { font-size: 200%; }</style></head>");
    await route.fulfill({ response, body });
  });
  await page.goto("/lessons/projections");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const toc = page.getByRole("navigation", { name: "All lessons" });
  await expect(toc.getByRole("link", { name: "Snapshots" })).toBeHidden();
  await toc.getByText("All lessons").click();
  await expect(toc.getByRole("link", { name: "Snapshots" })).toBeVisible();
  // At the usual size the same window has room for it beside the lesson.
  const plain = await page.context().newPage();
  await plain.goto("/lessons/projections");
  await expect(plain.getByRole("navigation", { name: "All lessons" }).getByRole("link", { name: "Snapshots" })).toBeVisible();
});

test("home offers the next step: the first lesson, then the first one not complete and what is left of it", async ({ page }) => {
  await page.goto("/");
  // A lesson opened out of order is not the next step; the first one not complete is, by its own state.
  await page.goto("/lessons/commands-and-events");
  await page.goto("/");
  await page.getByRole("link", { name: "Start lesson 1: The log is the source of truth" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "The log is the source of truth" })).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Lessons" }).click();
  await expect(page.getByText(/^1 exercise and \d+ quiz questions left$/)).toBeVisible();
  await page.getByRole("link", { name: "Continue with lesson 1: The log is the source of truth" }).click();
  await expect(page).toHaveURL(/\/lessons\/fold$/);

  // Once part of it is done, Continue lands at the first thing left, not at the top of the text.
  const first = page.getByRole("group", { name: /What is the balance after event 4/ });
  await first.getByRole("radio", { name: "€60", exact: true }).check();
  await first.getByRole("button", { name: "Check" }).click();
  await expect(first.getByRole("status")).toHaveText("Right.");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Lessons" }).click();
  await page.getByRole("link", { name: "Continue with lesson 1: The log is the source of truth" }).click();
  await expect(page).toHaveURL(/\/lessons\/fold#exercise-fold$/);
  const exercise = page.getByRole("heading", { level: 3, name: "Fold events into a balance" });
  await expect(exercise).toBeFocused();
  await expect(exercise).toBeInViewport();

  // The same address opened afresh (a new tab, a bookmark) lands there too, once the app has drawn it.
  const opened = await page.context().newPage();
  await opened.goto("/lessons/fold#exercise-fold");
  await expect(opened.getByRole("heading", { level: 3, name: "Fold events into a balance" })).toBeFocused();
  await expect(opened.getByRole("heading", { level: 3, name: "Fold events into a balance" })).toBeInViewport();
  // A reload leaves the page where the learner had scrolled it, not back at the fragment.
  await opened.evaluate(() => window.scrollTo(0, 0));
  await opened.reload();
  await expect(opened.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(opened.getByRole("heading", { level: 3, name: "Fold events into a balance" })).not.toBeInViewport();
});

test("the last lesson ends the course: what is left, with links to it, and once all is done, the end", async ({ page }) => {
  await page.goto("/lessons/storage-and-schema");
  const end = page.getByRole("region", { name: "The end of the course" });
  await expect(end).toContainText("To complete the course, 7 other lessons still have something left:");
  await expect(end.getByRole("link", { name: /^Lesson 8/ }), "this lesson's own is said above").toHaveCount(0);
  await expect(end.getByRole("link", { name: "Lesson 6: Snapshots" })).toBeVisible();
  // The previous lesson keeps its place on the left; nothing sits where Next would.
  const pager = page.getByRole("navigation", { name: "Previous and next" });
  await expect(pager.getByRole("link")).toHaveCount(1);
  const [previous, bar] = [await pager.getByRole("link").boundingBox(), await pager.boundingBox()];
  expect(previous!.x - bar!.x, "Previous is on the left").toBeLessThan(5);
  await end.getByRole("link", { name: "Lesson 6: Snapshots" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Snapshots" })).toBeVisible();

  // Every lesson complete: the course says so, and home has no next step to offer.
  const events = slugs.map((lesson, i) => stored(i + 1, "lesson-completed", { lesson }, 2));
  await replaceStorage(page, layoutKeys(events));
  await page.goto("/lessons/storage-and-schema");
  await expect(end).toContainText("Every lesson is complete");
  await expect(end.getByRole("link", { name: /^Lesson \d/ })).toHaveCount(0);
  await page.goto("/");
  await expect(page.getByText("8 of 8 lessons done")).toBeVisible();
  await expect(page.getByRole("link", { name: /^(Start|Continue)/ })).toHaveCount(0);
  await expect(page.getByText("✓ Course complete: every lesson done.")).toBeVisible();
});
