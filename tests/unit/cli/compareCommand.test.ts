// `steps compare`, `combos --corpus` and `combos --scope`, run as child processes, against the
// same computations done in-process by src/core.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphFromFile } from '../../../src/core/graph/graphFile';
import {
  buildTree,
  combinationFacts,
  compareMethods,
  indexSamples,
  SkillGraphBuilder,
} from '../../../src/core/steps';
import { treeLevels } from '../../../src/core/taxonomy/treeLevels';
import { readDemoCorpus } from '../fixtures';
import { stepsJson, stepsSync } from './runSteps';

const demo = resolve(
  fileURLToPath(new URL('.', import.meta.url)),
  '../../../public/demo/demo-corpus.jsonl',
);
const scratch = mkdtempSync(join(tmpdir(), 'steps-compare-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const samples = readDemoCorpus().map((sample) => sample.skills);
const builder = new SkillGraphBuilder();
for (const skills of samples) builder.add(skills);
const graph = builder.build({ weighting: 'reference', minCount: 1 });
const index = indexSamples(graph.names, samples);

interface CompareOutput {
  corpus: { samples: number; skills: number; edges: number };
  tree: { builder: string; levels: number };
  size: number;
  beam: number;
  seed: number;
  methods: {
    method: string;
    scope?: number;
    meanConditionalEntropy: number;
    unseenShare: number;
    meanCommonDepth: number;
    topPartnerShare: number;
    topPartner: string | null;
    partners: string;
  }[];
}

interface CombosOutput {
  combinations: {
    start: number;
    skills: number[];
    score: number;
    cooccurrence?: number;
    rarestPair?: { skills: number[]; count: number };
  }[];
  corpus?: { samples: number; unseen: { size: number; share: number }[] };
}

describe('steps compare', () => {
  it('prints every method’s measures, as core computes them', () => {
    const out = stepsJson<CompareOutput>(
      'compare',
      demo,
      '--levels',
      '3',
      '--size',
      '3',
      '--seed',
      '5',
    );
    expect(out.corpus).toEqual({
      samples: 300,
      skills: graph.names.length,
      edges: graph.targets.length / 2,
    });
    expect(out).toMatchObject({
      size: 3,
      beam: 10,
      seed: 5,
      tree: { builder: 'top-down', levels: 3 },
    });
    const { tree } = buildTree(graph, { levels: 3, builder: 'top-down' });
    const rows = compareMethods(graph, tree, index, {
      size: 3,
      beamWidth: 10,
      seed: 5,
      entropyMode: 'standard',
    });
    expect(out.methods.map((m) => m.method)).toEqual(rows.map((row) => row.method));
    for (const method of ['steps-local', 'reference-global', 'random', 'frequent']) {
      expect(out.methods.map((m) => m.method)).toContain(method);
    }
    out.methods.forEach((printed, r) => {
      const row = rows[r];
      expect(printed).toMatchObject({
        meanConditionalEntropy: row.meanConditionalEntropy,
        unseenShare: row.unseenShare,
        meanCommonDepth: row.meanCommonDepth,
        topPartnerShare: row.partners.topPartnerShare,
        topPartner: graph.names[row.partners.topPartner!],
        partners: row.partners.verdict,
      });
      expect(printed.scope).toBe(row.scope);
    });
  });
});

describe('steps combos with a corpus and a scope', () => {
  const graphFile = join(scratch, 'demo-graph.json');
  beforeAll(() => {
    const graphRun = stepsSync('graph', demo);
    expect(graphRun.status).toBe(0);
    writeFileSync(graphFile, graphRun.stdout);
  });

  it('adds each combination’s co-occurrence and rarest pair in that corpus', () => {
    expect(graphFromFile(JSON.parse(readFileSync(graphFile, 'utf8'))).names).toEqual(graph.names);
    const out = stepsJson<CombosOutput>(
      'combos',
      graphFile,
      '--levels',
      '3',
      '--size',
      '3',
      '--beam',
      '4',
      '--start',
      '0,7,30',
      '--corpus',
      demo,
    );
    expect(out.combinations.length).toBeGreaterThan(0);
    for (const combination of out.combinations) {
      const facts = combinationFacts(index, combination.skills);
      expect(combination.cooccurrence).toBe(facts.cooccurrence);
      expect(combination.rarestPair).toEqual(facts.rarestPair);
    }
    expect(out.corpus?.samples).toBe(300);
    expect(out.corpus?.unseen.map((u) => u.size)).toEqual([3]);
    const plain = stepsJson<CombosOutput>(
      'combos',
      graphFile,
      '--levels',
      '3',
      '--size',
      '3',
      '--beam',
      '4',
      '--start',
      '0',
    );
    expect(plain.combinations[0]).not.toHaveProperty('cooccurrence');
    expect(plain).not.toHaveProperty('corpus');
  });

  it('keeps local sets inside the start’s community of the scope’s level', () => {
    const levels = treeLevels(buildTree(graph, { levels: 3, builder: 'top-down' }).tree);
    const out = stepsJson<CombosOutput>(
      'combos',
      graphFile,
      '--levels',
      '3',
      '--size',
      '4',
      '--beam',
      '3',
      '--scope',
      '2',
    );
    for (const { start, skills } of out.combinations) {
      const community = levels[2].find((members) => members.includes(start))!;
      for (const skill of skills) expect(community).toContain(skill);
    }
    const global = stepsSync(
      'combos',
      graphFile,
      '--levels',
      '3',
      '--size',
      '3',
      '--beam',
      '2',
      '--search',
      'global',
      '--scope',
      '1',
    );
    expect(global.status).toBe(2);
    expect(global.stderr).toContain(
      '--scope applies to --search local or most-coherent, not global',
    );
    const high = stepsSync(
      'combos',
      graphFile,
      '--levels',
      '3',
      '--size',
      '3',
      '--beam',
      '2',
      '--scope',
      '4',
    );
    expect(high.status).toBe(2);
    expect(high.stderr).toContain('--scope must be at most 3, the levels of this tree, got 4');
  });
});
