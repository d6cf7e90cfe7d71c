import { describe, expect, it } from 'vitest';
import {
  assertUsableGraph,
  sparseGraphWarning,
  UnusableGraphError,
} from '../../../../src/core/graph/graphGuards';
import { buildTaxonomy, buildTree, SkillGraphBuilder } from '../../../../src/core/steps';
import { readFileSync } from 'node:fs';
import { sharedPath } from '../../../sharedData';
import { readDemoCorpus } from '../../fixtures';

function graphOf(samples: string[][], minCount = 1) {
  const builder = new SkillGraphBuilder();
  for (const skills of samples) builder.add(skills);
  return builder.build({ weighting: 'reference', minCount });
}

function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof UnusableGraphError) return `${error.reason}: ${error.message}`;
    throw error;
  }
  return 'no error';
}

describe('graphs the method cannot use', () => {
  it('stops on no skills, one skill, and no links, saying what to do', () => {
    expect(reasonOf(() => assertUsableGraph(graphOf([])))).toBe(
      'no-skills: The graph has no skills: no sample carries a kept skill. Tag the samples, or lower the minimum skill count.',
    );
    expect(reasonOf(() => assertUsableGraph(graphOf([['a'], ['a', 'b']], 2)))).toMatch(
      /^one-skill: The graph has one skill \(a\): a taxonomy needs two or more\. Lower the minimum skill count/,
    );
    // One tag per sample: 27 skills, not one link.
    const single = graphOf(Array.from({ length: 27 }, (_, i) => [`skill${i}`]));
    const noLinks = reasonOf(() => buildTree(single, { levels: 2, builder: 'top-down' }));
    expect(noLinks).toMatch(
      /^no-links: The graph has 27 skills but no links: no sample carries two of them/,
    );
    expect(noLinks).toContain('Tag each sample with all the skills it needs (two or more)');
    expect(reasonOf(() => buildTree(single, { levels: 2, builder: 'optimised' }))).toMatch(
      /^no-links/,
    );
  });

  it('warns about a very sparse graph, and not about a linked one', () => {
    // Pairs, and one skill with two partners: every skill has at most two.
    const sparse = graphOf([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
      ['a', 'g'],
      ['h', 'i'],
    ]);
    expect(sparseGraphWarning(sparse)).toEqual({
      kind: 'sparse-graph',
      weakSkills: 9,
      skillCount: 9,
      message:
        '9 of 9 skills (100 %) co-occur with at most 2 other skills, so the tree has little to go on and combinations tend to repeat the few well-linked skills. Raise the minimum skill count to leave out rare skills, or tag the samples with more skills each.',
    });
    expect(
      buildTaxonomy(sparse, { levels: 2, builder: 'top-down', entropyMode: 'standard' }).warning,
    ).toEqual(sparseGraphWarning(sparse));
    // Instruct-SkillMix: two skills per sample over 942 skills.
    const rows = JSON.parse(
      readFileSync(sharedPath('data', 'instruct_skillmix', 'ism_sda_k2_1000.json'), 'utf8'),
    ) as { skills_joined_str: string }[];
    const skillMix = graphOf(rows.map((row) => row.skills_joined_str.split(', ')));
    expect(sparseGraphWarning(skillMix)).toMatchObject({ weakSkills: 637, skillCount: 942 });
    const demo = graphOf(readDemoCorpus().map((sample) => sample.skills));
    expect(sparseGraphWarning(demo)).toBeUndefined();
    expect(
      buildTaxonomy(demo, { levels: 2, builder: 'top-down', entropyMode: 'standard' }),
    ).not.toHaveProperty('warning');
  });
});
