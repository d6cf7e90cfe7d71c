// `steps graph` → `steps combos` → `steps synthesize` on the demo corpus with the fixture model,
// as real child processes.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { validateGeneratedSample } from '../../../src/core/synthesis/generatedSample';

const run = promisify(execFile);
const steps = (...args: string[]) =>
  run('npx', ['tsx', 'src/cli/steps.ts', ...args], { maxBuffer: 1 << 24 });

describe('steps synthesize', () => {
  it('writes a JSONL file whose every line validates against the sample schema, and resumes', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'steps-synthesize-'));
    const graph = join(folder, 'graph.json');
    const combos = join(folder, 'combos.json');
    const out = join(folder, 'samples.jsonl');
    writeFileSync(graph, (await steps('graph', 'public/demo/demo-corpus.jsonl')).stdout);
    writeFileSync(
      combos,
      (await steps('combos', graph, '--levels', '3', '--size', '3', '--beam', '5', '--dedupe'))
        .stdout,
    );
    const args = [
      'synthesize',
      '--corpus',
      'public/demo/demo-corpus.jsonl',
      '--combos',
      combos,
      '--count',
      '5',
      '--model',
      'tests/fixtures/models/steps-fixture',
      '--out',
      out,
      '--prompt-tokens',
      '448',
      '--max-tokens',
      '128',
      '--temperature',
      '0.7',
      '--seed',
      '3',
    ];
    const first = JSON.parse((await steps(...args)).stdout);
    expect(first).toMatchObject({ done: true, validPerK: { 3: 5 }, targetPerK: { 3: 5 } });

    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    for (const line of lines) {
      const sample = JSON.parse(line);
      expect(validateGeneratedSample(sample)).toEqual([]);
      expect(sample).toMatchObject({
        k: 3,
        model: { id: 'steps-fixture', engine: 'transformers' },
      });
    }

    // The same command again finds the run complete in its attempts file: nothing is redone.
    const again = await steps(...args);
    expect(again.stderr).toContain(`resuming run ${first.runId} after ${first.attempts} attempts`);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toEqual(lines);
  });
});
