// The taxonomy explorer off the main thread: summaries, outlines, comparisons and level sweeps
// of stored taxonomies (src/core/explore/), and the skill names and counts the main thread shows,
// so that it never reads a graph or a tree. Sweeps are kept by their parameters while the worker
// lives.
import { topLevelChange } from '../src/core/explore/compareTaxonomies';
import { levelSweep, type LevelPoint } from '../src/core/explore/levelSweep';
import { outlineShape, readSlice } from '../src/core/explore/outlineSlices';
import { packNames } from '../src/core/explore/packedNames';
import { taxonomyOutline, type TaxonomyOutline } from '../src/core/explore/taxonomyOutline';
import type { SkillGraph } from '../src/core/graph/skillGraph';
import {
  getGraph,
  getTaxonomy,
  graphKey,
  listTaxonomySummaries,
  type TaxonomyRecord,
} from '../src/storage/taxonomyStore';
import type { ExploreApi } from './exploreApi';
import { serveWorker } from './protocol';

const sweeps = new Map<string, LevelPoint[]>();
/**
 * The graph being read or shown: a taxonomy's outline and the slices of its skill names that
 * follow ask for the same one, which is read once and let go with the last slice.
 */
let lastGraph: { id: string; read: Promise<SkillGraph | undefined> } | null = null;
/** The outline being sent a slice at a time, let go with the last slice. */
let sending: { taxonomyId: string; outline: Promise<TaxonomyOutline> } | null = null;

async function storedTaxonomy(id: string): Promise<TaxonomyRecord> {
  const taxonomy = await getTaxonomy(id);
  if (!taxonomy) throw new Error('That taxonomy is no longer stored; build it again.');
  return taxonomy;
}

function storedGraph(id: string): Promise<SkillGraph | undefined> {
  if (lastGraph?.id !== id) lastGraph = { id, read: getGraph(id) };
  return lastGraph.read;
}

async function taxonomyGraph(graphId: string): Promise<SkillGraph> {
  const graph = await storedGraph(graphId);
  if (!graph) throw new Error('The graph of this taxonomy is gone; build the taxonomy again.');
  return graph;
}

async function buildOutline(taxonomyId: string): Promise<TaxonomyOutline> {
  const taxonomy = await storedTaxonomy(taxonomyId);
  const graph = await taxonomyGraph(taxonomy.graphId);
  const tree = { ...taxonomy, height: taxonomy.communityOf.length };
  return taxonomyOutline(graph, tree, taxonomy.entropyMode);
}

/** The outline being sent, built again if another one was asked for meanwhile. */
function sentOutline(taxonomyId: string): Promise<TaxonomyOutline> {
  if (sending?.taxonomyId !== taxonomyId)
    sending = { taxonomyId, outline: buildOutline(taxonomyId) };
  return sending.outline;
}

serveWorker<ExploreApi>({
  summaries: ({ corpusId }) => listTaxonomySummaries(corpusId),
  async outline({ taxonomyId }) {
    sending = null;
    return outlineShape(await sentOutline(taxonomyId));
  },
  async outlineSlice({ taxonomyId, slice, last }) {
    const outline = await sentOutline(taxonomyId);
    if (last && sending?.taxonomyId === taxonomyId) sending = null;
    return readSlice(outline, slice);
  },
  async skills({ graphId, from, to }) {
    const graph = await taxonomyGraph(graphId);
    if (to >= graph.names.length && lastGraph?.id === graphId) lastGraph = null;
    return {
      names: packNames(graph.names.slice(from, to)),
      counts: graph.counts.slice(from, to),
    };
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
    const graph = await storedGraph(graphKey(params));
    if (!graph) throw new Error('Build a taxonomy with these settings first: its graph is needed.');
    reportProgress({ phase: 'building trees', done: 0, total: maxLevels });
    const points = levelSweep(graph, params, maxLevels, (point) =>
      reportProgress({ phase: 'building trees', done: point.levels, total: maxLevels }),
    );
    sweeps.set(key, points);
    return points;
  },
});
