import { defineConfig } from '@playwright/test';

/** Debian's Chromium, never a downloaded browser (none can be fetched here). */
const chromiumArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
];

/** Another port (and build folder) lets two test runs share a machine. */
const port = Number(process.env.STEPS_E2E_PORT ?? 4173);
const outDir = process.env.STEPS_E2E_DIST ?? 'dist';

// Tests wait on states (a heading, a count, a stored record), never on sleeps. How long a state
// takes depends on the machine's load (a 2-core CI machine next to other work), so no wait has a
// budget of its own: every expectation may wait as long as a state can reasonably take, and a
// test as long as the slowest one (a synthesis run with the fixture on a loaded machine).
const stateTimeoutMs = 10 * 60_000;

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 20 * 60_000,
  expect: { timeout: stateTimeoutMs },
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    headless: true,
    // The build's service worker caches about 40 MB in the background of every fresh context, and
    // the page then counts it as stored and becomes isolated at its next load: state a test does
    // not control. Only tests/e2e/offline.spec.ts, which is about that worker, lets it run.
    serviceWorkers: 'block',
    launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs },
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort --outDir ${outDir}`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: false,
    timeout: stateTimeoutMs,
  },
});
