import type { TopLevelChange } from '../src/core/explore/compareTaxonomies';
import type { LevelPoint } from '../src/core/explore/levelSweep';
import type { PackedNames } from '../src/core/explore/packedNames';
import type { TaxonomyOutline } from '../src/core/explore/taxonomyOutline';
import type { TaxonomyParams } from '../src/storage/taxonomyStore';

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
 * `outline`: a taxonomy's nodes with their measures, members and central skills; `skills`: the
 * names and counts of skills `from` to `to` (exclusive) of a stored graph, asked a slice at a time
 * so that no message takes the main thread long to receive; `compare`: which skills the second
 * taxonomy puts in another top-level community; `levels`: H^T and θ of the trees of 1 to
 * `maxLevels` levels on the graph of `params` (which must be stored), kept for the next ask.
 */
export type ExploreApi = {
  outline: { content: { taxonomyId: string }; progress: never; result: TaxonomyOutline };
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
