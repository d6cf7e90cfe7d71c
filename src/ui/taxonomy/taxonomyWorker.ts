import { WorkerBridge } from '../../../workers/bridge';
import type { CombinationsApi } from '../../../workers/combinationsApi';
import type { TaxonomyApi } from '../../../workers/taxonomyApi';

/** The page's taxonomy worker (corpus → graph → tree). */
export const taxonomyWorker = new WorkerBridge<TaxonomyApi>(
  () =>
    new Worker(new URL('../../../workers/taxonomy.worker.ts', import.meta.url), {
      type: 'module',
    }),
);

/** The page's combination-search worker, apart so that cancelling a search spares a build. */
export const combinationsWorker = new WorkerBridge<CombinationsApi>(
  () =>
    new Worker(new URL('../../../workers/combinations.worker.ts', import.meta.url), {
      type: 'module',
    }),
);
