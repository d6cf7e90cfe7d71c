// The page's bridges to its workers (workers/bridge.ts), one per worker API. The import, taxonomy
// and combination-search workers are stateless: each starts on its first call, stays for the next,
// and is terminated to stop a running call; as each has its own, cancelling a search never touches
// a tree build. A model worker is stateful, and each chosen model has one of its own.
import { WorkerBridge } from './bridge';
import type { CombinationsApi } from './combinationsApi';
import type { ExploreApi } from './exploreApi';
import type { ImportApi } from './importApi';
import type { LlmApi } from './llmApi';
import type { SkillsApi } from './skillsApi';
import type { TaxonomyApi } from './taxonomyApi';

/** Corpus file → stored samples. */
export const importBridge = new WorkerBridge<ImportApi>(
  () => new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module' }),
);

/** Corpus → graph → tree. */
export const taxonomyBridge = new WorkerBridge<TaxonomyApi>(
  () => new Worker(new URL('./taxonomy.worker.ts', import.meta.url), { type: 'module' }),
);

/** Tree → skill combinations. */
export const combinationsBridge = new WorkerBridge<CombinationsApi>(
  () => new Worker(new URL('./combinations.worker.ts', import.meta.url), { type: 'module' }),
);

/** A transformers.js model worker of its own (workers/transformersBackend.ts drives it). */
export function createLlmBridge(): WorkerBridge<LlmApi> {
  return new WorkerBridge<LlmApi>(
    () => new Worker(new URL('./llm.worker.ts', import.meta.url), { type: 'module' }),
    { stateful: true },
  );
}

/** A corpus's skill graph as the Skills step shows it. */
export const skillsBridge = new WorkerBridge<SkillsApi>(
  () => new Worker(new URL('./skills.worker.ts', import.meta.url), { type: 'module' }),
);

/** Outlines and comparisons of stored taxonomies, for the explorer. */
export const exploreBridge = new WorkerBridge<ExploreApi>(
  () => new Worker(new URL('./explore.worker.ts', import.meta.url), { type: 'module' }),
);

/** Level sweeps: an explore worker of their own, so a long sweep never holds up the explorer. */
export const levelSweepBridge = new WorkerBridge<ExploreApi>(
  () => new Worker(new URL('./explore.worker.ts', import.meta.url), { type: 'module' }),
);
