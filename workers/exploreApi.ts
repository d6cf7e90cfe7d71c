import type { TopLevelChange } from '../src/core/explore/compareTaxonomies';
import type { LevelPoint } from '../src/core/explore/levelSweep';
import type { TaxonomyOutline } from '../src/core/explore/taxonomyOutline';
import type { TaxonomyParams } from '../src/storage/taxonomyStore';

export interface LevelSweepProgress {
  phase: 'building trees';
  /** Level counts done, and in all. */
  done: number;
  total: number;
}

/**
 * The taxonomy explorer's questions about stored taxonomies (src/core/explore/):
 * `outline`: a taxonomy's nodes with their measures and members; `compare`: which skills the
 * second taxonomy puts in another top-level community; `levels`: H^T and θ of the trees of 1 to
 * `maxLevels` levels on the graph of `params` (which must be stored), kept for the next ask.
 */
export type ExploreApi = {
  outline: { content: { taxonomyId: string }; progress: never; result: TaxonomyOutline };
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
