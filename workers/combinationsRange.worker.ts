// One worker of the pool that splits an all-start combination search (workers/combinationsPool.ts):
// it keeps the search it was prepared with and searches the start ranges it is sent.
import { StartRangeSearch } from '../src/core/taxonomy/combinationSearch';
import type { CombinationsRangeApi } from './combinationsApi';
import { serveWorker } from './protocol';

let search: StartRangeSearch | null = null;

serveWorker<CombinationsRangeApi>({
  async prepare({ terms, tree, options }) {
    search = new StartRangeSearch(terms, tree, options);
    return null;
  },
  async range({ from, to }) {
    if (!search) throw new Error('This range worker has no search: prepare one first.');
    return search.table(from, to);
  },
});
