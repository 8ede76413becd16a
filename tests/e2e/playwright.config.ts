// Playwright against the release build in dist/, in Debian's Chromium (browsers cannot be
// downloaded here), served by static-server.mjs on 127.0.0.1.
import { defineConfig } from "@playwright/test";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

// The same flags as the wasm tests: no sandbox as root, no GPU, no background networking.
const flags: string[] = JSON.parse(readFileSync(resolve(__dirname, "../chromium-flags.json"), "utf8"));

// Not 4173, Vite's preview port: outside CI a server already listening is reused, and it must be
// this one, not another project's. E2E_PORT moves it, for a second checkout testing its own build.
const port = Number(process.env.E2E_PORT ?? 4617);

export default defineConfig({
  testDir: ".",
  testMatch: "*.spec.ts",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: "list",
  outputDir: "../../target/playwright",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: flags.filter((flag) => flag !== "--headless"),
    },
  },
  webServer: {
    command: `node static-server.mjs ../../dist ${port}`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 30_000,
  },
});
