// The taxonomy step off the main thread: the corpus's skill index → skill graph → encoding tree, by
// src/core/steps.ts. Graph and taxonomy are stored under the parameters that produced them and
// reused when asked again. The page is sent the taxonomy's summary: its tree stays stored.
import { buildTaxonomy } from '../src/core/steps';
import {
  getTaxonomy,
  graphKey,
  saveTaxonomy,
  taxonomyKey,
  taxonomySummary,
} from '../src/storage/taxonomyStore';
import { serveWorker } from './protocol';
import { loadOrBuildGraph } from './skillGraphSource';
import type { TaxonomyApi } from './taxonomyApi';

serveWorker<TaxonomyApi>({
  async taxonomy(params, reportProgress) {
    const id = taxonomyKey(params);
    const stored = await getTaxonomy(id);
    if (stored) return { taxonomy: taxonomySummary(stored), cached: true };

    const graphStarted = performance.now();
    const { graph, saved } = await loadOrBuildGraph(params, reportProgress);
    const graphMs = performance.now() - graphStarted;
    reportProgress({ phase: 'building tree', done: 0, total: 1 });
    // Throws UnusableGraphError, whose message says what to do, for one skill or no links.
    const { tree, note, warning, measures, treeMs } = buildTaxonomy(graph, params);

    reportProgress({ phase: 'saving', done: 0, total: 1 });
    await saved;
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
    return { taxonomy: taxonomySummary(taxonomy), cached: false };
  },
});
