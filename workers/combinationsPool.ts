// An all-start combination search over a pool of range workers (combinationsRange.worker.ts),
// started from the combinations worker: the starts cut into contiguous ranges, smaller towards
// the end, that the workers take one after another, the tables joined in start order
// (src/core/combinations/startRanges.ts), so the result is exactly one worker's. Cancelling
// terminates the combinations worker, and the browser ends the workers it started with it.
import {
  InRangeOrder,
  joinRangeTables,
  shrinkingRanges,
  threadsFor,
} from '../src/core/combinations/startRanges';
import { StartRangeSearch, type CombinationTable } from '../src/core/taxonomy/combinationSearch';
import type { EncodingTree } from '../src/core/taxonomy/encodingTree';
import type { TreeTerms } from '../src/core/taxonomy/entropy';
import { WorkerBridge } from './bridge';
import type { CombinationsRangeApi, RangeSearchOptions } from './combinationsApi';

/** The one place that decides how many workers search: one per core, at most eight. */
const poolSize = Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 8));

const pool: WorkerBridge<CombinationsRangeApi>[] = Array.from(
  { length: poolSize },
  () =>
    new WorkerBridge<CombinationsRangeApi>(
      () =>
        new Worker(new URL('./combinationsRange.worker.ts', import.meta.url), { type: 'module' }),
    ),
);

/** Starts the pool's workers ahead of a search, so that it does not wait for them to load. */
export function startPool(): void {
  if (poolSize > 1) for (const bridge of pool) bridge.start();
}

/**
 * Every start's combinations in one table (each skill set once with `dedupeAcrossStarts`), the
 * starts searched by the pool; `onStartsDone` hears the starts searched so far as ranges end.
 * With few starts, or one core, the search runs here.
 */
export async function searchInPool(
  terms: TreeTerms,
  tree: EncodingTree,
  options: RangeSearchOptions,
  onStartsDone: (startsDone: number) => void,
): Promise<CombinationTable> {
  const count = options.starts?.length ?? tree.skillCount;
  const threads = threadsFor(count, poolSize);
  const dedupe = options.dedupeAcrossStarts ?? false;
  if (threads === 1) {
    const table = new StartRangeSearch(terms, tree, options).table(0, count, onStartsDone);
    return joinRangeTables(options.size, [table], dedupe);
  }
  const ranges = shrinkingRanges(count, threads);
  const order = new InRangeOrder<CombinationTable>();
  const tables: CombinationTable[] = [];
  let next = 0;
  let startsDone = 0;
  await Promise.all(
    pool.slice(0, threads).map(async (bridge) => {
      await bridge.call('prepare', { terms, tree, options });
      while (next < ranges.length) {
        const index = next++;
        tables.push(...order.put(index, await bridge.call('range', ranges[index])));
        startsDone += ranges[index].to - ranges[index].from;
        onStartsDone(startsDone);
      }
    }),
  );
  return joinRangeTables(options.size, tables, dedupe);
}
