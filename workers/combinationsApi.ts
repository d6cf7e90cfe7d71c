import type { Combination, CombinationFacts, CombinationSetFacts } from '../src/core/steps';
import type { PairCount } from '../src/core/combinations/combinationFacts';
import type { StartRange } from '../src/core/combinations/startRanges';
import type {
  CombinationSearchOptions,
  CombinationTable,
} from '../src/core/taxonomy/combinationSearch';
import type { EncodingTree } from '../src/core/taxonomy/encodingTree';
import type { TreeTerms } from '../src/core/taxonomy/entropy';
import type {
  CombinationParams,
  CombinationSetInfo,
  StoredComparison,
} from '../src/storage/taxonomyStore';

export type CombinationsPhase =
  | 'reading skill index'
  | 'reading samples'
  | 'indexing samples'
  | 'searching'
  | 'searching without the frequent sets'
  | 'counting in the corpus'
  | 'comparing methods';

export interface CombinationsProgress {
  phase: CombinationsPhase;
  /** Units done and in all, for the current phase (starts searched, samples read, methods). */
  done: number;
  total: number;
}

/**
 * A stored combination set without its rows, which the page asks for a page at a time (`rows`):
 * a set can hold a hundred thousand.
 */
export interface CombinationSetSummary extends CombinationSetInfo {
  /** Combinations in the set. */
  rows: number;
  /** The corpus's facts about the set as a whole. */
  facts: Omit<CombinationSetFacts, 'facts'>;
}

/** One combination with what the corpus says about it. */
export type CombinationRow = Combination & CombinationFacts;

/** How often each skill of a combination, and each pair of them, occurs in the corpus. */
export interface CombinationDetails {
  /** Samples carrying each skill, in the combination's order. */
  samples: number[];
  /** Every pair of its skills, in the order of the combination. */
  pairs: PairCount[];
  /** Samples carrying all of them. */
  together: number;
}

/**
 * `open`: starts readying a taxonomy for a search before it is asked for (its graph read, its
 * entropy terms worked out, the corpus's samples indexed, the search's workers started) and
 * returns at once: the calls after it wait for that work only where they need it.
 * `combinations`: tree → skill sets with the corpus's facts about them, stored (a set stored
 * before the facts were kept gets them now). `sets`: a taxonomy's stored sets, newest first.
 * `rows`: a page of a stored set, best first. `details`: one combination's counts. `compare`:
 * STEPS against its baselines for a stored set's taxonomy, k and beam width, stored with it.
 */
export type CombinationsApi = {
  open: {
    content: { taxonomyId: string };
    progress: CombinationsProgress;
    result: null;
  };
  combinations: {
    content: CombinationParams;
    progress: CombinationsProgress;
    result: { set: CombinationSetSummary; cached: boolean };
  };
  sets: {
    content: { corpusId: string; taxonomyId: string };
    progress: CombinationsProgress;
    result: CombinationSetSummary[];
  };
  rows: {
    content: { setId: string; offset: number; limit: number };
    progress: CombinationsProgress;
    result: CombinationRow[];
  };
  details: {
    content: { setId: string; skills: number[] };
    progress: CombinationsProgress;
    result: CombinationDetails;
  };
  compare: {
    content: { setId: string; seed: number };
    progress: CombinationsProgress;
    result: StoredComparison;
  };
};

/** A search as the range workers take it: without callbacks, which cannot cross to a worker. */
export type RangeSearchOptions = Omit<CombinationSearchOptions, 'exclude' | 'onStartDone'>;

/**
 * A range worker of an all-start search (workers/combinationsPool.ts): `prepare` sets up the
 * search, `range` searches starts from..to of it and returns their combinations in start order.
 */
export type CombinationsRangeApi = {
  prepare: {
    content: { terms: TreeTerms; tree: EncodingTree; options: RangeSearchOptions };
    progress: never;
    result: null;
  };
  range: {
    content: StartRange;
    progress: never;
    result: CombinationTable;
  };
};
