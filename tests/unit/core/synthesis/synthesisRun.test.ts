// The synthesis run with the real fixture model (transformers.js on onnxruntime-node): every
// attempt is recorded once, and a run rebuilt from its recorded attempts continues exactly as an
// uninterrupted run would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignAtomicSamples } from '../../../../src/core/synthesis/atomicAssignment';
import { describeDiscard } from '../../../../src/core/synthesis/discardReason';
import { EngineFailedError } from '../../../../src/core/synthesis/engineFailures';
import { validateGeneratedSample } from '../../../../src/core/synthesis/generatedSample';
import { defaultTemplates } from '../../../../src/core/synthesis/prompts';
import {
  SynthesisRun,
  type ChatAnswer,
  type ChatCall,
  type SynthesisAttempt,
  type SynthesisDeps,
  type SynthesisRunSpec,
} from '../../../../src/core/synthesis/synthesisRun';
import { OpenAiEngine } from '../../../../src/llm/openAiEngine';
import type { TransformersEngine } from '../../../../src/llm/transformersEngine';
import { loadFixtureEngine, readDemoCorpus } from '../../fixtures';
import { startOpenAiTestServer, type OpenAiTestServer } from '../../llm/openAiTestServer';

const corpus = readDemoCorpus();
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
  quality: {
    dedup: true,
    nearDuplicateThreshold: 0.8,
    novelty: false,
    coverage: false,
    minCoverage: 1,
  },
  checkMaxTokens: 64,
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

/** An answer given by the test instead of the model (to force a branch the fixture rarely takes). */
function scriptedAnswer(text: string, call: ChatCall): ChatAnswer {
  return {
    text,
    usage: {
      prompt_tokens: 1,
      completion_tokens: 1,
      time_to_first_token_ms: null,
      tokens_per_second: 1,
    },
    record: { engine: 'scripted', model: 'scripted', seed: call.seed },
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
  engine = await loadFixtureEngine();
});
afterAll(() => engine.dispose());

describe('synthesis run on the fixture model', () => {
  let whole: SynthesisAttempt[];

  it('records each attempt once, with a valid sample or a reason, meeting each target or giving up', async () => {
    whole = [];
    const run = new SynthesisRun(spec, deps(whole), []);
    await runToEnd(run);
    const { validPerK, attempts, done, givenUp } = run.progress;
    expect(done).toBe(true);
    // Each k reaches its target, or is given up after every combination failed in a row.
    for (const k of [2, 3]) {
      expect(validPerK[k] === spec.targetPerK[k] || givenUp.includes(k)).toBe(true);
      expect(validPerK[k]).toBe(whole.filter((a) => a.k === k && a.status === 'valid').length);
    }
    expect(whole.map((a) => a.index)).toEqual(Array.from({ length: attempts }, (_, i) => i));
    for (const attempt of whole) {
      if (attempt.status === 'valid') {
        expect(validateGeneratedSample(attempt.sample)).toEqual([]);
        expect(attempt.sample!.skills).toEqual(spec.combinations[attempt.combinationIndex].skills);
        expect(attempt.sample!.atomicSampleIds).toEqual(attempt.atomicSampleIds);
      } else {
        expect(describeDiscard(attempt.reason!)).toMatch(/\w/);
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

  it('resumes from attempts stored before reasons were typed, whose reasons are text', async () => {
    const asText = (attempt: SynthesisAttempt): SynthesisAttempt => ({
      ...attempt,
      reason: attempt.reason === null ? null : describeDiscard(attempt.reason),
    });
    const cut = whole.findLastIndex((a) => a.status === 'discarded') + 1;
    expect(cut).toBeGreaterThan(0);
    const resumedTail: SynthesisAttempt[] = [];
    const resumed = new SynthesisRun(spec, deps(resumedTail), whole.slice(0, cut).map(asText));
    expect(resumed.progress).toMatchObject({ attempts: cut });
    await runToEnd(resumed);
    expect(resumedTail.map(untimed)).toEqual(whole.slice(cut).map(untimed));
  });

  it('discards a draw whose prompt cannot fit the budget, and gives up when none can', async () => {
    const saved: SynthesisAttempt[] = [];
    const run = new SynthesisRun({ ...spec, maxPromptTokens: 40 }, deps(saved), []);
    await runToEnd(run);
    expect(run.progress).toMatchObject({ validPerK: { 2: 0, 3: 0 }, givenUp: [2, 3], done: true });
    expect(saved.length).toBeGreaterThan(0);
    for (const attempt of saved) {
      expect(attempt.status).toBe('discarded');
      expect(attempt.reason).toMatchObject({ code: 'prompt-budget', maxPromptTokens: 40 });
      expect(describeDiscard(attempt.reason!)).toMatch(/budget is 40; raise the prompt budget$/);
    }
  });

  it('with exact counts at hand, sends prompts within the real budget and close to it', async () => {
    const sent: number[] = [];
    const budget = 300;
    const run = new SynthesisRun(
      { ...spec, runId: 'run-exact', maxPromptTokens: budget, targetPerK: { 2: 2, 3: 2 } },
      {
        ...deps([]),
        // A crude estimate (3 characters a token), corrected by the tokenizer's exact counts.
        countTokens: (text) => Math.ceil(text.length / 3),
        tokenCounts: (texts) => engine.tokenCounts(texts),
        chat: (call, signal) => {
          sent.push(call.messages.reduce((n, m) => n + engine.countTokens(m.content), 0));
          return engine.chat(call, { signal });
        },
      },
      [],
    );
    await runToEnd(run);
    expect(sent.length).toBeGreaterThan(2);
    for (const tokens of sent) expect(tokens).toBeLessThanOrEqual(budget);
    // Most demo prompts exceed 300 tokens and are cut: to within 10 % of the budget, not to what
    // the estimate alone would allow.
    expect(Math.max(...sent)).toBeGreaterThanOrEqual(0.9 * budget);
  });

  it('refuses recorded attempts that do not follow its plan', () => {
    const changed = { ...spec, seed: 6 };
    const moved = whole.map((a) => ({ ...a, combinationIndex: (a.combinationIndex + 1) % 3 }));
    expect(() => new SynthesisRun(changed, deps([]), moved)).toThrow(/does not follow/);
    expect(() => new SynthesisRun(spec, deps([]), whole.slice(1))).toThrow(/missing/);
  });
});

describe('model-judged checks on the fixture model', () => {
  const agenticSpec: SynthesisRunSpec = {
    ...spec,
    runId: 'run-agentic',
    template: defaultTemplates.agentic,
    agenticCheck: defaultTemplates['agentic-check'],
    targetPerK: { 2: 2, 3: 1 },
  };
  let agentic: SynthesisAttempt[];

  it('asks each combination once, records an unsuitable one once and skips it after', async () => {
    agentic = [];
    const run = new SynthesisRun(agenticSpec, deps(agentic), []);
    await runToEnd(run);
    // Each combination's verdict is asked until one is read, then never again.
    const verdicts = agentic.filter((a) => a.agenticCheck && a.agenticCheck.suitable !== null);
    const judged = verdicts.map((a) => a.combinationIndex);
    expect(new Set(judged).size).toBe(judged.length);
    // Every combination judged unsuitable has exactly its one attempt, with the model's reason.
    const unsuitable = verdicts.filter((a) => a.agenticCheck!.suitable === false);
    expect(run.progress.unsuitable).toBe(unsuitable.length);
    for (const attempt of unsuitable) {
      expect(agentic.filter((a) => a.combinationIndex === attempt.combinationIndex)).toEqual([
        attempt,
      ]);
      expect(attempt.reason).toEqual({ code: 'not-agentic', reason: attempt.agenticCheck!.reason });
      expect(describeDiscard(attempt.reason!)).toBe(
        `not suited to an agent task: ${attempt.agenticCheck!.reason}`,
      );
    }
    // A k whose combinations were all judged unsuitable is given up.
    for (const k of [2, 3]) {
      const combos = agenticSpec.combinations.flatMap((c, i) => (c.skills.length === k ? [i] : []));
      if (combos.every((i) => unsuitable.some((a) => a.combinationIndex === i))) {
        expect(run.progress.givenUp).toContain(k);
      }
    }
    const valid = agentic.filter((a) => a.status === 'valid');
    for (const attempt of valid) {
      expect(validateGeneratedSample(attempt.sample)).toEqual([]);
      expect(attempt.sample!.checks?.agentic?.suitable).toBe(true);
      expect(attempt.sample!.template.kind).toBe('agentic');
    }
  });

  it('resumes a checked run exactly, verdicts included', async () => {
    for (const cut of [1, 2]) {
      const tail: SynthesisAttempt[] = [];
      const resumed = new SynthesisRun(agenticSpec, deps(tail), agentic.slice(0, cut));
      await runToEnd(resumed);
      expect([...agentic.slice(0, cut), ...tail].map(untimed)).toEqual(agentic.map(untimed));
    }
  });

  it('keeps a conversation only when the model finds enough of its skills in it', async () => {
    const saved: SynthesisAttempt[] = [];
    const coverageSpec: SynthesisRunSpec = {
      ...spec,
      runId: 'run-coverage',
      quality: { ...spec.quality, coverage: true, minCoverage: 0.5 },
    };
    const run = new SynthesisRun(coverageSpec, deps(saved), []);
    await runToEnd(run);
    const judged = saved.filter((a) => a.coverage);
    expect(judged.length).toBeGreaterThan(0);
    for (const attempt of judged) {
      const { covered, missing } = attempt.coverage!;
      const skills = spec.combinations[attempt.combinationIndex].skills;
      expect([...covered, ...missing].sort()).toEqual([...skills].sort());
      const enough = covered.length >= Math.ceil(attempt.k / 2);
      expect(attempt.status).toBe(enough ? 'valid' : 'discarded');
      if (enough) {
        expect(validateGeneratedSample(attempt.sample)).toEqual([]);
        expect(attempt.sample!.checks?.coverage).toEqual({ covered, missing });
      } else {
        expect(attempt.reason).toMatchObject({ code: 'too-few-skills', covered: covered.length });
        expect(describeDiscard(attempt.reason!)).toMatch(
          /^covers \d of \d skills, \d needed \(missing: /,
        );
      }
    }
    expect(saved.some((a) => a.status === 'valid')).toBe(true);
  });
});

describe('an unconstrained run', () => {
  it('sends no answer schema, in the conversation or the checks', async () => {
    const formats: ChatCall['response_format'][] = [];
    const run = new SynthesisRun(
      {
        ...spec,
        runId: 'run-unconstrained',
        targetPerK: { 2: 2 },
        quality: { ...spec.quality, coverage: true },
        unconstrained: true,
      },
      {
        ...deps([]),
        chat: (call, signal) => {
          formats.push(call.response_format);
          return engine.chat(call, { signal });
        },
      },
      [],
    );
    await runToEnd(run);
    expect(formats.length).toBeGreaterThan(0);
    expect(new Set(formats.map((format) => format.type))).toEqual(new Set(['text']));
  });
});

describe('an agentic run whose checks say yes', () => {
  // The fixture's verdicts are mostly "no"; this drives the other branch: the check answers are
  // scripted, the conversations come from the fixture.
  it('asks once per combination, generates, and records the verdict on every sample', async () => {
    const saved: SynthesisAttempt[] = [];
    const checkCalls: string[] = [];
    const run = new SynthesisRun(
      {
        ...spec,
        runId: 'run-agentic-yes',
        template: defaultTemplates.agentic,
        agenticCheck: defaultTemplates['agentic-check'],
        targetPerK: { 2: 3 },
      },
      {
        ...deps(saved),
        chat: async (call, signal) => {
          if (!call.messages[1].content.startsWith('Skills:')) return engine.chat(call, { signal });
          checkCalls.push(call.messages[1].content.split('\n')[0]);
          return scriptedAnswer('{"suitable": true, "reason": "The data can be queried."}', call);
        },
      },
      [],
    );
    await runToEnd(run);
    expect(checkCalls).toEqual([...new Set(checkCalls)]);
    expect(checkCalls.length).toBeLessThanOrEqual(2);
    const valid = saved.filter((a) => a.status === 'valid');
    expect(valid.length).toBeGreaterThan(0);
    for (const attempt of valid) {
      expect(validateGeneratedSample(attempt.sample)).toEqual([]);
      expect(attempt.sample!.checks?.agentic).toEqual({
        suitable: true,
        reason: 'The data can be queried.',
      });
      expect(attempt.sample!.template.kind).toBe('agentic');
    }
  });
});

describe('the coverage gate on given verdicts', () => {
  // A scripted chat stands in for a model that misjudges or answers garbage (faults the fixture
  // does not produce on demand); the conversation is always the same.
  const conversation =
    '[{"role": "user", "content": "Total my budget with SQL."}, {"role": "assistant", "content": "SELECT SUM(amount) FROM budget;"}]';
  const scripted = (coverageAnswer: string): SynthesisDeps => ({
    ...deps([]),
    chat: async (call) =>
      scriptedAnswer(
        call.messages[1].content.startsWith('Skills:') ? coverageAnswer : conversation,
        call,
      ),
  });
  const oneCombination = (minCoverage: number): SynthesisRunSpec => ({
    ...spec,
    combinations: [spec.combinations[0]],
    targetPerK: { 2: 1 },
    maxAttemptsPerSlot: 1,
    quality: { ...spec.quality, coverage: true, minCoverage },
  });

  it('discards a conversation covering too few skills, naming the missing ones', async () => {
    const run = new SynthesisRun(oneCombination(1), scripted('{"covered": ["budgeting"]}'), []);
    const attempt = await run.next();
    expect(attempt).toMatchObject({
      status: 'discarded',
      reason: {
        code: 'too-few-skills',
        covered: 1,
        skills: 2,
        needed: 2,
        missing: ['sql_querying'],
      },
      coverage: { covered: ['budgeting'], missing: ['sql_querying'] },
    });
    expect(describeDiscard(attempt!.reason!)).toBe(
      'covers 1 of 2 skills, 2 needed (missing: sql_querying)',
    );
  });

  it('keeps it when the share asked for is met, and records the verdict', async () => {
    const run = new SynthesisRun(oneCombination(0.5), scripted('{"covered": ["budgeting"]}'), []);
    const attempt = await run.next();
    expect(attempt?.status).toBe('valid');
    expect(attempt?.sample?.checks).toEqual({
      coverage: { covered: ['budgeting'], missing: ['sql_querying'] },
    });
    expect(validateGeneratedSample(attempt?.sample)).toEqual([]);
  });

  it('discards it when the verdict cannot be read', async () => {
    const run = new SynthesisRun(oneCombination(1), scripted('I think all of them.'), []);
    const attempt = await run.next();
    expect(attempt).toMatchObject({
      status: 'discarded',
      reason: { code: 'coverage-unreadable' },
    });
    expect(describeDiscard(attempt!.reason!)).toBe(
      'coverage check unreadable: no JSON array or object found in the output',
    );
  });

  it('refuses a share outside (0, 1] and a check on a fusion run', () => {
    expect(() => new SynthesisRun(oneCombination(0), deps([]), [])).toThrow(
      'quality.minCoverage: must be above 0 and at most 1, got 0',
    );
    expect(
      () =>
        new SynthesisRun(
          { ...spec, agenticCheck: defaultTemplates['agentic-check'] },
          deps([]),
          [],
        ),
    ).toThrow('agenticCheck: only an agentic run asks it (template kind is fusion)');
  });
});

describe('engine failures, against a local OpenAI-compatible server', () => {
  // The server echoes the prompt: whatever comes of that, it is the answer recorded.
  let server: OpenAiTestServer;
  beforeAll(async () => {
    server = await startOpenAiTestServer();
  });
  afterAll(() => server.close());

  const notLoaded = {
    status: 200,
    body: JSON.stringify({ error: { message: 'model "tiny" is not loaded' } }),
  };
  function endpointDeps(saved: SynthesisAttempt[]): SynthesisDeps {
    const endpoint = new OpenAiEngine(
      { baseUrl: server.baseUrl, model: 'tiny' },
      { maxRetries: 0, baseDelayMs: 1 },
    );
    return { ...deps(saved), chat: (call, signal) => endpoint.chat(call, { signal }) };
  }
  const oneSlot: SynthesisRunSpec = { ...spec, targetPerK: { 2: 1 }, maxAttemptsPerSlot: 1 };

  it("stops after 3 failures in a row with the server's message, recording none of them", async () => {
    server.requests.length = 0;
    server.failNext(notLoaded, notLoaded, notLoaded);
    const saved: SynthesisAttempt[] = [];
    const run = new SynthesisRun(oneSlot, endpointDeps(saved), []);
    const failure = run.next();

    await expect(failure).rejects.toBeInstanceOf(EngineFailedError);
    await expect(failure).rejects.toThrow(
      /^The model failed 3 times in a row; the last time: .*answered with an error instead of a completion: model "tiny" is not loaded/,
    );
    expect(server.requests).toHaveLength(3);
    expect(saved).toEqual([]);
    expect(run.progress).toMatchObject({ attempts: 0, discarded: 0, done: false });

    // Resumed once the server answers: the same attempt, recorded once, for the model's answer.
    const attempt = await run.next();
    expect(attempt).toMatchObject({ index: 0, runId: 'run-test' });
    expect(attempt!.rawOutput).toMatch(/^Echo: /);
    expect(saved).toHaveLength(1);
  });

  it('asks again after fewer failures in a row, and the run goes on', async () => {
    server.requests.length = 0;
    server.failNext(notLoaded, {
      status: 200,
      body: '{"id": "chatcmpl-1", "object": "chat.completion"}',
    });
    const saved: SynthesisAttempt[] = [];
    const run = new SynthesisRun(oneSlot, endpointDeps(saved), []);
    const attempt = await run.next();

    expect(server.requests).toHaveLength(3);
    expect(attempt).toMatchObject({ index: 0, runId: 'run-test' });
    expect(attempt!.rawOutput).toMatch(/^Echo: /);
    expect(saved).toHaveLength(1);
  });
});
