// Tagging runs and their attempts (see runStore.ts), and the tagged corpus a run is saved as.
import type { Sample } from '../core/corpus/sample';
import { mergeRunTags, type TaggingAttempt, type TaggingRunSpec } from '../core/tagging/taggingRun';
import {
  appendSamples,
  createCorpus,
  deleteCorpus,
  finishCorpus,
  iterateSamples,
} from './corpusStore';
import { StorageFullError } from './errors';
import { runStore, type RunRecordBase, type Stored } from './runStore';
import type { CorpusMeta, CorpusRecord, CorpusStats } from './types';

export interface TaggingRunRecord extends RunRecordBase {
  spec: TaggingRunSpec;
}

/** One attempt as stored in `taggingAttempts`. */
export type StoredTaggingAttempt = Stored<TaggingAttempt>;

export const { openRun, listRuns, setRunStatus, saveAttempt, listAttempts } = runStore<
  TaggingRunRecord,
  TaggingAttempt
>({ runs: 'taggingRuns', attempts: 'taggingAttempts', label: 'tagging run' });

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
