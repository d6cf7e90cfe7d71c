// H^T and θ of one graph's trees at 1..K levels, to choose how many levels to build: each level
// count is a tree built as the Taxonomy step builds it (fewer levels when the graph splits no
// further, said in `note`).
import type { SkillGraph } from '../graph/skillGraph';
import { buildTaxonomy, type TaxonomyOptions, type TreeMeasures } from '../steps';

export interface LevelPoint {
  /** Levels asked for. */
  levels: number;
  /** Levels the tree has (fewer when the ones left out would only repeat the level above). */
  height: number;
  measures: TreeMeasures;
  communityCount: number[];
  note?: string;
}

export function levelSweep(
  graph: SkillGraph,
  options: Omit<TaxonomyOptions, 'levels'>,
  maxLevels: number,
  onLevel: (point: LevelPoint) => void = () => {},
): LevelPoint[] {
  const points: LevelPoint[] = [];
  for (let levels = 1; levels <= maxLevels; levels++) {
    const { tree, measures, note } = buildTaxonomy(graph, { ...options, levels });
    const point: LevelPoint = {
      levels,
      height: tree.height,
      measures,
      communityCount: tree.communityCount,
      ...(note && { note }),
    };
    points.push(point);
    onLevel(point);
  }
  return points;
}
