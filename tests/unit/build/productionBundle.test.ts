// The production build carries no test code: no file it emits holds a test global (`__steps…`,
// set only by the hooks that test builds add to the page, see vite.config.ts), and the fixture
// model stays out.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
let outDir: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'steps-production-'));
  // Vitest sets NODE_ENV to "test", and Vite builds for production only under "production".
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root, mode: 'production', logLevel: 'silent', build: { outDir } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}, 300_000);

afterAll(() => rm(outDir, { recursive: true, force: true }));

it('has no test global in any emitted file, and no fixture model', async () => {
  const files = (await readdir(outDir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => relative(outDir, join(entry.parentPath, entry.name)).split('\\').join('/'));
  // The app, its workers and their source maps are all among the files searched.
  expect(files).toContain('index.html');
  expect(files.filter((file) => /^assets\/llm\.worker-.*\.js(\.map)?$/.test(file))).toHaveLength(2);

  const withTestGlobal: string[] = [];
  for (const file of files) {
    if ((await readFile(join(outDir, file))).includes('__steps')) withTestGlobal.push(file);
  }
  expect(withTestGlobal).toEqual([]);
  expect(files.filter((file) => file.startsWith('fixture-models/'))).toEqual([]);
});
