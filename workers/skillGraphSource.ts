// The stored skill graph of a corpus under given parameters, built from its samples (and stored)
// when there is none yet; and the corpus's samples indexed against a graph. Shared by the workers
// that need a corpus's graph: the taxonomy builds on it, the Skills step shows it.
import { SampleIndexBuilder, SkillGraphBuilder, type SampleIndex } from '../src/core/steps';
import type { SkillGraph } from '../src/core/steps';
import { getCorpus, iterateSamples } from '../src/storage/corpusStore';
import { getGraph, graphKey, saveGraph, type GraphParams } from '../src/storage/taxonomyStore';

export interface ReadProgress<Phase extends string> {
  phase: Phase;
  done: number;
  total: number;
}

async function readSkillLists<Phase extends string>(
  corpusId: string,
  phase: Phase,
  add: (skills: readonly string[]) => void,
  reportProgress: (progress: ReadProgress<Phase>) => void,
): Promise<void> {
  const corpus = await getCorpus(corpusId);
  if (!corpus) throw new Error('That corpus is no longer stored; import it again.');
  const total = corpus.storedSamples;
  let done = 0;
  reportProgress({ phase, done, total });
  await iterateSamples(corpusId, (samples) => {
    for (const sample of samples) add(sample.skills);
    done += samples.length;
    reportProgress({ phase, done, total });
  });
}

export async function loadOrBuildGraph(
  params: GraphParams,
  reportProgress: (progress: ReadProgress<'reading samples' | 'building graph'>) => void,
): Promise<SkillGraph> {
  const id = graphKey(params);
  const stored = await getGraph(id);
  if (stored) return stored;
  const builder = new SkillGraphBuilder();
  await readSkillLists(
    params.corpusId,
    'reading samples' as const,
    (skills) => builder.add(skills),
    reportProgress,
  );
  reportProgress({ phase: 'building graph', done: 0, total: 1 });
  const graph = builder.build({ weighting: params.weighting, minCount: params.minCount });
  await saveGraph({
    ...params,
    ...graph,
    id,
    edgeCount: graph.targets.length / 2,
    createdAt: Date.now(),
  });
  return graph;
}

/** The corpus's samples as skill ids of `graph` (core/combinations/sampleIndex.ts). */
export async function indexCorpus(
  corpusId: string,
  graph: SkillGraph,
  reportProgress: (progress: ReadProgress<'indexing samples'>) => void,
): Promise<SampleIndex> {
  const builder = new SampleIndexBuilder(graph.names);
  await readSkillLists(
    corpusId,
    'indexing samples' as const,
    (skills) => builder.add(skills),
    reportProgress,
  );
  return builder.build();
}
