import { nodeCount, type SkillGraph } from './skillGraph';

/**
 * What makes a skill graph unusable for the method, or weak, each with what to do about it.
 * The tree and the combinations need links between skills: with one skill, or with no sample
 * carrying two skills, every community is one skill, H^T is 0 and every combination scores 0.
 */
export type UnusableGraphReason = 'no-skills' | 'one-skill' | 'no-links';

/** A graph the taxonomy and the search cannot use; the message says what to do. */
export class UnusableGraphError extends Error {
  readonly reason: UnusableGraphReason;

  constructor(reason: UnusableGraphReason, message: string) {
    super(message);
    this.name = 'UnusableGraphError';
    this.reason = reason;
  }
}

/** A graph the method runs on but says little about. */
export interface SparseGraphWarning {
  kind: 'sparse-graph';
  /** Skills with at most WEAK_PARTNERS co-occurring partners, and all skills. */
  weakSkills: number;
  skillCount: number;
  message: string;
}

/**
 * Sparse: at least SPARSE_WEAK_SHARE of the skills have at most WEAK_PARTNERS partners. The
 * Instruct-SkillMix graph (942 skills, two per sample, 68 % with at most two partners) is; the demo
 * corpus and IFEval are not.
 */
export const WEAK_PARTNERS = 2;
export const SPARSE_WEAK_SHARE = 0.5;

/** Throws UnusableGraphError for a graph without two skills or without a link. */
export function assertUsableGraph(graph: SkillGraph): void {
  const n = nodeCount(graph);
  if (n === 0) {
    throw new UnusableGraphError(
      'no-skills',
      'The graph has no skills: no sample carries a kept skill. Tag the samples, or lower the minimum skill count.',
    );
  }
  if (n === 1) {
    throw new UnusableGraphError(
      'one-skill',
      `The graph has one skill (${graph.names[0]}): a taxonomy needs two or more. Lower the minimum skill count, or tag the samples with more skills.`,
    );
  }
  if (graph.targets.length === 0) {
    throw new UnusableGraphError(
      'no-links',
      `The graph has ${n} skills but no links: no sample carries two of them (with one tag per sample there is nothing to co-occur), so every community would be one skill and every combination would score 0. Tag each sample with all the skills it needs (two or more), or choose the field that lists them.`,
    );
  }
}

/** The warning for a graph in which most skills have at most two partners; undefined otherwise. */
export function sparseGraphWarning(graph: SkillGraph): SparseGraphWarning | undefined {
  const n = nodeCount(graph);
  let weakSkills = 0;
  for (let u = 0; u < n; u++)
    if (graph.offsets[u + 1] - graph.offsets[u] <= WEAK_PARTNERS) weakSkills++;
  if (n === 0 || weakSkills < SPARSE_WEAK_SHARE * n) return undefined;
  const percent = Math.round((100 * weakSkills) / n);
  return {
    kind: 'sparse-graph',
    weakSkills,
    skillCount: n,
    message:
      `${weakSkills} of ${n} skills (${percent} %) co-occur with at most ${WEAK_PARTNERS} other skills, so the ` +
      'tree has little to go on and combinations tend to repeat the few well-linked skills. ' +
      'Raise the minimum skill count to leave out rare skills, or tag the samples with more skills each.',
  };
}
