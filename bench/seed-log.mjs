// The learner's log as the app stores it in localStorage (layout 1: 50-event segments and a meta
// record naming the head), written from outside the app: by the benchmarks before a cold start,
// and by the end-to-end tests that need a log the app did not write (old, damaged, long).

/** The localStorage keys and values of a log holding `events` (recorded events, in order). */
export function layoutKeys(events) {
  const keys = { "foldlab/v1/meta": JSON.stringify({ schema: 1, head: events.length }) };
  for (let i = 0; i * 50 < events.length; i++) keys[`foldlab/v1/seg/${i}`] = JSON.stringify(events.slice(i * 50, i * 50 + 50));
  return keys;
}

/** A learner event as the app records it, at `position` of the `learner` stream. */
export function stored(position, type, data, schema = 1) {
  return { id: `seed-${position}`, stream: "learner", version: position, position, type, schema, data, recorded_at: 1_700_000_000_000 + position };
}

/** A log of `n` events: the fold lesson opened, then the theme toggled `n - 1` times. */
export function seedLog(n) {
  const events = [];
  for (let p = 1; p <= n; p++) {
    events.push(p === 1 ? stored(p, "lesson-opened", { lesson: "fold" }, 2) : stored(p, "theme-chosen", { theme: p % 2 ? "dark" : "light" }));
  }
  return layoutKeys(events);
}

/** Replaces everything in `page`'s localStorage with `keys` (from `layoutKeys` or `seedLog`). */
export async function replaceStorage(page, keys) {
  await page.evaluate((keys) => {
    localStorage.clear();
    for (const [key, value] of Object.entries(keys)) localStorage.setItem(key, value);
  }, keys);
}
