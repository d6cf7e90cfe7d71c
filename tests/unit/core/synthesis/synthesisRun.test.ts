// The synthesis run with the real fixture model (transformers.js on onnxruntime-node): every
// attempt is recorded once, and a run rebuilt from its recorded attempts continues exactly as an
// uninterrupted run would.
import { env } from '@huggingface/transformers';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sample } from '../../../../src/core/corpus/sample';
import { assignAtomicSamples } from '../../../../src/core/synthesis/atomicAssignment';
import { validateGeneratedSample } from '../../../../src/core/synthesis/generatedSample';
import { defaultTemplates } from '../../../../src/core/synthesis/prompts';
import {
  SynthesisRun,
  type SynthesisAttempt,
  type SynthesisDeps,
  type SynthesisRunSpec,
} from '../../../../src/core/synthesis/synthesisRun';
import {
  loadTransformersEngine,
  type TransformersEngine,
} from '../../../../src/llm/transformersEngine';

const corpus: Sample[] = readFileSync(
  new URL('../../../../public/demo/demo-corpus.jsonl', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Sample);
const byId = new Map(corpus.map((sample) => [sample.id, sample]));

const node = { level: 1, community: 0 };
const spec: SynthesisRunSpec = {
  runId: 'run-test',
  combinations: [
    { skills: ['sql_querying', 'budgeting'], score: 0.3, lowestCommonNode: node },
    { skills: ['poetry', 'unit_testing', 'estimation'], score: 0.5, lowestCommonNode: node },
    { skills: ['python_programming', 'travel_planning'], score: 0.2, lowestCommonNode: node },
  ],
  targetPerK: { 2: 3, 3: 2 },
  template: defaultTemplates.fusion,
  model: { id: 'steps-fixture', engine: 'transformers' },
  generation: { temperature: 0, top_p: 1, max_tokens: 128 },
  maxPromptTokens: 448,
  seed: 5,
  maxAttemptsPerSlot: 2,
  quality: { dedup: true, nearDuplicateThreshold: 0.8, novelty: false },
};

let engine: TransformersEngine;
const assignment = assignAtomicSamples(corpus, { seed: 5 });

function deps(saved: SynthesisAttempt[]): SynthesisDeps {
  return {
    chat: (call, signal) => engine.chat(call, { signal }),
    countTokens: (text) => engine.countTokens(text),
    assignment,
    sample: async (id) => byId.get(id)!,
    saveAttempt: async (attempt) => {
      saved.push(structuredClone(attempt));
    },
    now: () => new Date('2026-11-27T00:00:00.000Z'),
  };
}

async function runToEnd(run: SynthesisRun): Promise<void> {
  while (await run.next());
}

/** An attempt without its timings, which differ from run to run. */
function untimed(attempt: SynthesisAttempt) {
  if (!attempt.sample) return attempt;
  const { timeToFirstTokenMs: _first, tokensPerSecond: _rate, ...usage } = attempt.sample.usage;
  return { ...attempt, sample: { ...attempt.sample, usage } };
}

beforeAll(async () => {
  env.allowRemoteModels = false;
  env.localModelPath = fileURLToPath(new URL('../../../fixtures/models/', import.meta.url));
  engine = await loadTransformersEngine({ model: 'steps-fixture', device: 'cpu' });
});
afterAll(() => engine.dispose());

describe('synthesis run on the fixture model', () => {
  let whole: SynthesisAttempt[];

  it('records each attempt once, with a valid sample or a reason, and gives up on repeats', async () => {
    whole = [];
    const run = new SynthesisRun(spec, deps(whole), []);
    await runToEnd(run);
    const { validPerK, attempts, done, givenUp } = run.progress;
    expect(done).toBe(true);
    // Greedy decoding writes the same conversation for a combination again (new atomic samples
    // change little for this tiny model), so once every combination has one sample the repeats
    // are near duplicates and each k is given up short of its target.
    expect(validPerK).toEqual({ 2: 2, 3: 1 });
    expect(givenUp).toEqual([2, 3]);
    expect(whole.filter((a) => a.status === 'discarded').map((a) => a.reason)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^(near|exact) duplicate of run-test:\d+/)]),
    );
    expect(whole.map((a) => a.index)).toEqual(Array.from({ length: attempts }, (_, i) => i));
    for (const attempt of whole) {
      if (attempt.status === 'valid') {
        expect(validateGeneratedSample(attempt.sample)).toEqual([]);
        expect(attempt.sample!.skills).toEqual(spec.combinations[attempt.combinationIndex].skills);
        expect(attempt.sample!.atomicSampleIds).toEqual(attempt.atomicSampleIds);
      } else {
        expect(attempt.reason).toMatch(/\w/);
      }
    }
    expect(await run.next()).toBeNull();
  });

  it('resumed from its first attempts, makes exactly the attempts the whole run made', async () => {
    for (const cut of [1, 3]) {
      const resumedTail: SynthesisAttempt[] = [];
      const resumed = new SynthesisRun(spec, deps(resumedTail), whole.slice(0, cut));
      expect(resumed.progress.attempts).toBe(cut);
      await runToEnd(resumed);
      expect([...whole.slice(0, cut), ...resumedTail].map(untimed)).toEqual(whole.map(untimed));
    }
  });

  it('discards a draw whose prompt cannot fit the budget, and gives up when none can', async () => {
    const saved: SynthesisAttempt[] = [];
    const run = new SynthesisRun({ ...spec, maxPromptTokens: 40 }, deps(saved), []);
    await runToEnd(run);
    expect(run.progress).toMatchObject({ validPerK: { 2: 0, 3: 0 }, givenUp: [2, 3], done: true });
    expect(saved.length).toBeGreaterThan(0);
    for (const attempt of saved) {
      expect(attempt.status).toBe('discarded');
      expect(attempt.reason).toMatch(/budget is 40; raise the prompt budget$/);
    }
  });

  it('refuses recorded attempts that do not follow its plan', () => {
    const changed = { ...spec, seed: 6 };
    const moved = whole.map((a) => ({ ...a, combinationIndex: (a.combinationIndex + 1) % 3 }));
    expect(() => new SynthesisRun(changed, deps([]), moved)).toThrow(/does not follow/);
    expect(() => new SynthesisRun(spec, deps([]), whole.slice(1))).toThrow(/missing/);
  });
});
