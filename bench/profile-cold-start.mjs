// Where a cold start's time goes: loads the app on a seeded 10,000-event log in headless Chromium
// with V8's sampling profiler on, and prints the time spent under the app's cold start
// (`open_log`), split by the functions it calls. Needs function names, so it profiles a copy of
// dist/ whose wasm is rebuilt with names kept and without wasm-opt (slower than the release
// build, in proportion). Run after `trunk build --release`: node bench/profile-cold-start.mjs [loads]
import { chromium } from "@playwright/test";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { replaceStorage, seedLog } from "./seed-log.mjs";

const root = resolve(import.meta.dirname, "..");
const port = 4315;
const base = `http://127.0.0.1:${port}`;
const flags = JSON.parse(readFileSync(resolve(root, "tests/chromium-flags.json"), "utf8"));
const loads = Number(process.argv[2] ?? 3);

function run(program, args) {
  const done = spawnSync(program, args, { cwd: root, stdio: "inherit" });
  if (done.status !== 0) throw new Error(`${program} ${args.join(" ")} failed`);
}

/** dist/ with the app's wasm and JS glue replaced by a build that keeps function names. */
function namedCopy() {
  run("cargo", ["build", "--release", "--target", "wasm32-unknown-unknown", "-p", "foldlab"]);
  const scratch = mkdtempSync(resolve(tmpdir(), "foldlab-profile-"));
  run("wasm-bindgen", ["--target", "web", "--keep-debug", "--out-dir", resolve(scratch, "named"), "target/wasm32-unknown-unknown/release/foldlab.wasm"]);
  const dist = resolve(scratch, "dist");
  cpSync(resolve(root, "dist"), dist, { recursive: true });
  const app = readdirSync(dist).find((f) => /^foldlab-[0-9a-f]+\.js$/.test(f));
  if (!app) throw new Error("no app script in dist/: run trunk build --release first");
  cpSync(resolve(scratch, "named/foldlab.js"), resolve(dist, app));
  cpSync(resolve(scratch, "named/foldlab_bg.wasm"), resolve(dist, app.replace(/\.js$/, "_bg.wasm")));
  // The hashes Trunk wrote for the release files no longer match.
  const index = resolve(dist, "index.html");
  writeFileSync(index, readFileSync(index, "utf8").replace(/ integrity="[^"]*"/g, ""));
  return dist;
}

/** Milliseconds of samples under `root`, by the chain of up to `depth` calls below it. */
function spansUnder(profile, root, depth) {
  const node = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const name = (id) => node.get(id).callFrame.functionName.replace(/::h[0-9a-f]{16}$/, "") || "(anonymous)";
  const spans = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const millis = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const stack = [];
    for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) stack.push(name(id));
    const at = stack.findIndex((frame) => frame.includes(root));
    if (at < 0) continue;
    for (let d = 0; d <= Math.min(depth, at); d++) {
      const key = stack.slice(at - d, at + 1).reverse().join(" > ");
      spans.set(key, (spans.get(key) ?? 0) + millis);
    }
  }
  return spans;
}

const server = spawn(process.execPath, [resolve(root, "tests/e2e/static-server.mjs"), namedCopy(), String(port)], { stdio: "ignore" });
try {
  for (let i = 0; i < 50; i++) {
    try { await fetch(base); break; } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: flags.filter((f) => f !== "--headless") });
  for (let load = 1; load <= loads; load++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await replaceStorage(page, seedLog(10_000));
    const cdp = await context.newCDPSession(page);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
    await cdp.send("Profiler.start");
    await page.reload();
    await page.getByRole("button", { name: "Dark theme" }).waitFor();
    const { profile } = await cdp.send("Profiler.stop");
    const [measured] = await page.evaluate(() => performance.getEntriesByName("foldlab:open-log").map((e) => e.duration));
    console.log(`load ${load}: foldlab:open-log ${measured.toFixed(1)} ms; sampled under open_log:`);
    const spans = [...spansUnder(profile, "open_log", 3)].filter(([, ms]) => ms >= 0.5).sort((a, b) => b[1] - a[1]);
    for (const [chain, ms] of spans.slice(0, 16)) console.log(`${ms.toFixed(1).padStart(8)} ms  ${chain}`);
    await context.close();
  }
  await browser.close();
} finally {
  server.kill();
}
