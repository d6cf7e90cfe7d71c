// Installs what is missing before `npm start` / `npm test`, so both work on a fresh clone.
// Node built-ins only: this runs before node_modules exists.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { ensureTestModel } from './test-model.mjs';

const run = (command, env = {}) =>
  execSync(command, { stdio: 'inherit', env: { ...process.env, ...env } });

// npm writes node_modules/.package-lock.json on every install; older than the lockfile = stale.
const installed = 'node_modules/.package-lock.json';
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync('package-lock.json').mtimeMs) {
  console.log('[ensure-deps] installing npm packages (npm ci)…');
  // onnxruntime-node's install script fetches from a host this network cannot reach; its CPU
  // binaries ship in the package, so the download is skipped.
  run('npm ci --no-audit --no-fund', { ONNXRUNTIME_NODE_INSTALL: 'skip' });
}

if (process.argv.includes('--browser') && !existsSync('/usr/bin/chromium')) {
  if (process.getuid?.() !== 0) {
    console.error(
      "[ensure-deps] the browser tests need Debian's Chromium at /usr/bin/chromium.\n" +
        'Install it with: sudo apt-get update && sudo apt-get install -y chromium',
    );
    process.exit(1);
  }
  console.log('[ensure-deps] installing Debian chromium (apt-get)…');
  aptGet('update', '-qq');
  aptGet('install', '-y', '-qq', 'chromium');
}

// The browser tests and benchmarks run a real instruct model (scripts/test-model.mjs).
if (process.argv.includes('--browser')) ensureTestModel();

/**
 * apt-get, waiting for the apt/dpkg locks that another install (unattended upgrades, a second
 * checkout's set-up) may hold, instead of failing: dpkg's own wait for install, retries for update.
 */
function aptGet(...args) {
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    const result = spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], {
      stdio: ['ignore', 'inherit', 'pipe'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      encoding: 'utf8',
    });
    process.stderr.write(result.stderr ?? '');
    if (result.status === 0) return;
    if (!/lock/i.test(result.stderr ?? '') || Date.now() > deadline) {
      throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status}).`);
    }
    console.log('[ensure-deps] apt is busy (lock held by another process); waiting 10 s…');
    execSync('sleep 10');
  }
}
