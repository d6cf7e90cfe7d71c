// The `steps` command line run as a real child process, from the repository root (bundled once
// per test run by tests/unit/cli/bundleCli.ts).
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { cliBundle, root } from './cliBundle';

const node = process.execPath;
const MAX_BUFFER = 1 << 26;
const execFileAsync = promisify(execFile);

/** Runs `steps …`; resolves with its output, rejects (with `stderr`) when it exits non-zero. */
export function steps(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return execFileAsync(node, [cliBundle, ...args], { cwd: root, maxBuffer: MAX_BUFFER });
}

/** Runs `steps …` to its end, whatever its exit status. */
export function stepsSync(...args: string[]): {
  status: number | null;
  stdout: string;
  stderr: string;
} {
  const run = spawnSync(node, [cliBundle, ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: MAX_BUFFER,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Runs `steps …` to its end, its stdout as bytes (for binary output). */
export function stepsBytes(...args: string[]): {
  status: number | null;
  stdout: Buffer;
  stderr: string;
} {
  const run = spawnSync(node, [cliBundle, ...args], { cwd: root, maxBuffer: MAX_BUFFER });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr.toString('utf8') };
}

/** The JSON `steps …` prints, after checking it succeeded without a word on stderr. */
export function stepsJson<T>(...args: string[]): T {
  const run = stepsSync(...args);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as T;
}
