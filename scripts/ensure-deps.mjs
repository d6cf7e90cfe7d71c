// Installs what is missing before `npm start` / `npm test`, so both work on a fresh clone.
// Node built-ins only: this runs before node_modules exists.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

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
  run('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium');
}
