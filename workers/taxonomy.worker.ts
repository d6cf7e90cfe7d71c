// The method off the main thread: stored samples → skill graph → encoding tree → combinations.
// Each result is stored under the parameters that produced it and reused when asked again.
import { SkillGraphBuilder } from '../src/core/graph/buildSkillGraph';
import type { SkillGraph } from '../src/core/graph/skillGraph';
import type { EncodingTree } from '../src/core/taxonomy/encodingTree';
import { treeMeasures, treeTerms } from '../src/core/taxonomy/entropy';
import { buildOptimisedTree } from '../src/core/taxonomy/optimisedTree';
import { buildTopDownTree } from '../src/core/taxonomy/topDownTree';
import { searchCombinations } from '../src/core/taxonomy/combinationSearch';
import { getCorpus, iterateSamples } from '../src/storage/corpusStore';
import {
  combinationSetKey,
  getCombinationSet,
  getGraph,
  getTaxonomy,
  graphKey,
  saveCombinationSet,
  saveGraph,
  saveTaxonomy,
  taxonomyKey,
  type GraphParams,
} from '../src/storage/taxonomyStore';
import { serveWorker } from './protocol';
import type { TaxonomyApi, TaxonomyProgress } from './taxonomyApi';

const PROGRESS_INTERVAL_MS = 100;

serveWorker<TaxonomyApi>({
  async taxonomy(params, reportProgress) {
    const id = taxonomyKey(params);
    const stored = await getTaxonomy(id);
    if (stored) return { taxonomy: stored, cached: true };

    const graphStarted = performance.now();
    const graph = await loadOrBuildGraph(params, reportProgress);
    const graphMs = performance.now() - graphStarted;
    if (graph.names.length < 2) {
      throw new Error(
        `The corpus has ${graph.names.length} skill(s) with at least ${params.minCount} samples; a taxonomy needs two or more. Lower the minimum skill count or import a tagged corpus.`,
      );
    }

    reportProgress({ phase: 'building tree', done: 0, total: 1 });
    const treeStarted = performance.now();
    const tree =
      params.builder === 'optimised'
        ? buildOptimisedTree(graph, params.levels)
        : buildTopDownTree(graph, params.levels);
    const treeMs = performance.now() - treeStarted;

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
      measures: treeMeasures(graph, tree, params.entropyMode),
      timingsMs: { graph: graphMs, tree: treeMs },
      createdAt: Date.now(),
    };
    await saveTaxonomy(taxonomy);
    return { taxonomy, cached: false };
  },

  async combinations(params, reportProgress) {
    const id = combinationSetKey(params);
    const stored = await getCombinationSet(id);
    if (stored) return { combinationSet: stored, cached: true };

    const taxonomy = await getTaxonomy(params.taxonomyId);
    const graph = taxonomy && (await getGraph(taxonomy.graphId));
    if (!taxonomy || !graph) {
      throw new Error('The taxonomy for these combinations is gone; build the taxonomy again.');
    }
    const tree: EncodingTree = {
      skillCount: taxonomy.skillCount,
      height: taxonomy.levels,
      communityOf: taxonomy.communityOf,
      communityParent: taxonomy.communityParent,
      communityCount: taxonomy.communityCount,
    };
    const terms = treeTerms(graph, tree, taxonomy.entropyMode);
    const started = performance.now();
    const total = tree.skillCount;
    let lastReport = 0;
    const combinations = searchCombinations(terms, tree, {
      size: params.size,
      beamWidth: params.beamWidth,
      mode: params.mode,
      perStart: params.perStart,
      dedupeAcrossStarts: true,
      onStartDone: (done) => {
        // Posting a message per start would cost more than a small search itself.
        const now = performance.now();
        if (now - lastReport < PROGRESS_INTERVAL_MS && done < total) return;
        lastReport = now;
        reportProgress({ phase: 'searching', done, total });
      },
    });
    const combinationSet = {
      ...params,
      id,
      corpusId: taxonomy.corpusId,
      combinations: combinations.sort((a, b) => b.score - a.score),
      timingsMs: { search: performance.now() - started },
      createdAt: Date.now(),
    };
    await saveCombinationSet(combinationSet);
    return { combinationSet, cached: false };
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
