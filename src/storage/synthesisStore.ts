// Synthesis runs and every attempt they make, written the moment each exists, so a run survives
// a reload or a crash and resumes where it stopped.
import type { SynthesisAttempt, SynthesisRunSpec } from '../core/synthesis/synthesisRun';
import { openStudioDb } from './db';
import { StorageFullError, isQuotaError } from './errors';

export type RunStatus = 'running' | 'paused' | 'done' | 'cancelled';

export interface SynthesisRunRecord {
  [field: string]: unknown;
  /** The run's fingerprint (`runFingerprint` of its parameters). */
  id: string;
  corpusId: string;
  taxonomyId: string;
  spec: SynthesisRunSpec;
  status: RunStatus;
  createdAt: number;
  updatedAt: number;
}

/** One attempt as stored in `generatedSamples`: valid ones carry the sample, discards the reason. */
export interface StoredAttempt extends SynthesisAttempt {
  [field: string]: unknown;
  id: string;
  corpusId: string;
}

async function write(what: string, action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (isQuotaError(error)) throw new StorageFullError(what, { cause: error });
    throw error;
  }
}

export async function saveRun(run: SynthesisRunRecord): Promise<void> {
  const db = await openStudioDb();
  await write(`run ${run.id} could not be saved`, () => db.put('synthesisRuns', run));
}

export async function getRun(id: string): Promise<SynthesisRunRecord | undefined> {
  const db = await openStudioDb();
  return (await db.get('synthesisRuns', id)) as SynthesisRunRecord | undefined;
}

/** The corpus's runs, newest first. */
export async function listRuns(corpusId: string): Promise<SynthesisRunRecord[]> {
  const db = await openStudioDb();
  const runs = (await db.getAllFromIndex(
    'synthesisRuns',
    'byCorpus',
    corpusId,
  )) as SynthesisRunRecord[];
  return runs.sort((a, b) => b.createdAt - a.createdAt);
}

export async function setRunStatus(id: string, status: RunStatus): Promise<void> {
  const db = await openStudioDb();
  const tx = db.transaction('synthesisRuns', 'readwrite');
  const run = (await tx.store.get(id)) as SynthesisRunRecord | undefined;
  if (!run) return;
  await write(`run ${id} could not be updated`, async () => {
    await tx.store.put({ ...run, status, updatedAt: Date.now() });
    await tx.done;
  });
}

export const attemptKey = (runId: string, index: number) =>
  `${runId}:${String(index).padStart(8, '0')}`;

/** Stores an attempt; one key per attempt index, so an attempt can never be stored twice. */
export async function saveAttempt(corpusId: string, attempt: SynthesisAttempt): Promise<void> {
  const db = await openStudioDb();
  const record: StoredAttempt = {
    ...attempt,
    id: attemptKey(attempt.runId, attempt.index),
    corpusId,
  };
  await write(`attempt ${attempt.index} of run ${attempt.runId} could not be saved`, async () => {
    const tx = db.transaction('generatedSamples', 'readwrite');
    if (await tx.store.getKey(record.id)) {
      throw new Error(`Attempt ${attempt.index} of run ${attempt.runId} is already stored.`);
    }
    await tx.store.add(record);
    await tx.done;
  });
}

/** Every attempt of a run, in the order they were made. */
export async function listAttempts(runId: string): Promise<StoredAttempt[]> {
  const db = await openStudioDb();
  const attempts = (await db.getAllFromIndex(
    'generatedSamples',
    'byRun',
    runId,
  )) as StoredAttempt[];
  return attempts.sort((a, b) => a.index - b.index);
}
