// Synthesis runs and every attempt they make (see runStore.ts); attempts live in
// `generatedSamples`: valid ones carry the sample, discards the reason.
import type { SynthesisAttempt, SynthesisRunSpec } from '../core/synthesis/synthesisRun';
import { openStudioDb } from './db';
import { attemptKey, runStore, type RunRecordBase, type Stored } from './runStore';

export { attemptKey, type RunStatus } from './runStore';

export interface SynthesisRunRecord extends RunRecordBase {
  taxonomyId: string;
  spec: SynthesisRunSpec;
}

export type StoredAttempt = Stored<SynthesisAttempt>;

export const { openRun, listRuns, setRunStatus, saveAttempt, listAttempts } = runStore<
  SynthesisRunRecord,
  SynthesisAttempt
>({ runs: 'synthesisRuns', attempts: 'generatedSamples', label: 'run' });

/**
 * The run's attempts in the order they were made, `size` at a time. An attempt's key is
 * `attemptKey(runId, index)`, zero-padded, so the key order is the attempt order and each batch
 * is one `getAll` over a key range after the last key read. Each batch is read in a transaction
 * of its own, so none is held open while the caller works on a batch.
 */
export async function* attemptBatches(
  runId: string,
  size: number,
): AsyncGenerator<StoredAttempt[]> {
  const db = await openStudioDb();
  const upper = `${runId}:\uffff`;
  let range = IDBKeyRange.bound(attemptKey(runId, 0), upper);
  for (;;) {
    const batch = (await db.getAll('generatedSamples', range, size)) as StoredAttempt[];
    if (batch.length > 0) yield batch;
    if (batch.length < size) return;
    range = IDBKeyRange.bound(batch[batch.length - 1].id, upper, true);
  }
}

/** The attempts stored under these keys (`attemptKey`), in one transaction; undefined where none is. */
export async function getAttempts(keys: readonly string[]): Promise<(StoredAttempt | undefined)[]> {
  const db = await openStudioDb();
  const tx = db.transaction('generatedSamples');
  const found = await Promise.all(keys.map((key) => tx.store.get(key)));
  await tx.done;
  return found as (StoredAttempt | undefined)[];
}
