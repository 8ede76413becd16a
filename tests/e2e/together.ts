// Two tabs acting at the same moment: each tab has its own copy of localStorage and hears the
// other's writes tens of milliseconds later, so clicks meant to race must land together.
import type { Locator } from "@playwright/test";

/** Clicks `button` at the wall-clock time `when` (ms since the epoch), waiting in its page. */
export async function clickAt(button: Locator, when: number) {
  await button.evaluate(async (element: HTMLElement, when) => {
    while (Date.now() < when - 20) await new Promise((resolve) => setTimeout(resolve, 5));
    while (Date.now() < when) {}
    element.click();
  }, when);
}
