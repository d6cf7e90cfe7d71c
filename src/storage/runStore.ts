// Resumable runs (synthesis, tagging) and every attempt they make, written the moment each exists,
// so a run survives a reload or a crash and resumes where it stopped. One implementation over a
// pair of stores per kind of run.
import { openStudioDb } from './db';
import { StorageFullError, isQuotaError } from './errors';

export type RunStatus = 'running' | 'paused' | 'done' | 'cancelled';

export interface RunRecordBase {
  [field: string]: unknown;
  /** The run's fingerprint (`runFingerprint` of its parameters). */
  id: string;
  corpusId: string;
  status: RunStatus;
  createdAt: number;
  updatedAt: number;
}

/** An attempt as stored: the run's own record plus its key and corpus. */
export type Stored<Attempt> = Attempt & { [field: string]: unknown; id: string; corpusId: string };

export const attemptKey = (runId: string, index: number) =>
  `${runId}:${String(index).padStart(8, '0')}`;

async function write(what: string, action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (isQuotaError(error)) throw new StorageFullError(what, { cause: error });
    throw error;
  }
}

export interface RunStoreNames {
  runs: 'synthesisRuns' | 'taggingRuns';
  attempts: 'generatedSamples' | 'taggingAttempts';
  /** How messages name such a run, e.g. `tagging run`. */
  label: string;
}

export function runStore<
  Run extends RunRecordBase,
  Attempt extends { runId: string; index: number },
>(names: RunStoreNames) {
  const { runs, attempts, label } = names;
  return {
    /** The stored run with `run`'s id (the same parameters were run before), else `run`, saved. */
    async openRun(run: Run): Promise<Run> {
      const db = await openStudioDb();
      const stored = (await db.get(runs, run.id)) as Run | undefined;
      if (stored) return stored;
      await write(`${label} ${run.id} could not be saved`, () => db.put(runs, run));
      return run;
    },

    /** The corpus's runs, newest first. */
    async listRuns(corpusId: string): Promise<Run[]> {
      const db = await openStudioDb();
      const found = (await db.getAllFromIndex(runs, 'byCorpus', corpusId)) as Run[];
      return found.sort((a, b) => b.createdAt - a.createdAt);
    },

    async setRunStatus(id: string, status: RunStatus): Promise<void> {
      const db = await openStudioDb();
      const tx = db.transaction(runs, 'readwrite');
      const run = (await tx.store.get(id)) as Run | undefined;
      if (!run) return;
      await write(`${label} ${id} could not be updated`, async () => {
        await tx.store.put({ ...run, status, updatedAt: Date.now() });
        await tx.done;
      });
    },

    /** Stores an attempt; one key per attempt index, so an attempt can never be stored twice. */
    async saveAttempt(corpusId: string, attempt: Attempt): Promise<void> {
      const db = await openStudioDb();
      const record: Stored<Attempt> = {
        ...attempt,
        id: attemptKey(attempt.runId, attempt.index),
        corpusId,
      };
      const what = `attempt ${attempt.index} of ${label} ${attempt.runId}`;
      await write(`${what} could not be saved`, async () => {
        const tx = db.transaction(attempts, 'readwrite');
        if (await tx.store.getKey(record.id)) {
          throw new Error(
            `Attempt ${attempt.index} of ${label} ${attempt.runId} is already stored.`,
          );
        }
        await tx.store.add(record);
        await tx.done;
      });
    },

    /** Every attempt of a run, in the order they were made. */
    async listAttempts(runId: string): Promise<Stored<Attempt>[]> {
      const db = await openStudioDb();
      const found = (await db.getAllFromIndex(attempts, 'byRun', runId)) as Stored<Attempt>[];
      return found.sort((a, b) => a.index - b.index);
    },
  };
}
