// Graphs, taxonomies and combination sets, keyed by the parameters that produced them, so the
// same inputs are looked up instead of computed again.
import type {
  Combination,
  CombinationSetFacts,
  EdgeWeighting,
  MethodMeasures,
  EntropyMode,
  SearchMode,
  SparseGraphWarning,
  TreeBuilderName,
  TreeMeasures,
} from '../core/steps';
import { openStudioDb } from './db';
import { StorageFullError, isQuotaError } from './errors';

export interface GraphParams {
  corpusId: string;
  weighting: EdgeWeighting;
  minCount: number;
}

export interface TaxonomyParams extends GraphParams {
  levels: number;
  builder: TreeBuilderName;
  entropyMode: EntropyMode;
}

export interface CombinationParams {
  taxonomyId: string;
  size: number;
  beamWidth: number;
  mode: SearchMode;
  perStart: number;
  /** Coherence scope of the local modes (`CombinationSearchOptions.scope`); absent: 0, no limit. */
  scope?: number;
  /** Sets carried by this many samples or more are left out by the search; absent: none is. */
  frequentThreshold?: number;
}

/** A skill graph as stored: the CSR arrays of `SkillGraph`, which IndexedDB clones as they are. */
export interface GraphRecord extends GraphParams {
  [field: string]: unknown;
  id: string;
  names: string[];
  counts: Int32Array;
  offsets: Int32Array;
  targets: Int32Array;
  weights: Float64Array;
  edgeCount: number;
  createdAt: number;
}

/** A taxonomy without its tree (`communityCount` has one entry per level built). */
export interface TaxonomySummary extends TaxonomyParams {
  id: string;
  graphId: string;
  skillCount: number;
  edgeCount: number;
  communityCount: number[];
  measures: TreeMeasures;
  /** Why the tree has fewer levels than `levels` (the ones left out only repeated the level above). */
  note?: string;
  /** Set when the graph is very sparse. */
  warning?: SparseGraphWarning;
  timingsMs: { graph: number; tree: number };
  createdAt: number;
  /** Names of tree nodes by `level:community`; absent until a node is named. */
  nodeNames?: NodeNames;
}

export interface TaxonomyRecord extends TaxonomySummary {
  [field: string]: unknown;
  /** The tree as in `EncodingTree`. */
  communityOf: Int32Array[];
  communityParent: Int32Array[];
}

/** A taxonomy node's name, given by a model (`model` is its id) or by the user. */
export interface NodeName {
  name: string;
  source: 'model' | 'user';
  model?: string;
}

export type NodeNames = Record<string, NodeName>;

/** What a combination set records besides its rows and their facts. */
export interface CombinationSetInfo extends CombinationParams {
  id: string;
  corpusId: string;
  timingsMs: { search: number };
  createdAt: number;
  /** With `frequentThreshold`: what leaving out the frequent sets changed. */
  leftOut?: FrequentLeftOutCounts;
  /** STEPS against its baselines on the same taxonomy, k and beam width. */
  comparison?: StoredComparison;
}

export interface CombinationSetRecord extends CombinationSetInfo {
  [field: string]: unknown;
  /** Best first. */
  combinations: Combination[];
  /** What the corpus says about the combinations; absent on sets stored before it was kept. */
  facts?: CombinationSetFacts;
}

/** `FrequentLeftOut` as counts (core/combinations/combinationFacts.ts). */
export interface FrequentLeftOutCounts {
  threshold: number;
  /** Combinations the same search finds without leaving out. */
  shown: number;
  dropped: number;
  replacements: number;
  startsShort: number;
}

/** `compareMethods`' rows for a combination set's taxonomy, k and beam width. */
export interface StoredComparison {
  /** Seed of the random sets. */
  seed: number;
  rows: MethodMeasures[];
  timingsMs: number;
  createdAt: number;
}

// Readable keys made of every parameter: equal inputs give equal keys, different ones never collide.
export const graphKey = (p: GraphParams) => `graph|${p.corpusId}|${p.weighting}|${p.minCount}`;
export const taxonomyKey = (p: TaxonomyParams) =>
  `taxonomy|${graphKey(p)}|${p.levels}|${p.builder}|${p.entropyMode}`;
// Version 2: `local` widens one level per step; sets stored before under `local` searched what is
// now `most-coherent`, so they keep their version-1 keys and are read as that (legacyLocalKey).
export const combinationSetKey = (p: CombinationParams) =>
  `combinations|v2|${p.taxonomyId}|${p.size}|${p.beamWidth}|${p.mode}|${p.perStart}|${p.scope ?? 0}` +
  (p.frequentThreshold === undefined ? '' : `|below ${p.frequentThreshold}`);
const legacyLocalKey = (p: CombinationParams) =>
  `combinations|${p.taxonomyId}|${p.size}|${p.beamWidth}|local|${p.perStart}`;

async function put(
  store: 'graphs' | 'taxonomies' | 'combinationSets',
  record: GraphRecord | TaxonomyRecord | CombinationSetRecord,
): Promise<void> {
  const db = await openStudioDb();
  try {
    await db.put(store, record);
  } catch (error) {
    if (isQuotaError(error)) throw new StorageFullError(`the ${store} record could not be saved`);
    throw error;
  }
}

export async function getGraph(id: string): Promise<GraphRecord | undefined> {
  return (await openStudioDb()).get('graphs', id) as Promise<GraphRecord | undefined>;
}

export const saveGraph = (record: GraphRecord) => put('graphs', record);

export async function getTaxonomy(id: string): Promise<TaxonomyRecord | undefined> {
  return (await openStudioDb()).get('taxonomies', id) as Promise<TaxonomyRecord | undefined>;
}

export const saveTaxonomy = (record: TaxonomyRecord) => put('taxonomies', record);

/**
 * Sets names of a taxonomy's nodes (`null` removes one), reading and writing the record in one
 * transaction so no other change to it is lost. A model's name never replaces one the user gave.
 * Returns the names stored now.
 */
export async function saveNodeNames(
  taxonomyId: string,
  changes: Readonly<Record<string, NodeName | null>>,
): Promise<NodeNames> {
  const db = await openStudioDb();
  const tx = db.transaction('taxonomies', 'readwrite');
  const done = tx.done;
  done.catch(() => {}); // awaited below; this only keeps an early abort from being "unhandled"
  try {
    const record = (await tx.store.get(taxonomyId)) as TaxonomyRecord | undefined;
    if (!record) {
      throw new Error('This taxonomy is no longer stored; build it again to name its nodes.');
    }
    const names: NodeNames = { ...record.nodeNames };
    for (const [key, change] of Object.entries(changes)) {
      if (change === null) delete names[key];
      else if (change.source === 'user' || names[key]?.source !== 'user') names[key] = change;
    }
    await tx.store.put({ ...record, nodeNames: names });
    await done;
    return names;
  } catch (error) {
    if (isQuotaError(error)) {
      throw new StorageFullError('the taxonomy node names could not be saved', { cause: error });
    }
    throw error;
  }
}

/** The corpus's taxonomies, newest first. */
export async function listTaxonomies(corpusId: string): Promise<TaxonomyRecord[]> {
  const db = await openStudioDb();
  const records = (await db.getAllFromIndex(
    'taxonomies',
    'byCorpus',
    corpusId,
  )) as TaxonomyRecord[];
  return records.sort((a, b) => b.createdAt - a.createdAt);
}

/**
 * The corpus's taxonomies without their trees, newest first: it reads whole records (a 10^6-skill
 * tree is tens of MB), so the explore worker calls it, not the main thread.
 */
export async function listTaxonomySummaries(corpusId: string): Promise<TaxonomySummary[]> {
  return (await listTaxonomies(corpusId)).map(taxonomySummary);
}

/** A taxonomy without its tree: what the main thread is sent (it never holds a tree). */
export function taxonomySummary(record: TaxonomyRecord): TaxonomySummary {
  const { communityOf: _tree, communityParent: _parents, ...summary } = record;
  return summary;
}

export async function getCombinationSet(id: string): Promise<CombinationSetRecord | undefined> {
  const record = (await (await openStudioDb()).get('combinationSets', id)) as
    CombinationSetRecord | undefined;
  return record && readCombinationSet(record);
}

/**
 * The stored set for these parameters: under its key, or, for a `most-coherent` search without a
 * scope, a set stored under the version-1 key of `local`, which searched the same way.
 */
export async function findCombinationSet(
  params: CombinationParams,
): Promise<CombinationSetRecord | undefined> {
  const stored = await getCombinationSet(combinationSetKey(params));
  if (
    stored ||
    params.mode !== 'most-coherent' ||
    (params.scope ?? 0) !== 0 ||
    params.frequentThreshold !== undefined
  ) {
    return stored;
  }
  return getCombinationSet(legacyLocalKey(params));
}

/** A record as the current version reads it: a version-1 `local` set is a `most-coherent` one. */
function readCombinationSet(record: CombinationSetRecord): CombinationSetRecord {
  if (record.id.startsWith('combinations|v2|')) return record;
  return { ...record, mode: record.mode === 'local' ? 'most-coherent' : record.mode, scope: 0 };
}

export const saveCombinationSet = (record: CombinationSetRecord) => put('combinationSets', record);

/**
 * Stores a comparison with its combination set, reading and writing the record in one
 * transaction so no other change to it is lost.
 */
export async function saveComparison(setId: string, comparison: StoredComparison): Promise<void> {
  const db = await openStudioDb();
  const tx = db.transaction('combinationSets', 'readwrite');
  const done = tx.done;
  done.catch(() => {}); // awaited below; this only keeps an early abort from being "unhandled"
  try {
    const record = (await tx.store.get(setId)) as CombinationSetRecord | undefined;
    if (!record) throw new Error('These combinations are no longer stored; find them again.');
    await tx.store.put({ ...record, comparison });
    await done;
  } catch (error) {
    if (isQuotaError(error)) {
      throw new StorageFullError('the comparison could not be saved', { cause: error });
    }
    throw error;
  }
}

/** The stored combination sets of one taxonomy, smallest k first. */
export async function listCombinationSets(
  corpusId: string,
  taxonomyId: string,
): Promise<CombinationSetRecord[]> {
  const db = await openStudioDb();
  const sets = (await db.getAllFromIndex(
    'combinationSets',
    'byCorpus',
    corpusId,
  )) as CombinationSetRecord[];
  return sets
    .filter((set) => set.taxonomyId === taxonomyId)
    .map(readCombinationSet)
    .sort((a, b) => a.size - b.size || b.createdAt - a.createdAt);
}
