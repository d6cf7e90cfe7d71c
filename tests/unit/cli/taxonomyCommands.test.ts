// The real `steps graph` and `steps tree` commands, run as child processes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { graphFromFile } from '../../../src/core/graph/graphFile';
import { sharedPath } from '../../sharedData';
import { loadReferenceCase } from '../core/taxonomy/referenceFixtures';
import { stepsBytes, stepsJson, stepsSync } from './runSteps';

const scratch = mkdtempSync(join(tmpdir(), 'steps-taxonomy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface GraphOutput {
  nodes: number;
  edges: [number, number, number][];
  names: string[];
  counts: number[];
}

interface TreeOutput {
  structuralEntropy: number;
  firstOrderEntropy: number;
  sweetSpot: number;
  levels: number[][][];
  timingsMs: { tree: number };
}

const bySmallestMember = (levels: number[][][]) =>
  levels.map((level) => [...level].sort((a, b) => a[0] - b[0]));

describe('steps graph', () => {
  it('builds the co-occurrence graph of a corpus file', () => {
    const corpus = join(scratch, 'corpus.jsonl');
    const rows = [
      { prompt: 'one', tags: 'a;b' },
      { prompt: 'two', tags: 'a;b;c' },
      { prompt: 'three', tags: 'c;a' },
      { prompt: 'four', tags: 'b' },
      { prompt: 'five', tags: 'd' },
    ];
    writeFileSync(corpus, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');

    const run = stepsSync(
      'graph',
      corpus,
      '--tags',
      'tags',
      '--delimiter',
      ';',
      '--weight',
      'count',
    );
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('5 rows, 5 kept');
    const graph = JSON.parse(run.stdout) as GraphOutput;
    expect(graph).toEqual({
      nodes: 4,
      edges: [
        [0, 1, 2],
        [0, 2, 2],
        [1, 2, 1],
      ],
      names: ['a', 'b', 'c', 'd'],
      counts: [3, 3, 2, 1],
    });

    const frequent = JSON.parse(
      stepsSync('graph', corpus, '--tags', 'tags', '--delimiter', ';', '--min-count', '3').stdout,
    ) as GraphOutput;
    expect(frequent).toEqual({
      nodes: 2,
      edges: [[0, 1, 4 / 16]],
      names: ['a', 'b'],
      counts: [3, 3],
    });
  });

  it('writes a graph file that `tree` reads, for a real corpus', () => {
    const run = stepsSync('graph', sharedPath('data', 'ifeval', 'input_data.jsonl'));
    expect(run.status).toBe(0);
    const graph = JSON.parse(run.stdout) as GraphOutput;
    expect(graph.nodes).toBe(25);
    expect(graph.names).toContain('punctuation:no_comma');
    expect(graphFromFile(graph).names).toEqual(graph.names);

    const file = join(scratch, 'ifeval-graph.json');
    writeFileSync(file, run.stdout);
    const tree = stepsJson<TreeOutput>('tree', file, '--levels', '2');
    expect(tree.levels).toHaveLength(3);
    expect(tree.levels[1].flat().sort((a, b) => a - b)).toEqual([...Array(25).keys()]);
  });

  it('writes a binary graph file (--format binary) that tree and combos read like the JSON one', () => {
    const corpus = sharedPath('data', 'ifeval', 'input_data.jsonl');
    const jsonFile = join(scratch, 'ifeval.json');
    writeFileSync(jsonFile, stepsSync('graph', corpus).stdout);
    const binary = stepsBytes('graph', corpus, '--format', 'binary');
    expect(binary.status).toBe(0);
    expect(binary.stderr).toContain('25 skills');
    expect(binary.stdout.subarray(0, 8).toString('latin1')).toBe('STEPSGRF');
    const binaryFile = join(scratch, 'ifeval.graph');
    writeFileSync(binaryFile, binary.stdout);

    const withoutTimings = (output: { timingsMs: unknown }) => ({ ...output, timingsMs: 0 });
    for (const args of [
      ['tree', '--levels', '2', '--builder', 'optimised', '--entropy', 'reference'],
      ['combos', '--levels', '3', '--size', '4', '--beam', '5', '--search', 'global'],
    ]) {
      const [command, ...rest] = args;
      const fromJson = stepsJson<{ timingsMs: unknown }>(command, jsonFile, ...rest);
      const fromBinary = stepsJson<{ timingsMs: unknown }>(command, binaryFile, ...rest);
      expect(withoutTimings(fromBinary), args.join(' ')).toEqual(withoutTimings(fromJson));
    }
  });

  it('names the file and the field of a bad binary graph file', () => {
    const binary = stepsBytes(
      'graph',
      sharedPath('data', 'ifeval', 'input_data.jsonl'),
      '--format',
      'binary',
    ).stdout;
    const bad = join(scratch, 'bad.graph');
    const wrongVersion = Buffer.from(binary);
    wrongVersion.writeUInt32LE(7, 8);
    writeFileSync(bad, wrongVersion);
    const run = stepsSync('tree', bad, '--levels', '2');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `steps tree: ${bad}: version: 7 is not supported (this reader knows 1)`,
    );
    writeFileSync(bad, binary.subarray(0, binary.length - 4));
    expect(
      stepsSync('combos', bad, '--levels', '2', '--size', '3', '--beam', '2').stderr,
    ).toContain(`${bad}: length: ${binary.length - 4} bytes`);
  });

  it('rejects bad options with the usage', () => {
    const corpus = sharedPath('data', 'ifeval', 'input_data.jsonl');
    expect(stepsSync('graph', corpus, '--format', 'yaml').stderr).toContain(
      '--format must be one of json, binary, got "yaml"',
    );
    expect(stepsSync('graph', corpus, '--weight', 'jaccard').stderr).toContain(
      '--weight must be one of reference, count, pmi, npmi, got "jaccard"',
    );
    const unknown = stepsSync('graph', corpus, '--colour', 'red');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown option "--colour"; usage: steps graph');
  });
});

describe('steps tree', () => {
  it('gives the reference tree and reference-mode numbers of cooc_T50', () => {
    const run = loadReferenceCase('cooc_T50').runs.find((candidate) => candidate.kDim === 2)!;
    const tree = stepsJson<TreeOutput>(
      'tree',
      sharedPath('reference', 'graphs', 'cooc_T50.json'),
      '--levels',
      '2',
      '--entropy',
      'reference',
    );
    expect(tree.levels).toEqual(bySmallestMember(run.tree.levels));
    expect(tree.structuralEntropy).toBeCloseTo(run.se_from_tree, 12);
    expect(tree.firstOrderEntropy).toBeCloseTo(run.first_order_se, 12);
    expect(tree.sweetSpot).toBeCloseTo(run.sweet_spot, 12);
    expect(tree.timingsMs.tree).toBeGreaterThanOrEqual(0);
  });

  it('gives the textbook entropy of the same tree in standard mode', () => {
    const run = loadReferenceCase('cooc_T100').runs.find((candidate) => candidate.kDim === 3)!;
    const tree = stepsJson<TreeOutput>(
      'tree',
      sharedPath('reference', 'graphs', 'cooc_T100.json'),
      '--levels',
      '3',
    );
    expect(tree.structuralEntropy).toBeCloseTo(
      run.derived_not_reference.se_standard_coding_tree,
      12,
    );
  });

  it('builds an optimised tree no worse than the top-down one', () => {
    const graph = sharedPath('reference', 'graphs', 'pp_4x4x8.json');
    const topDown = stepsJson<TreeOutput>('tree', graph, '--levels', '3');
    const optimised = stepsJson<TreeOutput>(
      'tree',
      graph,
      '--levels',
      '3',
      '--builder',
      'optimised',
    );
    expect(optimised.levels).toHaveLength(4);
    expect(optimised.structuralEntropy).toBeLessThanOrEqual(topDown.structuralEntropy + 1e-12);
  });

  it('leaves out levels that only repeat the level above, and says so in "note"', () => {
    const graph = sharedPath('reference', 'graphs', 'ex10.json');
    const tree = stepsJson<TreeOutput & { note?: string }>('tree', graph, '--levels', '5');
    // Ten singletons at level 3: levels 4 and 5 would only repeat them.
    expect(tree.levels.map((level) => level.length)).toEqual([1, 3, 6, 10]);
    expect(tree.note).toBe(
      '5 levels were asked for, but levels 4 and 5 only repeated the level above them, so the tree has 3 levels: the graph splits no further.',
    );
    expect(stepsJson<TreeOutput>('tree', graph, '--levels', '3')).not.toHaveProperty('note');
  });

  it('stops with exit status 2 and a remedy on a graph without links', () => {
    const unlinked = join(scratch, 'no-links.json');
    writeFileSync(unlinked, JSON.stringify({ nodes: 3, edges: [], names: ['a', 'b', 'c'] }));
    for (const args of [
      ['tree', unlinked, '--levels', '2'],
      ['combos', unlinked, '--levels', '2', '--size', '2', '--beam', '2'],
    ]) {
      const run = stepsSync(...args);
      expect(run.status, args[0]).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`steps ${args[0]}: The graph has 3 skills but no links`);
      expect(run.stderr).toContain('Tag each sample with all the skills it needs');
    }
  });

  it('names the file and field of a bad graph file, and checks its options', () => {
    const bad = join(scratch, 'bad-graph.json');
    writeFileSync(
      bad,
      JSON.stringify({
        nodes: 2,
        edges: [
          [0, 1, 1],
          [1, 1, 2],
        ],
      }),
    );
    expect(stepsSync('tree', bad, '--levels', '2').stderr).toContain(
      `${bad}: edges[1]: self-loop on node 1`,
    );
    const graph = sharedPath('reference', 'graphs', 'ex10.json');
    expect(stepsSync('tree', graph, '--levels', 'two').stderr).toContain(
      '--levels must be an integer ≥ 1, got "two"',
    );
  });
});
