// The per-corpus skill index: what it holds, and that the graph and sample index built from it
// equal those built from the samples themselves, on the real corpora in ../shared/data.
import { describe, expect, it } from 'vitest';
import { corpusFileFromPath } from '../../../../src/cli/corpusFile';
import { indexSamples } from '../../../../src/core/combinations/sampleIndex';
import { importCorpus } from '../../../../src/core/corpus/importCorpus';
import { SkillGraphBuilder, edgeWeightings } from '../../../../src/core/graph/buildSkillGraph';
import {
  SkillIndexBuilder,
  indexedSamples,
  sampleIndexFromSkillIndex,
  skillGraphFromIndex,
} from '../../../../src/core/graph/skillIndex';
import { sharedPath } from '../../../sharedData';

async function sharedSkillLists(...parts: string[]): Promise<string[][]> {
  const lists: string[][] = [];
  await importCorpus(await corpusFileFromPath(sharedPath('data', ...parts)), {
    onBatch: (batch) => {
      for (const sample of batch) lists.push(sample.skills);
    },
  });
  return lists;
}

function indexOf(lists: readonly (readonly string[])[]) {
  const builder = new SkillIndexBuilder();
  for (const skills of lists) builder.add(skills);
  return builder.build();
}

describe('SkillIndexBuilder', () => {
  it('keeps every sample in order, each skill once per sample, with sample counts', () => {
    const index = indexOf([['b', 'a', 'b'], [], ['a', 'c']]);
    expect(index.names).toEqual(['b', 'a', 'c']);
    expect([...index.counts]).toEqual([1, 2, 1]);
    expect([...index.sampleStart]).toEqual([0, 2, 2, 4]);
    expect([...index.skillIds]).toEqual([0, 1, 1, 2]);
    expect(indexedSamples(index)).toBe(3);
  });

  // The builder stores ids in blocks of 65,536: sample starts filling one block exactly, one past
  // it, and both arrays over two blocks.
  it.each([65_535, 65_536, 140_000])(
    'keeps %i samples in order, past a block of storage',
    (samples) => {
      const lists = Array.from({ length: samples }, (_, s) =>
        Array.from({ length: s % 3 }, (_, k) => `skill-${(s * 7 + k * 13) % 1000}`),
      );
      const sampleStart = [0];
      const skillIds: number[] = [];
      const idOf = new Map<string, number>();
      for (const skills of lists) {
        for (const name of skills) {
          if (!idOf.has(name)) idOf.set(name, idOf.size);
          skillIds.push(idOf.get(name)!);
        }
        sampleStart.push(skillIds.length);
      }
      const index = indexOf(lists);
      expect(Array.from(index.sampleStart)).toEqual(sampleStart);
      expect(Array.from(index.skillIds)).toEqual(skillIds);
      expect(index.names).toEqual([...idOf.keys()]);
    },
  );

  it('indexes an empty corpus', () => {
    const index = indexOf([]);
    expect(index.names).toEqual([]);
    expect([...index.sampleStart]).toEqual([0]);
    expect(indexedSamples(index)).toBe(0);
  });
});

describe.each([
  ['IFEval', ['ifeval', 'input_data.jsonl']],
  ['Instruct-SkillMix', ['instruct_skillmix', 'ism_sda_k2_1000.json']],
])('the index of %s', (_name, parts) => {
  it('gives the graph the samples give, under every weighting and minimum count', async () => {
    const lists = await sharedSkillLists(...parts);
    const index = indexOf(lists);
    expect(indexedSamples(index)).toBe(lists.length);
    for (const weighting of edgeWeightings) {
      for (const minCount of [1, 2, 5]) {
        const fromSamples = new SkillGraphBuilder();
        for (const skills of lists) fromSamples.add(skills);
        const expected = fromSamples.build({ weighting, minCount });
        expect(expected.targets.length).toBeGreaterThan(0);
        expect(skillGraphFromIndex(index, { weighting, minCount })).toEqual(expected);
      }
    }
  });

  it('gives the sample index the samples give', async () => {
    const lists = await sharedSkillLists(...parts);
    const index = indexOf(lists);
    const graph = skillGraphFromIndex(index, { minCount: 2 });
    expect(sampleIndexFromSkillIndex(index, graph)).toEqual(indexSamples(graph.names, lists));
  });
});
