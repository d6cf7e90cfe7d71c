// Vitest's global set-up: the `steps` command line bundled once per test run (esbuild, the same
// source as `npm run steps`), so each of the CLI tests' child processes starts in plain Node
// instead of compiling the TypeScript again through tsx (about a second and a half a process).
import { build } from 'esbuild';
import { cliBundle, root } from './cliBundle';

export default async function bundleCli(): Promise<void> {
  await build({
    entryPoints: [`${root}/src/cli/steps.ts`],
    outfile: cliBundle,
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
