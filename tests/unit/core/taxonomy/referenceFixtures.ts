import { readFileSync } from 'node:fs';
import { graphFromFile } from '../../../../src/core/graph/graphFile';
import type { SkillGraph } from '../../../../src/core/graph/skillGraph';
import type { EncodingTree } from '../../../../src/core/taxonomy/encodingTree';
import { encodingTreeFromLevels } from './levelsToTree';
import { sharedPath } from '../../../sharedData';

/** The six graphs with results of the paper's own code (see /work/shared/reference/README.md). */
export const referenceGraphNames = [
  'ex10',
  'disconnected',
  'pp_4x4x8',
  'cooc_T50',
  'cooc_T100',
  'cooc_T200',
] as const;

export type SearchMethod =
  'find_max_global_conditional_entropy_sets' | 'find_max_local_chain_conditional_entropy_sets';

/** `[score, Y in returned order]`, Y without the start. */
export type ReferenceResult = [number, number[]];

export interface ReferenceSearch {
  method: SearchMethod;
  x_set: number[];
  set_size: number;
  beam_width: number;
  results: ReferenceResult[];
}

/** One `runs.float64.trees.<k_dim>` entry, the fields the tests use. */
export interface ReferenceTreeRun {
  kDim: number;
  degrees: number[];
  graph_volume: number;
  se_from_tree: number;
  first_order_se: number;
  sweet_spot: number;
  tree: { levels: number[][][]; volume: number[][]; cut: number[][]; se_term: number[][] };
  leaf_map_nodes: number[];
  conditional_se: { src_ids: number[]; dst_ids: number[]; value: number }[];
  chain_rule_se: { node_sequence: number[]; value: number }[];
  searches: ReferenceSearch[];
  paper_setting_search?: ReferenceSearch;
  derived_not_reference: { se_standard_coding_tree: number };
}

export interface ReferenceCase {
  name: string;
  graph: SkillGraph;
  runs: ReferenceTreeRun[];
}

const cache = new Map<string, ReferenceCase>();

/** The graph and its `float64` runs (the variant a float64 implementation is compared with). */
export function loadReferenceCase(name: string): ReferenceCase {
  const cached = cache.get(name);
  if (cached) return cached;
  const graphJson: unknown = JSON.parse(
    readFileSync(sharedPath('reference', 'graphs', `${name}.json`), 'utf8'),
  );
  const results = JSON.parse(
    readFileSync(sharedPath('reference', 'results', `${name}.json`), 'utf8'),
  ) as { runs: { float64: { trees: Record<string, Omit<ReferenceTreeRun, 'kDim'>> } } };
  const runs = Object.entries(results.runs.float64.trees).map(([kDim, run]) => ({
    ...run,
    kDim: Number(kDim),
  }));
  const loaded = { name, graph: graphFromFile(graphJson), runs };
  cache.set(name, loaded);
  return loaded;
}

export function referenceTree(run: ReferenceTreeRun, skillCount: number): EncodingTree {
  return encodingTreeFromLevels(run.tree.levels, skillCount);
}

/** Relative 1e-9, absolute 1e-12 near 0. */
export function closeTo(actual: number, expected: number): boolean {
  return (
    Math.abs(actual - expected) <= 1e-9 * Math.max(Math.abs(actual), Math.abs(expected)) + 1e-12
  );
}
