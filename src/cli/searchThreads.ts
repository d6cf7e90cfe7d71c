// An all-start combination search over several worker threads (src/cli/searchThread.ts): the
// starts cut into contiguous ranges that the threads take one after another, the results handed
// on in start order (src/core/combinations/startRanges.ts), so the output is exactly one
// thread's. At most a few ranges wait to be written, so streaming stays in bounded memory.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  InRangeOrder,
  joinRangeTables,
  shrinkingRanges,
  threadsFor,
  type StartRange,
} from '../core/combinations/startRanges';
import type { EncodingTree } from '../core/taxonomy/encodingTree';
import type { TreeTerms } from '../core/taxonomy/entropy';
import {
  StartRangeSearch,
  type CombinationSearchOptions,
  type CombinationTable,
} from '../core/taxonomy/combinationSearch';

/** What a search thread is started with: the search without its callbacks. */
export interface SearchThreadData {
  terms: TreeTerms;
  tree: EncodingTree;
  options: Omit<CombinationSearchOptions, 'exclude' | 'onStartDone'>;
}

export interface SearchThreadResult {
  index: number;
  table: CombinationTable;
}

/** Threads for a search: one per core this process may use. */
export function searchThreadCount(): number {
  return availableParallelism();
}

/** Ranges searched ahead of the one written next, per thread. */
const AHEAD_PER_THREAD = 3;

/**
 * A search thread, its entry beside this module: the TypeScript under tsx (`npm run steps`),
 * loaded through tsx's require hook in the thread itself; or, where the CLI is bundled (as its
 * tests run it, tests/unit/cli/bundleCli.ts), the bundled entry, searchThread.mjs.
 */
function startThread(data: SearchThreadData): Worker {
  const typescript = import.meta.url.endsWith('.ts');
  const entry = new URL(typescript ? './searchThread.ts' : './searchThread.mjs', import.meta.url);
  // The rule keeps page workers behind their bridges; these are Node threads of the CLI's own.
  /* eslint-disable no-restricted-syntax */
  if (!typescript) return new Worker(entry, { workerData: data });
  const tsx = fileURLToPath(import.meta.resolve('tsx/cjs/api'));
  const code = `require(${JSON.stringify(tsx)}).require(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)})`;
  return new Worker(code, { eval: true, workerData: data });
  /* eslint-enable no-restricted-syntax */
}

/**
 * The search's combinations, range after range in start order, from `threads` threads (with one
 * thread, or one range, in this one); with `dedupeAcrossStarts`, one table at the end, each skill
 * set once over the whole search.
 */
export async function* searchInThreads(
  data: SearchThreadData,
  threads: number,
): AsyncGenerator<CombinationTable, void, undefined> {
  const { dedupeAcrossStarts, ...options } = data.options;
  const tables = rangeTables({ ...data, options }, threads);
  if (!dedupeAcrossStarts) {
    yield* tables;
    return;
  }
  const all: CombinationTable[] = [];
  for await (const table of tables) all.push(table);
  yield joinRangeTables(options.size, all, true);
}

async function* rangeTables(
  data: SearchThreadData,
  threads: number,
): AsyncGenerator<CombinationTable, void, undefined> {
  const count = data.options.starts?.length ?? data.tree.skillCount;
  threads = threadsFor(count, threads);
  const ranges = shrinkingRanges(count, threads);
  if (threads === 1) {
    const search = new StartRangeSearch(data.terms, data.tree, data.options);
    for (const { from, to } of ranges) yield search.table(from, to);
    return;
  }
  const workers = Array.from({ length: Math.min(threads, ranges.length) }, () => startThread(data));
  const order = new InRangeOrder<CombinationTable>();
  const ready: CombinationTable[] = [];
  const idle: Worker[] = [];
  let sent = 0;
  let handedOn = 0;
  let failure: Error | null = null;
  let wake = () => {};
  // A range goes to an idle thread unless too many wait, searched, for the one written next.
  const feed = () => {
    while (
      idle.length > 0 &&
      sent < ranges.length &&
      sent - handedOn < AHEAD_PER_THREAD * workers.length
    ) {
      const range: StartRange & { index: number } = { index: sent, ...ranges[sent] };
      idle.pop()!.postMessage(range);
      sent++;
    }
  };
  for (const worker of workers) {
    worker.on('message', ({ index, table }: SearchThreadResult) => {
      ready.push(...order.put(index, table));
      idle.push(worker);
      feed();
      wake();
    });
    worker.on('error', (error: Error) => {
      failure ??= error;
      wake();
    });
    idle.push(worker);
  }
  feed();
  try {
    while (handedOn < ranges.length) {
      if (failure) throw failure;
      const table = ready.shift();
      if (table === undefined) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      handedOn++;
      feed();
      yield table;
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
