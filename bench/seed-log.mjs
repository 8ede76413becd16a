// A learner log of `n` events in the app's storage layout 1 (a meta record plus 50-event
// segments), as localStorage keys and values: what the benchmarks seed before a cold start.
export function seedLog(n) {
  const events = [];
  for (let p = 1; p <= n; p++) {
    const data = p === 1 ? { lesson: "fold" } : { theme: p % 2 ? "dark" : "light" };
    const type = p === 1 ? "lesson-opened" : "theme-chosen";
    events.push({ id: `seed-${p}`, stream: "learner", version: p, position: p, type, schema: p === 1 ? 2 : 1, data, recorded_at: 1_700_000_000_000 + p });
  }
  const keys = { "foldlab/v1/meta": JSON.stringify({ schema: 1, head: n }) };
  for (let i = 0; i * 50 < n; i++) keys[`foldlab/v1/seg/${i}`] = JSON.stringify(events.slice(i * 50, i * 50 + 50));
  return keys;
}
