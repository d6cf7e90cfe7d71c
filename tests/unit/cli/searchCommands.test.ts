import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../../sharedData';
import { closeTo, loadReferenceCase } from '../core/taxonomy/referenceFixtures';
import { stepsJson, stepsSync } from './runSteps';

interface CombosOutput {
  combinations: { start: number; skills: number[]; score: number }[];
  timingsMs: { search: number };
}

const setKey = (skills: number[]) => [...skills].sort((a, b) => a - b).join(',');

// The top-down builder gives the reference's float64 trees on these graphs, so the CLI in
// reference mode must reproduce the reference's numbers end to end.
describe('steps entropy / combos on reference graphs', () => {
  const ex10 = sharedPath('reference', 'graphs', 'ex10.json');
  const ex10Run = loadReferenceCase('ex10').runs.find((run) => run.kDim === 3)!;

  it('entropy --entropy reference gives the reference conditional SE', () => {
    // The demo's own call, H([1, 3] | [0, 2]), then H([2, 3] | [0, 1]).
    for (const { src_ids, dst_ids, value } of [
      ex10Run.conditional_se[0],
      ex10Run.conditional_se[3],
    ]) {
      const out = stepsJson<{ conditionalEntropy: number }>(
        'entropy',
        ex10,
        '--levels',
        '3',
        '--given',
        src_ids.join(','),
        '--target',
        dst_ids.join(','),
        '--entropy',
        'reference',
      );
      expect(closeTo(out.conditionalEntropy, value), `H(${dst_ids}|${src_ids})`).toBe(true);
    }
  });

  it('combos reproduces the reference global and local searches', () => {
    const cooc = loadReferenceCase('cooc_T50').runs.find((run) => run.kDim === 4)!;
    const cases = [
      { graph: ex10, run: ex10Run, levels: '3' },
      { graph: sharedPath('reference', 'graphs', 'cooc_T50.json'), run: cooc, levels: '4' },
    ];
    for (const { graph, run, levels } of cases) {
      const last = run.searches.at(-1)!.x_set[0];
      const chosen = run.searches.filter(
        (s) => s.beam_width === 10 && s.set_size === 3 && s.x_set[0] === last,
      );
      expect(chosen).toHaveLength(2);
      for (const search of chosen) {
        const mode = search.method.includes('global') ? 'reference-global' : 'reference-local';
        const out = stepsJson<CombosOutput>(
          'combos',
          graph,
          '--levels',
          levels,
          '--size',
          String(search.set_size + 1),
          '--beam',
          String(search.beam_width),
          '--start',
          search.x_set.join(','),
          '--search',
          mode,
          '--entropy',
          'reference',
        );
        const where = `${graph} ${mode} x=${search.x_set}`;
        expect(out.combinations.map((c) => setKey(c.skills.slice(1))).sort(), where).toEqual(
          search.results.map(([, y]) => setKey(y)).sort(),
        );
        out.combinations.forEach((c, r) =>
          expect(closeTo(c.score, search.results[r][0]), `${where} rank ${r}`).toBe(true),
        );
      }
    }
  });

  it('combos without --start searches from every skill; --size counts the start', () => {
    const out = stepsJson<CombosOutput>(
      'combos',
      ex10,
      '--levels',
      '2',
      '--size',
      '4',
      '--beam',
      '3',
    );
    expect(new Set(out.combinations.map((c) => c.start))).toEqual(
      new Set(Array.from({ length: 10 }, (_, i) => i)),
    );
    for (const { start, skills } of out.combinations) {
      expect(skills).toHaveLength(4);
      expect(skills[0]).toBe(start);
    }
    expect(out.timingsMs.search).toBeGreaterThanOrEqual(0);
  });
});

describe('steps combos --format jsonl', () => {
  const cooc = sharedPath('reference', 'graphs', 'cooc_T100.json');
  const lines = (stdout: string) =>
    stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as CombosOutput['combinations'][number]);

  it('prints the combinations of the JSON output, in its order, one per line', () => {
    for (const extra of [
      ['--search', 'local', '--scope', '1'],
      ['--search', 'global', '--per-start', '3', '--dedupe'],
      ['--search', 'reference-local', '--entropy', 'reference', '--start', '4,0,17'],
    ]) {
      const args = ['combos', cooc, '--levels', '3', '--size', '5', '--beam', '8', ...extra];
      const json = stepsJson<CombosOutput>(...args);
      const run = stepsSync(...args, '--format', 'jsonl');
      expect(run.status).toBe(0);
      expect(run.stderr).toContain(`steps combos: ${json.combinations.length} combinations`);
      expect(lines(run.stdout), extra.join(' ')).toEqual(json.combinations);
    }
  });

  it('prints the same bytes on one thread as on three, which take the starts range by range', () => {
    const cooc200 = sharedPath('reference', 'graphs', 'cooc_T200.json');
    for (const extra of [
      ['--search', 'global'],
      ['--search', 'local', '--per-start', '2', '--dedupe'],
    ]) {
      const args = ['combos', cooc200, '--levels', '3', '--size', '4', '--beam', '6', ...extra];
      const one = stepsSync(...args, '--format', 'jsonl', '--threads', '1');
      const three = stepsSync(...args, '--format', 'jsonl', '--threads', '3');
      expect(one.status).toBe(0);
      expect(three.status).toBe(0);
      expect(three.stdout, extra.join(' ')).toBe(one.stdout);
      const json = stepsJson<CombosOutput>(...args, '--threads', '3');
      expect(json.combinations, extra.join(' ')).toEqual(lines(one.stdout));
    }
  });

  it('needs --format json for --corpus', () => {
    const run = stepsSync(
      'combos',
      cooc,
      '--levels',
      '2',
      '--size',
      '3',
      '--beam',
      '2',
      '--format',
      'jsonl',
      '--corpus',
      sharedPath('data', 'ifeval', 'input_data.jsonl'),
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--corpus needs --format json');
  });
});

describe('steps entropy / combos reject bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steps-search-'));
  const ex10 = sharedPath('reference', 'graphs', 'ex10.json');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the file and field of a bad graph', () => {
    const bad = join(dir, 'self-loop.json');
    writeFileSync(
      bad,
      JSON.stringify({
        nodes: 3,
        edges: [
          [0, 1, 1],
          [2, 2, 1],
        ],
      }),
    );
    const run = stepsSync('entropy', bad, '--levels', '2', '--target', '1');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${bad}: edges[1]: self-loop on node 2`);
    const missing = join(dir, 'missing.json');
    expect(
      stepsSync('combos', missing, '--levels', '2', '--size', '3', '--beam', '2').stderr,
    ).toContain(`${missing}: cannot read`);
  });

  it('names the option of a bad argument', () => {
    expect(stepsSync('entropy', ex10, '--levels', '2', '--target', '1,12').stderr).toContain(
      '--target[1] must be a skill id in 0..9, got "12"',
    );
    expect(
      stepsSync('combos', ex10, '--levels', '2', '--size', '3', '--beam', '2', '--search', 'wide')
        .stderr,
    ).toContain(
      '--search must be one of local, most-coherent, global, reference-global, reference-local, got "wide"',
    );
  });
});
