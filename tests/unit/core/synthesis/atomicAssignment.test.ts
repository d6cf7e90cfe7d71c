import { describe, expect, it } from 'vitest';
import {
  assignAtomicSamples,
  drawAtomicExamples,
  type AtomicAssignment,
  type TaggedSample,
} from '../../../../src/core/synthesis/atomicAssignment';
import { mulberry32 } from '../../../../src/core/random/mulberry32';
import { readDemoCorpus } from '../../fixtures';

const demo: TaggedSample[] = readDemoCorpus();

function uses(assignment: AtomicAssignment): Map<string, number> {
  return new Map([...assignment.own].map(([skill, ids]) => [skill, ids.length]));
}

/**
 * A cost-reducing path (Harvey et al., semi-matchings): skills a → … → b, each step through a
 * sample assigned to the current skill and tagged with the next, with uses(b) <= uses(a) - 2.
 * Shifting along it would make the assignment more even; without one it is as even as possible.
 */
function costReducingPath(samples: TaggedSample[], assignment: AtomicAssignment): string | null {
  const load = uses(assignment);
  const owner = new Map<string, string>();
  for (const [skill, ids] of assignment.own) for (const id of ids) owner.set(id, skill);
  for (const source of load.keys()) {
    const seen = new Set([source]);
    const queue = [source];
    while (queue.length > 0) {
      const skill = queue.shift()!;
      for (const sample of samples) {
        if (owner.get(sample.id) !== skill) continue;
        for (const next of sample.skills) {
          if (seen.has(next)) continue;
          if (load.get(next)! <= load.get(source)! - 2) return `${source} → ${next}`;
          seen.add(next);
          queue.push(next);
        }
      }
    }
  }
  return null;
}

describe('assignAtomicSamples', () => {
  it('assigns every demo sample once, as evenly as possible, for several seeds', () => {
    expect(demo).toHaveLength(300);
    for (const seed of [1, 2, 3, 42]) {
      const assignment = assignAtomicSamples(demo, { seed });
      const ids = [...assignment.own.values()].flat();
      expect(ids).toHaveLength(300);
      expect(new Set(ids).size).toBe(300);
      for (const [skill, own] of assignment.own) {
        for (const id of own) expect(demo.find((s) => s.id === id)!.skills).toContain(skill);
      }
      const counts = [...uses(assignment).values()];
      // 5 single-tag logical_deduction samples plus tags elsewhere force 6; poetry & co. cap at 4.
      expect([Math.min(...counts), Math.max(...counts)]).toEqual([4, 6]);
      expect(costReducingPath(demo, assignment)).toBeNull();
    }
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = assignAtomicSamples(demo, { seed: 7 });
    const b = assignAtomicSamples(demo, { seed: 7 });
    const c = assignAtomicSamples(demo, { seed: 8 });
    expect([...a.own]).toEqual([...b.own]);
    expect([...a.own]).not.toEqual([...c.own]);
  });

  it('spreads identical tag sets to max - min <= 1, even with epsilon = 1', () => {
    const samples = Array.from({ length: 31 }, (_, i) => ({
      id: `s${i}`,
      skills: ['a', 'b', 'c', 'd'],
    }));
    for (const epsilon of [0, 0.05, 1]) {
      const counts = [...uses(assignAtomicSamples(samples, { seed: 3, epsilon })).values()];
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      expect(counts.reduce((x, y) => x + y)).toBe(31);
    }
  });

  it('a skewed corpus: forced uses stay, the shared samples fill the rare skills', () => {
    // 8 samples can only be "common"; 6 more carry "common" and one rare skill each.
    const samples: TaggedSample[] = [
      ...Array.from({ length: 8 }, (_, i) => ({ id: `only${i}`, skills: ['common'] })),
      ...Array.from({ length: 6 }, (_, i) => ({
        id: `shared${i}`,
        skills: ['common', i % 2 === 0 ? 'rare_x' : 'rare_y'],
      })),
      { id: 'untagged', skills: [] },
      { id: 'repeat', skills: ['rare_x', 'rare_x'] },
    ];
    const assignment = assignAtomicSamples(samples, { seed: 11, epsilon: 0.5 });
    expect(Object.fromEntries(uses(assignment))).toEqual({ common: 8, rare_x: 4, rare_y: 3 });
    expect(assignment.untagged).toBe(1);
    expect(assignment.tagged.get('rare_x')).toEqual(['shared0', 'shared2', 'shared4', 'repeat']);
    expect(costReducingPath(samples, assignment)).toBeNull();
  });

  it('rejects a bad epsilon', () => {
    expect(() => assignAtomicSamples(demo, { seed: 1, epsilon: 2 })).toThrow(
      'epsilon: must be between 0 and 1, got 2',
    );
  });
});

describe('drawAtomicExamples', () => {
  const assignment = assignAtomicSamples(
    [
      { id: 'p1', skills: ['python', 'sql'] },
      { id: 'p2', skills: ['python'] },
      { id: 's1', skills: ['sql'] },
      { id: 'd1', skills: ['debugging', 'python'] },
    ],
    { seed: 5, epsilon: 0 },
  );

  it('draws one own sample per skill, in combination order, reproducibly', () => {
    const first = drawAtomicExamples(assignment, ['sql', 'python', 'debugging'], mulberry32(9));
    const again = drawAtomicExamples(assignment, ['sql', 'python', 'debugging'], mulberry32(9));
    expect(first).toEqual(again);
    expect(first.missing).toEqual([]);
    expect(first.picks.map((p) => p.skill)).toEqual(['sql', 'python', 'debugging']);
    expect(new Set(first.picks.map((p) => p.sampleId)).size).toBe(3);
    for (const pick of first.picks) {
      expect(pick.fallback).toBe(false);
      expect(assignment.own.get(pick.skill)).toContain(pick.sampleId);
    }
  });

  it('falls back to a tagged sample when a skill has none of its own, and reports the rest', () => {
    const lopsided = assignAtomicSamples(
      [
        { id: 'only', skills: ['alpha'] },
        { id: 'both', skills: ['alpha', 'beta'] },
      ],
      { seed: 1, epsilon: 0 },
    );
    // Balanced: 'only' → alpha, 'both' → beta. Force beta's sample to be needed elsewhere:
    const noOwn: AtomicAssignment = {
      ...lopsided,
      own: new Map([
        ['alpha', ['only', 'both']],
        ['beta', []],
      ]),
    };
    for (let seed = 0; seed < 20; seed++) {
      const draw = drawAtomicExamples(noOwn, ['alpha', 'beta', 'gamma'], mulberry32(seed));
      expect(draw.missing).toEqual(
        draw.picks[0].sampleId === 'both' ? ['beta', 'gamma'] : ['gamma'],
      );
      if (draw.picks[0].sampleId === 'only') {
        expect(draw.picks[1]).toEqual({ skill: 'beta', sampleId: 'both', fallback: true });
      }
    }
  });

  it('rejects a combination that repeats a skill', () => {
    expect(() => drawAtomicExamples(assignment, ['sql', 'sql'], mulberry32(1))).toThrow(
      'combination repeats a skill: sql, sql',
    );
  });
});
