// The Skills step off the main thread: a corpus's skill graph, its table sorted and filtered,
// its long tail and one skill's neighbourhood (src/core/explore/skillStats.ts). The last graph
// asked about stays here with its sample index, so sorting and neighbourhoods answer at once.
import {
  longTail,
  neighbourhood,
  skillOrder,
  skillTable,
  type SkillTable,
} from '../src/core/explore/skillStats';
import type { SampleIndex, SkillGraph } from '../src/core/steps';
import { graphKey, type GraphParams } from '../src/storage/taxonomyStore';
import { serveWorker } from './protocol';
import { indexCorpus, loadOrBuildGraph } from './skillGraphSource';
import type { SkillsApi, SkillsProgress } from './skillsApi';

interface Loaded {
  key: string;
  graph: SkillGraph;
  table: SkillTable;
  index: SampleIndex;
}

let loaded: Loaded | null = null;

async function load(
  params: GraphParams,
  reportProgress: (progress: SkillsProgress) => void,
): Promise<Loaded> {
  const key = graphKey(params);
  if (loaded?.key === key) return loaded;
  loaded = null;
  const { graph, saved } = await loadOrBuildGraph(params, reportProgress);
  const index = await indexCorpus(params.corpusId, graph, reportProgress);
  await saved;
  reportProgress({ phase: 'measuring skills', done: 0, total: 1 });
  loaded = { key, graph, table: skillTable(graph), index };
  return loaded;
}

serveWorker<SkillsApi>({
  async overview(params, reportProgress) {
    const { graph, table, index } = await load(params, reportProgress);
    return {
      params,
      names: graph.names,
      counts: graph.counts,
      degrees: table.degrees,
      strengths: table.strengths,
      neighbours: table.neighbours,
      longTail: longTail(graph.counts),
      edgeCount: graph.targets.length / 2,
      taggedSamples: index.sampleCount,
    };
  },
  async order({ graph: params, query }, reportProgress) {
    const { graph, table } = await load(params, reportProgress);
    return skillOrder(graph, table, query);
  },
  async neighbourhood({ graph: params, skill, limit }, reportProgress) {
    const { graph, index } = await load(params, reportProgress);
    return neighbourhood(graph, index, skill, limit);
  },
});
