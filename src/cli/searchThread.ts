// One worker thread of an all-start combination search (src/cli/searchThreads.ts starts them):
// it builds the search once from its workerData, then answers each start range it is sent with
// that range's combinations table, its arrays handed over rather than copied.
import { parentPort, workerData } from 'node:worker_threads';
import { tableBuffers, type StartRange } from '../core/combinations/startRanges';
import { StartRangeSearch } from '../core/taxonomy/combinationSearch';
import type { SearchThreadData, SearchThreadResult } from './searchThreads';

const { terms, tree, options } = workerData as SearchThreadData;
const search = new StartRangeSearch(terms, tree, options);

parentPort!.on('message', ({ index, from, to }: StartRange & { index: number }) => {
  const table = search.table(from, to);
  const result: SearchThreadResult = { index, table };
  parentPort!.postMessage(result, tableBuffers(table));
});
