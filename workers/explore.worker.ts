// The taxonomy explorer off the main thread: outlines, comparisons and level sweeps of stored
// taxonomies (src/core/explore/). Sweeps are kept by their parameters while the worker lives.
import { topLevelChange } from '../src/core/explore/compareTaxonomies';
import { levelSweep, type LevelPoint } from '../src/core/explore/levelSweep';
import { taxonomyOutline } from '../src/core/explore/taxonomyOutline';
import { getGraph, getTaxonomy, graphKey, type TaxonomyRecord } from '../src/storage/taxonomyStore';
import type { ExploreApi } from './exploreApi';
import { serveWorker } from './protocol';

const sweeps = new Map<string, LevelPoint[]>();

async function storedTaxonomy(id: string): Promise<TaxonomyRecord> {
  const taxonomy = await getTaxonomy(id);
  if (!taxonomy) throw new Error('That taxonomy is no longer stored; build it again.');
  return taxonomy;
}

serveWorker<ExploreApi>({
  async outline({ taxonomyId }) {
    const taxonomy = await storedTaxonomy(taxonomyId);
    const graph = await getGraph(taxonomy.graphId);
    if (!graph) throw new Error('The graph of this taxonomy is gone; build the taxonomy again.');
    const tree = { ...taxonomy, height: taxonomy.communityOf.length };
    return taxonomyOutline(graph, tree, taxonomy.entropyMode);
  },
  async compare({ first, second }) {
    const [a, b] = await Promise.all([storedTaxonomy(first), storedTaxonomy(second)]);
    if (a.graphId !== b.graphId) {
      throw new Error(
        'These taxonomies were built on different graphs (edge weight or minimum count); compare two built with the same ones.',
      );
    }
    return topLevelChange(a, b);
  },
  async levels({ params, maxLevels }, reportProgress) {
    const key = `${graphKey(params)}|${params.builder}|${params.entropyMode}`;
    const kept = sweeps.get(key);
    if (kept && kept.length >= maxLevels) return kept.slice(0, maxLevels);
    const graph = await getGraph(graphKey(params));
    if (!graph) throw new Error('Build a taxonomy with these settings first: its graph is needed.');
    reportProgress({ phase: 'building trees', done: 0, total: maxLevels });
    const points = levelSweep(graph, params, maxLevels, (point) =>
      reportProgress({ phase: 'building trees', done: point.levels, total: maxLevels }),
    );
    sweeps.set(key, points);
    return points;
  },
});
