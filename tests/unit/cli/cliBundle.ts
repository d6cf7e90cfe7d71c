// Where tests/unit/cli/bundleCli.ts writes the bundled command line. Two folders below the root,
// as src/cli/ is, so that the CLI's own relative paths (its package.json) resolve the same.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
export const cliBundle = resolve(root, '.cache/cli/steps.mjs');
