import { WorkerBridge } from '../../../workers/bridge';
import type { TaxonomyApi } from '../../../workers/taxonomyApi';

/** The one taxonomy worker of the page, shared by the Taxonomy and Combinations steps. */
export const taxonomyWorker = new WorkerBridge<TaxonomyApi>(
  () =>
    new Worker(new URL('../../../workers/taxonomy.worker.ts', import.meta.url), {
      type: 'module',
    }),
);
