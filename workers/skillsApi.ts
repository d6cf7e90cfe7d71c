import type { LongTail, Neighbour, SkillQuery } from '../src/core/explore/skillStats';
import type { GraphParams } from '../src/storage/taxonomyStore';

export interface SkillsProgress {
  phase:
    | 'reading skill index'
    | 'reading samples'
    | 'building graph'
    | 'indexing samples'
    | 'measuring skills';
  done: number;
  total: number;
}

/** A corpus's skill graph as the Skills step shows it (core/explore/skillStats.ts). */
export interface SkillsOverview {
  params: GraphParams;
  names: string[];
  /** Samples per skill. */
  counts: Int32Array;
  degrees: Int32Array;
  strengths: Float64Array;
  /** Strongest neighbours, TABLE_NEIGHBOURS per skill (-1 for none). */
  neighbours: Int32Array;
  longTail: LongTail;
  edgeCount: number;
  /** Samples that carry at least one of the graph's skills. */
  taggedSamples: number;
}

/**
 * `overview`: the graph of a corpus under `GraphParams` (the stored one, else built and stored),
 * its table columns and long tail. `order` and `neighbourhood` ask about that graph; the worker
 * keeps it (and its sample index) between calls, and loads it again if it was restarted.
 */
export type SkillsApi = {
  overview: { content: GraphParams; progress: SkillsProgress; result: SkillsOverview };
  order: {
    content: { graph: GraphParams; query: SkillQuery };
    progress: SkillsProgress;
    result: Int32Array;
  };
  neighbourhood: {
    content: { graph: GraphParams; skill: number; limit: number };
    progress: SkillsProgress;
    result: Neighbour[];
  };
};
