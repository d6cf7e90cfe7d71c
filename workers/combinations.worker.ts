// The combination step off the main thread, by src/core/steps.ts: a stored taxonomy → the skill
// sets with the most conditional structural entropy (an all-start search split over a pool of
// range workers, workers/combinationsPool.ts), what the corpus says about them (counts,
// unseen share, partners, frequencies), and STEPS against its baselines. Results are stored with
// their taxonomy under their parameters and reused; the page reads them a page at a time. The
// page opens a taxonomy ahead of its first search, so that the search starts at once.
import {
  combinationSetFacts,
  compareMethods,
  cooccurrence,
  findCombinations,
  frequentInCorpus,
  frequentLeftOut,
  tableCombinations,
  treeTerms,
  type Combination,
  type EncodingTree,
  type SampleIndex,
} from '../src/core/steps';
import type { TreeTerms } from '../src/core/taxonomy/entropy';
import {
  combinationSetKey,
  findCombinationSet,
  getCombinationSet,
  getGraph,
  getTaxonomy,
  listCombinationSets,
  saveCombinationSet,
  saveComparison,
  type CombinationSetRecord,
  type GraphRecord,
  type TaxonomyRecord,
} from '../src/storage/taxonomyStore';
import type {
  CombinationSetSummary,
  CombinationsApi,
  CombinationsPhase,
  CombinationsProgress,
} from './combinationsApi';
import { searchInPool, startPool } from './combinationsPool';
import { serveWorker } from './protocol';
import { indexCorpus } from './skillGraphSource';

const PROGRESS_INTERVAL_MS = 100;

type Report = (progress: CombinationsProgress) => void;

// Kept while the worker lives (it is replaced when a call is cancelled).
/** The set read last: pages of one set are asked for one after another. */
let opened: CombinationSetRecord | null = null;
/** The corpus's samples indexed by the graph's skills (or being indexed), for the last graph. */
let indexed: { graphId: string; index: Promise<SampleIndex> } | null = null;
/** The taxonomy opened last, with its graph and tree (or while they are read): openTaxonomy. */
let openedTaxonomy: { taxonomy: TaxonomyRecord; opening: Promise<OpenTaxonomy> } | null = null;

serveWorker<CombinationsApi>({
  async open({ taxonomyId }) {
    startPool();
    // Left running, so that this call holds up no other: the calls after it find the work under
    // way, or done, and wait for it where they need it (a search reports any failure itself).
    openTaxonomy(taxonomyId)
      .then((opened) => {
        termsOf(opened);
        return sampleIndex(opened.taxonomy, opened.graph, () => {});
      })
      .catch(() => {});
    return null;
  },

  async combinations(params, report) {
    const stored = await findCombinationSet(params);
    if (stored) {
      opened = await withFacts(stored, report);
      return { set: summaryOf(opened), cached: true };
    }

    const opening = await openTaxonomy(params.taxonomyId);
    const { taxonomy, graph, tree } = opening;
    const options = {
      size: params.size,
      beamWidth: params.beamWidth,
      mode: params.mode,
      scope: params.scope,
      perStart: params.perStart,
      dedupeAcrossStarts: true,
    };
    const byScore = (combinations: Combination[]) => combinations.sort((a, b) => b.score - a.score);
    // The plain search is split over the pool; leaving sets out asks the corpus at every start.
    const search = async () => {
      const terms = termsOf(opening);
      const onStartsDone = throttled('searching', tree.skillCount, report);
      return byScore(
        tableCombinations(await searchInPool(terms, tree, options, onStartsDone), tree),
      );
    };
    const searchLeavingOut = (exclude: (skills: readonly number[]) => boolean) =>
      byScore(
        findCombinations(graph, tree, {
          ...options,
          entropyMode: taxonomy.entropyMode,
          exclude,
          onStartDone: throttled('searching without the frequent sets', tree.skillCount, report),
        }),
      );

    const threshold = params.frequentThreshold;
    // Leaving out needs the corpus's counts during the search; otherwise they are read while the
    // pool searches (this worker waits for it meanwhile).
    const counted = threshold === undefined ? null : await sampleIndex(taxonomy, graph, report);
    const started = performance.now();
    let combinations: Combination[];
    let leftOut: CombinationSetRecord['leftOut'];
    let indexing: Promise<SampleIndex> | null = null;
    if (threshold === undefined || !counted) {
      const searching = search();
      indexing = sampleIndex(taxonomy, graph, () => {});
      indexing.catch(() => {}); // awaited below, after the search
      combinations = await searching;
    } else {
      const exclude = frequentInCorpus(counted, threshold);
      const plain = await findCombinationSet({ ...params, frequentThreshold: undefined });
      const shown = plain?.combinations ?? (await search());
      combinations = searchLeavingOut(exclude);
      const measured = frequentLeftOut(counted, shown, combinations, threshold, params.perStart);
      leftOut = {
        threshold,
        shown: shown.length,
        dropped: measured.dropped.length,
        replacements: measured.replacements.length,
        startsShort: measured.startsShort.length,
      };
    }
    const searchMs = performance.now() - started;
    const index = counted ?? (await (indexing ?? sampleIndex(taxonomy, graph, report)));
    report({ phase: 'counting in the corpus', done: 0, total: 1 });
    const record: CombinationSetRecord = {
      ...params,
      id: combinationSetKey(params),
      corpusId: taxonomy.corpusId,
      combinations,
      timingsMs: { search: searchMs },
      createdAt: Date.now(),
      facts: combinationSetFacts(index, combinations, params.size),
      ...(leftOut && { leftOut }),
    };
    await saveCombinationSet(record);
    opened = record;
    return { set: summaryOf(record), cached: false };
  },

  async sets({ corpusId, taxonomyId }, report) {
    const sets = await listCombinationSets(corpusId, taxonomyId);
    const summaries: CombinationSetSummary[] = [];
    for (const set of sets) summaries.push(summaryOf(await withFacts(set, report)));
    return summaries.sort((a, b) => b.createdAt - a.createdAt);
  },

  async rows({ setId, offset, limit }, report) {
    const set = await withFacts(await openSet(setId), report);
    return set.combinations
      .slice(offset, offset + limit)
      .map((combination, k) => ({ ...combination, ...set.facts!.facts[offset + k] }));
  },

  async details({ setId, skills }, report) {
    const set = await openSet(setId);
    const { taxonomy, graph } = await openTaxonomy(set.taxonomyId);
    const index = await sampleIndex(taxonomy, graph, report);
    const pairs = [];
    for (let a = 0; a < skills.length; a++) {
      for (let b = a + 1; b < skills.length; b++) {
        const pair: [number, number] = [skills[a], skills[b]];
        pairs.push({ skills: pair, count: cooccurrence(index, pair) });
      }
    }
    return {
      samples: skills.map((skill) => cooccurrence(index, [skill])),
      pairs,
      together: cooccurrence(index, skills),
    };
  },

  async compare({ setId, seed }, report) {
    const set = await openSet(setId);
    const { taxonomy, graph, tree } = await openTaxonomy(set.taxonomyId);
    const index = await sampleIndex(taxonomy, graph, report);
    const started = performance.now();
    const rows = compareMethods(graph, tree, index, {
      size: set.size,
      beamWidth: set.beamWidth,
      seed,
      entropyMode: taxonomy.entropyMode,
      onRowDone: (done, total) => report({ phase: 'comparing methods', done, total }),
    });
    const comparison = {
      seed,
      rows,
      timingsMs: performance.now() - started,
      createdAt: Date.now(),
    };
    await saveComparison(setId, comparison);
    opened = { ...set, comparison };
    return comparison;
  },
});

async function openSet(setId: string): Promise<CombinationSetRecord> {
  if (opened?.id === setId) return opened;
  const set = await getCombinationSet(setId);
  if (!set) throw new Error('These combinations are no longer stored; find them again.');
  opened = set;
  return set;
}

/** The set with the corpus's facts about it, counted and stored now if it was stored without. */
async function withFacts(set: CombinationSetRecord, report: Report): Promise<CombinationSetRecord> {
  if (set.facts) return set;
  const { taxonomy, graph } = await openTaxonomy(set.taxonomyId);
  const index = await sampleIndex(taxonomy, graph, report);
  report({ phase: 'counting in the corpus', done: 0, total: 1 });
  const completed = { ...set, facts: combinationSetFacts(index, set.combinations, set.size) };
  await saveCombinationSet(completed);
  if (opened?.id === set.id) opened = completed;
  return completed;
}

/** The set without its rows (the page reads those a page at a time). */
function summaryOf(set: CombinationSetRecord): CombinationSetSummary {
  const { combinations, facts, ...rest } = set;
  const { unseen, partners, frequencies, frequenciesError } = facts!;
  return {
    ...rest,
    rows: combinations.length,
    facts: { unseen, partners, frequencies, ...(frequenciesError && { frequenciesError }) },
  };
}

interface OpenTaxonomy {
  taxonomy: TaxonomyRecord;
  graph: GraphRecord;
  tree: EncodingTree;
  /** The tree's entropy terms, once a search asked for them (termsOf). */
  terms?: TreeTerms;
}

const taxonomyGone = () =>
  new Error('The taxonomy for these combinations is gone; build the taxonomy again.');

/** The taxonomy, its graph and its tree; kept for the next call while the taxonomy is the same. */
async function openTaxonomy(taxonomyId: string): Promise<OpenTaxonomy> {
  const taxonomy = await getTaxonomy(taxonomyId);
  if (!taxonomy) throw taxonomyGone();
  // A taxonomy built again under the same id has a new createdAt: its graph is read again too.
  const kept = openedTaxonomy?.taxonomy;
  if (kept?.id === taxonomyId && kept.createdAt === taxonomy.createdAt) {
    return openedTaxonomy!.opening;
  }
  const opening = withGraph(taxonomy);
  openedTaxonomy = { taxonomy, opening };
  opening.catch(() => {
    if (openedTaxonomy?.opening === opening) openedTaxonomy = null;
  });
  return opening;
}

async function withGraph(taxonomy: TaxonomyRecord): Promise<OpenTaxonomy> {
  const graph = await getGraph(taxonomy.graphId);
  if (!graph) throw taxonomyGone();
  const tree: EncodingTree = {
    skillCount: taxonomy.skillCount,
    // Fewer than the levels asked for when the builder left out repeated ones.
    height: taxonomy.communityOf.length,
    communityOf: taxonomy.communityOf,
    communityParent: taxonomy.communityParent,
    communityCount: taxonomy.communityCount,
  };
  return { taxonomy, graph, tree };
}

/** The entropy terms of an opened taxonomy's tree, worked out once. */
function termsOf(opened: OpenTaxonomy): TreeTerms {
  opened.terms ??= treeTerms(opened.graph, opened.tree, opened.taxonomy.entropyMode);
  return opened.terms;
}

/**
 * The corpus's samples as skill ids of the graph, from its skill index (kept for the next call;
 * a call while it is being indexed waits for that, without its progress).
 */
function sampleIndex(
  taxonomy: TaxonomyRecord,
  graph: GraphRecord,
  report: Report,
): Promise<SampleIndex> {
  if (indexed?.graphId === graph.id) return indexed.index;
  const index = indexCorpus(taxonomy.corpusId, graph, report);
  indexed = { graphId: graph.id, index };
  index.catch(() => {
    if (indexed?.index === index) indexed = null;
  });
  return index;
}

/** Reports starts searched at most every PROGRESS_INTERVAL_MS, and the last one. */
function throttled(phase: CombinationsPhase, total: number, report: Report) {
  let lastReport = 0;
  return (done: number) => {
    // Posting a message per start would cost more than a small search itself.
    const now = performance.now();
    if (now - lastReport < PROGRESS_INTERVAL_MS && done < total) return;
    lastReport = now;
    report({ phase, done, total });
  };
}
