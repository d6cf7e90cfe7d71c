import type { TopLevelChange } from '../src/core/explore/compareTaxonomies';
import type { LevelPoint } from '../src/core/explore/levelSweep';
import type { PackedNames } from '../src/core/explore/packedNames';
import type { OutlineShape, OutlineSlice } from '../src/core/explore/outlineSlices';
import type { TaxonomyParams, TaxonomySummary } from '../src/storage/taxonomyStore';

export interface LevelSweepProgress {
  phase: 'building trees';
  /** Level counts done, and in all. */
  done: number;
  total: number;
}

/**
 * Skill names (packed: receiving them is one copy, not a string per skill) and sample counts of
 * one run of a graph's skills.
 */
export interface SkillSlice {
  names: PackedNames;
  counts: Int32Array;
}

/**
 * The taxonomy explorer's questions about stored taxonomies (src/core/explore/):
 * `summaries`: a corpus's taxonomies without their trees, newest first (reading whole records
 * takes long at 10^6 skills; here it is off the main thread); `outline`: the shape of a
 * taxonomy's outline (its nodes with their measures, members and central skills), whose arrays
 * `outlineSlice` then gives a slice at a time (outlineSlices.ts), kept until the last; `skills`: the
 * names and counts of skills `from` to `to` (exclusive) of a stored graph, asked a slice at a time
 * so that no message takes the main thread long to receive; `compare`: which skills the second
 * taxonomy puts in another top-level community; `levels`: H^T and θ of the trees of 1 to
 * `maxLevels` levels on the graph of `params` (which must be stored), kept for the next ask.
 */
export type ExploreApi = {
  summaries: { content: { corpusId: string }; progress: never; result: TaxonomySummary[] };
  outline: { content: { taxonomyId: string }; progress: never; result: OutlineShape };
  outlineSlice: {
    content: { taxonomyId: string; slice: OutlineSlice; last: boolean };
    progress: never;
    result: Int32Array | Float64Array;
  };
  skills: {
    content: { graphId: string; from: number; to: number };
    progress: never;
    result: SkillSlice;
  };
  compare: {
    content: { first: string; second: string };
    progress: never;
    result: TopLevelChange;
  };
  levels: {
    content: { params: Omit<TaxonomyParams, 'levels'>; maxLevels: number };
    progress: LevelSweepProgress;
    result: LevelPoint[];
  };
};
