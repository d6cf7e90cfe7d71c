// The real instruct model of the tests and benchmarks, SmolLM2-135M-Instruct (Q4_1 GGUF), where
// scripts/test-model.mjs puts it (`npm test` runs that script first). Tests that need it are
// skipped, saying so, when the file is absent.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const testModelPath = fileURLToPath(
  new URL('../../.cache/models/SmolLM2-135M-Instruct.Q4_1.gguf', import.meta.url),
);

/** Why tests of the real model are skipped, or null when the model is here. */
export const testModelMissing = existsSync(testModelPath)
  ? null
  : `${testModelPath} is missing: run \`node scripts/test-model.mjs\` to fetch it`;
