// What many unit tests read: the bundled demo corpus and the fixture model (through the same
// transformers.js adapter the app uses, on onnxruntime-node).
import { env } from '@huggingface/transformers';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Sample } from '../../src/core/corpus/sample';
import { loadTransformersEngine, type TransformersEngine } from '../../src/llm/transformersEngine';

/** The fixture's own folder name; transformers.js must look in tests/fixtures/models/. */
export const FIXTURE_MODEL = 'steps-fixture';
export const fixtureModelsFolder = new URL('../fixtures/models/', import.meta.url);

/** public/demo/demo-corpus.jsonl, one sample per line. */
export function readDemoCorpus(): Sample[] {
  return readFileSync(new URL('../../public/demo/demo-corpus.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Sample);
}

/** The fixture model, from this checkout only (never the hub). */
export function loadFixtureEngine(): Promise<TransformersEngine> {
  env.allowRemoteModels = false;
  env.localModelPath = fileURLToPath(fixtureModelsFolder);
  return loadTransformersEngine({ model: FIXTURE_MODEL, device: 'cpu' });
}
