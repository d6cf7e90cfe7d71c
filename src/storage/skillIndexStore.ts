// A corpus's skill index (src/core/graph/skillIndex.ts) and what it answers: the skill counts and
// the samples of a skill. The importer stores the index with the finished corpus (corpusStore.ts
// `finishCorpus`); a corpus without one (imported before the index existed, resumed after an
// interruption, or made by a tagging run) gets it built from its samples when first needed, once:
// a lock per corpus makes a second worker asking meanwhile wait for the first one's index.
import { SkillIndexBuilder, type SkillIndex } from '../core/graph/skillIndex';
import { getCorpus, iterateSamples } from './corpusStore';
import { openStudioDb } from './db';
import { isQuotaError } from './errors';
import { chunkHolding, storedSamplesOf } from './sampleChunks';
import { corpusKeyRange } from './schema';
import type { SkillRecord, StoredSample } from './types';

/** Samples read so far of those stored, while an index is built from them. */
export type IndexingProgress = (done: number, total: number) => void;

export async function getSkillIndex(corpusId: string): Promise<SkillIndex | undefined> {
  const db = await openStudioDb();
  const record = await db.get('skillIndexes', corpusId);
  if (!record) return undefined;
  const { names, counts, sampleStart, skillIds } = record;
  return { names, counts, sampleStart, skillIds };
}

async function buildFromSamples(corpusId: string, onProgress: IndexingProgress) {
  const corpus = await getCorpus(corpusId);
  if (!corpus) return undefined;
  const builder = new SkillIndexBuilder();
  const total = corpus.storedSamples;
  let done = 0;
  onProgress(done, total);
  await iterateSamples(corpusId, (samples) => {
    for (const sample of samples) builder.add(sample.skills);
    done += samples.length;
    onProgress(done, total);
  });
  return { index: builder.build(), final: corpus.status === 'ready' };
}

/**
 * The corpus's skill index: the stored one, or one built from its samples. That one is stored
 * when the corpus is complete (`ready`); a corpus still importing would outgrow it. Undefined when
 * no such corpus is stored.
 */
export async function loadSkillIndex(
  corpusId: string,
  onProgress: IndexingProgress = () => {},
): Promise<SkillIndex | undefined> {
  const stored = await getSkillIndex(corpusId);
  if (stored) return stored;
  return navigator.locks.request(`steps-skill-index:${corpusId}`, async () => {
    const builtMeanwhile = await getSkillIndex(corpusId);
    if (builtMeanwhile) return builtMeanwhile;
    const built = await buildFromSamples(corpusId, onProgress);
    if (!built?.final) return built?.index;
    const { index } = built;
    const db = await openStudioDb();
    try {
      await db.put('skillIndexes', { ...index, corpusId });
    } catch (error) {
      // Without room to keep it, the index serves this once and is built again next time.
      if (!isQuotaError(error)) throw error;
    }
    return index;
  });
}

/** The corpus's skills with their sample counts, most frequent first (ties by name). */
export async function listSkills(corpusId: string): Promise<SkillRecord[]> {
  const index = await loadSkillIndex(corpusId);
  if (!index) return [];
  const { names, counts } = index;
  return names
    .map((name, id) => ({ corpusId, name, count: counts[id] }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Up to `limit` samples of the corpus tagged with `skill` (in sample-id order). */
export async function samplesBySkill(
  corpusId: string,
  skill: string,
  limit: number,
): Promise<StoredSample[]> {
  const index = await loadSkillIndex(corpusId);
  if (!index) return [];
  const { names, sampleStart, skillIds } = index;
  const id = names.indexOf(skill);
  if (id < 0) return [];
  const positions: number[] = [];
  for (let s = 0; s + 1 < sampleStart.length; s++) {
    for (let k = sampleStart[s]; k < sampleStart[s + 1]; k++) {
      if (skillIds[k] === id) positions.push(s);
    }
  }
  const db = await openStudioDb();
  const tx = db.transaction('sampleChunks');
  const firsts = (await tx.store.getAllKeys(corpusKeyRange(corpusId))).map(([, first]) => first);
  // Each chunk holding one of the positions is read once.
  const chunkFirsts = new Set<number>();
  for (const seq of positions) {
    const holding = chunkHolding(firsts, seq);
    if (holding >= 0) chunkFirsts.add(firsts[holding]);
  }
  const chunks = await Promise.all(
    [...chunkFirsts].map((first) => tx.store.get([corpusId, first])),
  );
  const wanted = new Set(positions);
  const samples = chunks
    .flatMap((chunk) => (chunk ? storedSamplesOf(chunk) : []))
    .filter((sample) => wanted.has(sample.seq));
  return samples.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, limit);
}
