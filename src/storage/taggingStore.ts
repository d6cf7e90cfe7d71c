// Tagging runs and every attempt they make, written the moment each exists, so a run survives a
// reload or a crash and resumes where it stopped; and the tagged corpus a run is saved as.
import type { Sample } from '../core/corpus/sample';
import {
  mergeRunTags,
  type TaggingAttempt,
  type TaggingRunSpec,
} from '../core/synthesis/taggingRun';
import {
  appendSamples,
  createCorpus,
  deleteCorpus,
  finishCorpus,
  iterateSamples,
} from './corpusStore';
import { openStudioDb } from './db';
import { StorageFullError, isQuotaError } from './errors';
import { attemptKey, type RunStatus } from './synthesisStore';
import type { CorpusMeta, CorpusRecord, CorpusStats } from './types';

export interface TaggingRunRecord {
  [field: string]: unknown;
  /** The run's fingerprint (`runFingerprint` of its parameters). */
  id: string;
  corpusId: string;
  spec: TaggingRunSpec;
  status: RunStatus;
  createdAt: number;
  updatedAt: number;
}

/** One attempt as stored in `taggingAttempts`. */
export interface StoredTaggingAttempt extends TaggingAttempt {
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

export async function saveRun(run: TaggingRunRecord): Promise<void> {
  const db = await openStudioDb();
  await write(`tagging run ${run.id} could not be saved`, () => db.put('taggingRuns', run));
}

/** The corpus's tagging runs, newest first. */
export async function listRuns(corpusId: string): Promise<TaggingRunRecord[]> {
  const db = await openStudioDb();
  const runs = (await db.getAllFromIndex(
    'taggingRuns',
    'byCorpus',
    corpusId,
  )) as TaggingRunRecord[];
  return runs.sort((a, b) => b.createdAt - a.createdAt);
}

export async function setRunStatus(id: string, status: RunStatus): Promise<void> {
  const db = await openStudioDb();
  const tx = db.transaction('taggingRuns', 'readwrite');
  const run = (await tx.store.get(id)) as TaggingRunRecord | undefined;
  if (!run) return;
  await write(`tagging run ${id} could not be updated`, async () => {
    await tx.store.put({ ...run, status, updatedAt: Date.now() });
    await tx.done;
  });
}

export const taggingAttemptKey = (runId: string, index: number) =>
  `${runId}:${String(index).padStart(8, '0')}`;

/** Stores an attempt; one key per attempt index, so an attempt can never be stored twice. */
export async function saveAttempt(corpusId: string, attempt: TaggingAttempt): Promise<void> {
  const db = await openStudioDb();
  const record: StoredTaggingAttempt = {
    ...attempt,
    id: attemptKey(attempt.runId, attempt.index),
    corpusId,
  };
  await write(
    `attempt ${attempt.index} of tagging run ${attempt.runId} could not be saved`,
    async () => {
      const tx = db.transaction('taggingAttempts', 'readwrite');
      if (await tx.store.getKey(record.id)) {
        throw new Error(
          `Attempt ${attempt.index} of tagging run ${attempt.runId} is already stored.`,
        );
      }
      await tx.store.add(record);
      await tx.done;
    },
  );
}

/** Every attempt of a run, in the order they were made. */
export async function listAttempts(runId: string): Promise<StoredTaggingAttempt[]> {
  const db = await openStudioDb();
  const attempts = (await db.getAllFromIndex(
    'taggingAttempts',
    'byRun',
    runId,
  )) as StoredTaggingAttempt[];
  return attempts.sort((a, b) => a.index - b.index);
}

/**
 * Saves a run's result as a new corpus named `<source> · tagged by <model>`: every sample of the
 * source that got at least one skill, in source order, with its canonical skills (`mergeRunTags`).
 * The source corpus is not changed. A failure removes the partial new corpus.
 */
export async function saveTaggedCorpus(
  source: CorpusRecord,
  run: TaggingRunRecord,
  attempts: readonly TaggingAttempt[],
): Promise<CorpusRecord> {
  const { skillsOf } = mergeRunTags(attempts);
  if (![...skillsOf.values()].some((skills) => skills.length > 0)) {
    throw new Error(`Tagging run ${run.id} has no tagged sample yet; nothing to save.`);
  }
  const { model } = run.spec;
  const meta: CorpusMeta = {
    name: `${source.name} · tagged by ${model.id}`,
    fileName: source.fileName,
    fileSize: source.fileSize,
    format: source.format,
    shape: source.shape,
    tagField: null,
    delimiter: null,
    taggedFrom: { corpusId: source.id, corpusName: source.name, runId: run.id, model },
  };
  const corpus = await createCorpus(meta);
  const stats: CorpusStats = { rows: 0, kept: 0, tagged: 0, skills: 0, tagsPerSample: {} };
  const skills = new Set<string>();
  try {
    await iterateSamples(source.id, async (batch) => {
      const tagged: Sample[] = [];
      for (const sample of batch) {
        const canonical = skillsOf.get(sample.id);
        if (!canonical || canonical.length === 0) continue;
        tagged.push({
          id: sample.id,
          messages: sample.messages,
          skills: canonical,
          source: sample.source,
        });
        for (const skill of canonical) skills.add(skill);
        const key = String(canonical.length);
        stats.tagsPerSample[key] = (stats.tagsPerSample[key] ?? 0) + 1;
      }
      if (tagged.length > 0) await appendSamples(corpus.id, tagged);
      stats.rows += tagged.length;
    });
    stats.kept = stats.tagged = stats.rows;
    stats.skills = skills.size;
    return await finishCorpus(corpus.id, stats, []);
  } catch (error) {
    // A full quota has undone the corpus already; any other failure leaves it half-written.
    if (!(error instanceof StorageFullError)) await deleteCorpus(corpus.id);
    throw error;
  }
}
