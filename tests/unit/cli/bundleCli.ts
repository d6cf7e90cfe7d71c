// Vitest's global set-up: the `steps` command line bundled once per test run (esbuild, the same
// source as `npm run steps`), so each of the CLI tests' child processes starts in plain Node
// instead of compiling the TypeScript again through tsx (about a second and a half a process).
import { build } from 'esbuild';
import { dirname } from 'node:path';
import { cliBundle, root } from './cliBundle';

export default async function bundleCli(): Promise<void> {
  await build({
    // The search threads' entry beside it (src/cli/searchThreads.ts starts searchThread.mjs).
    entryPoints: [`${root}/src/cli/steps.ts`, `${root}/src/cli/searchThread.ts`],
    outdir: dirname(cliBundle),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Packages load from node_modules as they do under tsx.
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}
