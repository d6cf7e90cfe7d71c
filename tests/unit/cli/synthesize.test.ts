// `steps graph` → `steps combos` → `steps synthesize` on the demo corpus, as real child processes:
// with the fixture model (transformers.js), and with the real instruct model's GGUF file
// (SmolLM2-135M-Instruct through node-llama-cpp).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateGeneratedSample } from '../../../src/core/synthesis/generatedSample';
import { testModelMissing, testModelPath } from '../testModel';
import { steps } from './runSteps';

/** A graph and the combinations of k skills of the demo corpus, written to a new folder. */
async function demoCombinations(k: number): Promise<{ folder: string; combos: string }> {
  const folder = mkdtempSync(join(tmpdir(), 'steps-synthesize-'));
  const graph = join(folder, 'graph.json');
  const combos = join(folder, 'combos.json');
  writeFileSync(graph, (await steps('graph', 'public/demo/demo-corpus.jsonl')).stdout);
  writeFileSync(
    combos,
    (await steps('combos', graph, '--levels', '3', '--size', String(k), '--beam', '5', '--dedupe'))
      .stdout,
  );
  return { folder, combos };
}

/** `steps synthesize` arguments for the demo corpus and the fixture model with a 448-token budget. */
const synthesizeArgs = (combos: string, out: string, count: number) => [
  'synthesize',
  '--corpus',
  'public/demo/demo-corpus.jsonl',
  '--combos',
  combos,
  '--count',
  String(count),
  '--model',
  'tests/fixtures/models/steps-fixture',
  '--out',
  out,
  '--prompt-tokens',
  '448',
  '--max-tokens',
  '128',
];

describe('steps synthesize', () => {
  it('writes a JSONL file whose every line validates against the sample schema, and resumes', async () => {
    const { folder, combos } = await demoCombinations(3);
    const out = join(folder, 'samples.jsonl');
    const args = [...synthesizeArgs(combos, out, 5), '--temperature', '0.7', '--seed', '3'];
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

  it('runs agentic tasks with the coverage gate, and with the suitability check', async () => {
    const { folder, combos } = await demoCombinations(2);
    const synthesize = async (out: string, ...options: string[]) => {
      const { stdout } = await steps(
        ...synthesizeArgs(combos, out, 3),
        '--template',
        'agentic',
        ...options,
      );
      const read = (file: string) =>
        existsSync(file)
          ? readFileSync(file, 'utf8')
              .split('\n')
              .filter((line) => line.trim() !== '')
              .map((line) => JSON.parse(line))
          : [];
      return {
        result: JSON.parse(stdout),
        samples: read(out),
        attempts: read(`${out}.attempts.jsonl`),
      };
    };

    const gated = await synthesize(
      join(folder, 'gated.jsonl'),
      '--coverage',
      '--min-coverage',
      '0.5',
    );
    expect(gated.result.done).toBe(true);
    expect(gated.samples.length).toBeGreaterThan(0);
    expect(gated.samples).toHaveLength(gated.result.validPerK[2]);
    for (const sample of gated.samples) {
      expect(validateGeneratedSample(sample)).toEqual([]);
      expect(sample.template.kind).toBe('agentic');
      expect(sample.checks.coverage.covered.length).toBeGreaterThanOrEqual(1);
    }

    const checked = await synthesize(join(folder, 'checked.jsonl'), '--agentic-check');
    expect(checked.result.done).toBe(true);
    const verdicts = checked.attempts.filter((a) => a.agenticCheck?.suitable != null);
    expect(verdicts.length).toBeGreaterThan(0);
    expect(checked.result.unsuitable).toBe(
      verdicts.filter((a) => a.agenticCheck.suitable === false).length,
    );
    for (const sample of checked.samples) {
      expect(validateGeneratedSample(sample)).toEqual([]);
      expect(sample.checks.agentic.suitable).toBe(true);
    }
  });

  it('names the option that is wrong', async () => {
    await expect(
      steps(
        'synthesize',
        '--corpus',
        'x',
        '--combos',
        'y',
        '--count',
        '1',
        '--model',
        'm',
        '--out',
        'o',
        '--agentic-check',
      ),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('--agentic-check needs --template agentic'),
    });
  });
});

if (testModelMissing)
  console.warn(`steps synthesize with a GGUF model skipped: ${testModelMissing}`);

describe.skipIf(testModelMissing)('steps synthesize with a GGUF model', () => {
  it('writes seeded samples held to the answer schema, every line valid, and resumes', async () => {
    const { folder, combos } = await demoCombinations(2);
    const out = join(folder, 'samples.jsonl');
    const args = [
      'synthesize',
      '--corpus',
      'public/demo/demo-corpus.jsonl',
      '--combos',
      combos,
      '--count',
      '2',
      '--model',
      testModelPath,
      '--out',
      out,
      '--seed',
      '5',
      '--temperature',
      '0.7',
      '--max-tokens',
      '256',
      // One thread: a busy machine's other cores do not slow each token down.
      '--threads',
      '1',
    ];
    const first = JSON.parse((await steps(...args)).stdout);
    expect(first).toMatchObject({ done: true, validPerK: { 2: 2 }, targetPerK: { 2: 2 } });

    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const sample = JSON.parse(line);
      expect(validateGeneratedSample(sample)).toEqual([]);
      expect(sample).toMatchObject({
        k: 2,
        model: { id: 'SmolLM2-135M-Instruct.Q4_1.gguf', engine: 'node-llama-cpp' },
        parameters: { temperature: 0.7, max_tokens: 256 },
      });
    }
    // A grammar held every answer to the conversation schema: each is strict JSON (no repairs),
    // unless the token limit cut it off, the one way out of a grammar.
    const attempts = readFileSync(`${out}.attempts.jsonl`, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(attempts).toHaveLength(first.attempts);
    for (const attempt of attempts) {
      if (attempt.reason?.problem?.includes('cut off')) continue;
      expect(Array.isArray(JSON.parse(attempt.rawOutput))).toBe(true);
    }

    const again = await steps(...args);
    expect(again.stderr).toContain(`resuming run ${first.runId} after ${first.attempts} attempts`);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toEqual(lines);
  }, 1_200_000);

  it('names a model path that does not exist, and --threads with a model folder', async () => {
    const base = ['synthesize', '--corpus', 'x', '--combos', 'y', '--count', '1', '--out', 'o'];
    await expect(steps(...base, '--model', 'no-such-model.gguf')).rejects.toMatchObject({
      stderr: expect.stringContaining('--model: '),
    });
    await expect(
      steps(...base, '--model', 'tests/fixtures/models/steps-fixture', '--threads', '2'),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('--threads is for a GGUF model') });
  });
});
