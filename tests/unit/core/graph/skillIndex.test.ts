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
