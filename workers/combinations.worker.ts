// The combination step off the main thread: a stored taxonomy → the skill sets with the most
// conditional structural entropy, by src/core/steps.ts. The result is stored under its
// parameters and reused.
import { findCombinations, type EncodingTree } from '../src/core/steps';
import {
  combinationSetKey,
  findCombinationSet,
  getGraph,
  getTaxonomy,
  saveCombinationSet,
} from '../src/storage/taxonomyStore';
import type { CombinationsApi } from './combinationsApi';
import { serveWorker } from './protocol';

const PROGRESS_INTERVAL_MS = 100;

serveWorker<CombinationsApi>({
  async combinations(params, reportProgress) {
    const stored = await findCombinationSet(params);
    if (stored) return { combinationSet: stored, cached: true };

    const taxonomy = await getTaxonomy(params.taxonomyId);
    const graph = taxonomy && (await getGraph(taxonomy.graphId));
    if (!taxonomy || !graph) {
      throw new Error('The taxonomy for these combinations is gone; build the taxonomy again.');
    }
    const tree: EncodingTree = {
      skillCount: taxonomy.skillCount,
      // Fewer than the levels asked for when the builder left out repeated ones.
      height: taxonomy.communityOf.length,
      communityOf: taxonomy.communityOf,
      communityParent: taxonomy.communityParent,
      communityCount: taxonomy.communityCount,
    };
    const started = performance.now();
    const total = tree.skillCount;
    let lastReport = 0;
    const combinations = findCombinations(graph, tree, {
      entropyMode: taxonomy.entropyMode,
      size: params.size,
      beamWidth: params.beamWidth,
      mode: params.mode,
      scope: params.scope,
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
      id: combinationSetKey(params),
      corpusId: taxonomy.corpusId,
      combinations: combinations.sort((a, b) => b.score - a.score),
      timingsMs: { search: performance.now() - started },
      createdAt: Date.now(),
    };
    await saveCombinationSet(combinationSet);
    return { combinationSet, cached: false };
  },
});
