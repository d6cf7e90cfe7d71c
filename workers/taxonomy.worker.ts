// The taxonomy step off the main thread: stored samples → skill graph → encoding tree, by
// src/core/steps.ts. Graph and taxonomy are stored under the parameters that produced them and
// reused when asked again.
import { buildTaxonomy, SkillGraphBuilder, type SkillGraph } from '../src/core/steps';
import { getCorpus, iterateSamples } from '../src/storage/corpusStore';
import {
  getGraph,
  getTaxonomy,
  graphKey,
  saveGraph,
  saveTaxonomy,
  taxonomyKey,
  type GraphParams,
} from '../src/storage/taxonomyStore';
import { serveWorker } from './protocol';
import type { TaxonomyApi, TaxonomyProgress } from './taxonomyApi';

serveWorker<TaxonomyApi>({
  async taxonomy(params, reportProgress) {
    const id = taxonomyKey(params);
    const stored = await getTaxonomy(id);
    if (stored) return { taxonomy: stored, cached: true };

    const graphStarted = performance.now();
    const graph = await loadOrBuildGraph(params, reportProgress);
    const graphMs = performance.now() - graphStarted;
    reportProgress({ phase: 'building tree', done: 0, total: 1 });
    // Throws UnusableGraphError, whose message says what to do, for one skill or no links.
    const { tree, note, warning, measures, treeMs } = buildTaxonomy(graph, params);

    reportProgress({ phase: 'saving', done: 0, total: 1 });
    const taxonomy = {
      ...params,
      id,
      graphId: graphKey(params),
      skillCount: tree.skillCount,
      edgeCount: graph.targets.length / 2,
      communityOf: tree.communityOf,
      communityParent: tree.communityParent,
      communityCount: tree.communityCount,
      measures,
      ...(note && { note }),
      ...(warning && { warning }),
      timingsMs: { graph: graphMs, tree: treeMs },
      createdAt: Date.now(),
    };
    await saveTaxonomy(taxonomy);
    return { taxonomy, cached: false };
  },
});

async function loadOrBuildGraph(
  params: GraphParams,
  reportProgress: (progress: TaxonomyProgress) => void,
): Promise<SkillGraph> {
  const id = graphKey(params);
  const stored = await getGraph(id);
  if (stored) return stored;
  const corpus = await getCorpus(params.corpusId);
  if (!corpus) throw new Error('That corpus is no longer stored; import it again.');
  const builder = new SkillGraphBuilder();
  const total = corpus.storedSamples;
  let done = 0;
  reportProgress({ phase: 'reading samples', done, total });
  await iterateSamples(params.corpusId, (samples) => {
    for (const sample of samples) builder.add(sample.skills);
    done += samples.length;
    reportProgress({ phase: 'reading samples', done, total });
  });
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
