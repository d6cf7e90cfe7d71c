// The stored skill graph of a corpus under given parameters, built from the corpus's skill index
// (and stored) when there is none yet; and the corpus's samples indexed against a graph. Neither
// reads the samples: the index holds their skills (src/storage/skillIndexStore.ts), and only a
// corpus stored without one has it built from them, once. Shared by the workers that need a
// corpus's graph: the taxonomy builds on it, the Skills step shows it.
import {
  sampleIndexFromSkillIndex,
  skillGraphFromIndex,
  type SkillIndex,
} from '../src/core/graph/skillIndex';
import type { SampleIndex, SkillGraph } from '../src/core/steps';
import { loadSkillIndex } from '../src/storage/skillIndexStore';
import { getGraph, graphKey, saveGraph, type GraphParams } from '../src/storage/taxonomyStore';

export interface ReadProgress<Phase extends string> {
  phase: Phase;
  done: number;
  total: number;
}

/** Reading the stored index, or (for a corpus stored without one) building it from the samples. */
export type IndexPhase = 'reading skill index' | 'reading samples';

async function readIndex(
  corpusId: string,
  reportProgress: (progress: ReadProgress<IndexPhase>) => void,
): Promise<SkillIndex> {
  reportProgress({ phase: 'reading skill index', done: 0, total: 1 });
  const index = await loadSkillIndex(corpusId, (done, total) =>
    reportProgress({ phase: 'reading samples', done, total }),
  );
  if (!index) throw new Error('That corpus is no longer stored; import it again.');
  return index;
}

/**
 * The graph, and its write to storage when it was built now: the caller may work on the graph
 * while the write commits, and awaits `saved` before storing anything that refers to it.
 */
export async function loadOrBuildGraph(
  params: GraphParams,
  reportProgress: (progress: ReadProgress<IndexPhase | 'building graph'>) => void,
): Promise<{ graph: SkillGraph; saved: Promise<void> }> {
  const id = graphKey(params);
  const stored = await getGraph(id);
  if (stored) return { graph: stored, saved: Promise.resolve() };
  const index = await readIndex(params.corpusId, reportProgress);
  reportProgress({ phase: 'building graph', done: 0, total: 1 });
  const graph = skillGraphFromIndex(index, {
    weighting: params.weighting,
    minCount: params.minCount,
  });
  const saved = saveGraph({
    ...params,
    ...graph,
    id,
    edgeCount: graph.targets.length / 2,
    createdAt: Date.now(),
  });
  saved.catch(() => {}); // the caller awaits it; this only keeps it from counting as unhandled
  return { graph, saved };
}

/** The corpus's samples as skill ids of `graph` (core/combinations/sampleIndex.ts). */
export async function indexCorpus(
  corpusId: string,
  graph: SkillGraph,
  reportProgress: (progress: ReadProgress<IndexPhase | 'indexing samples'>) => void,
): Promise<SampleIndex> {
  const index = await readIndex(corpusId, reportProgress);
  reportProgress({ phase: 'indexing samples', done: 0, total: 1 });
  return sampleIndexFromSkillIndex(index, graph);
}
