// The tagging run with the real fixture model (transformers.js on onnxruntime-node): every attempt
// is recorded once, a run rebuilt from its recorded attempts continues exactly as an uninterrupted
// run would, and the open tags merge into a controlled vocabulary. Faults the fixture does not
// make on its own (unreadable answers) come from a chat function that answers badly a given
// number of times before handing over to the model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sample } from '../../../../src/core/corpus/sample';
import type { ChatAnswer, ChatCall } from '../../../../src/core/synthesis/synthesisRun';
import { buildTaggingMessages, parseTags } from '../../../../src/core/tagging/tagging';
import { fmix32 } from '../../../../src/core/hash';
import { EngineFailedError } from '../../../../src/core/synthesis/engineFailures';
import { TRANSCRIPT_MIN_CHARS } from '../../../../src/core/synthesis/transcript';
import {
  fitTaggingPrompt,
  mergeRunTags,
  TaggingRun,
  type TaggingAttempt,
  type TaggingDeps,
  type TaggingRunSpec,
} from '../../../../src/core/tagging/taggingRun';
import { OpenAiEngine } from '../../../../src/llm/openAiEngine';
import type { TransformersEngine } from '../../../../src/llm/transformersEngine';
import { loadFixtureEngine, readDemoCorpus } from '../../fixtures';
import { startOpenAiTestServer, type OpenAiTestServer } from '../../llm/openAiTestServer';

// The demo corpus with its tags removed: an untagged corpus the fixture was trained to tag.
const corpus: Sample[] = readDemoCorpus().map((sample) => ({ ...sample, skills: [] }));
const byId = new Map(corpus.map((sample) => [sample.id, sample]));

const spec: TaggingRunSpec = {
  runId: 'tag-test',
  sampleIds: corpus.slice(0, 6).map((s) => s.id),
  model: { id: 'steps-fixture', engine: 'transformers' },
  generation: { temperature: 0, top_p: 1, max_tokens: 24 },
  maxPromptTokens: 448,
  seed: 3,
  maxAttemptsPerSample: 3,
};

let engine: TransformersEngine;
let calls = 0;

const UNREADABLE = 'Sure! Here are the skills: python';

/** The model, except for the calls `fault` answers (with an unreadable text, by default). */
function chatWith(fault: (call: ChatCall) => string | null): TaggingDeps['chat'] {
  return (call: ChatCall, signal?: AbortSignal): Promise<ChatAnswer> => {
    calls++;
    const text = fault(call);
    if (text === null) return engine.chat(call, { signal });
    return Promise.resolve({
      text,
      usage: {
        prompt_tokens: 0,
        completion_tokens: 9,
        time_to_first_token_ms: null,
        tokens_per_second: 0,
      },
      record: { engine: 'transformers', model: 'steps-fixture', seed: call.seed },
    });
  };
}

/** The first `count` calls are faults. */
function firstCallsFail(count: number, text = UNREADABLE): TaggingDeps['chat'] {
  let left = count;
  return chatWith(() => (left-- > 0 ? text : null));
}

/** The seed of attempt `index` of a run with this spec seed (as TaggingRun draws it). */
const attemptSeed = (seed: number, index: number) => fmix32(seed ^ fmix32(index + 1));

function deps(saved: TaggingAttempt[], chat = chatWith(() => null)): TaggingDeps {
  return {
    chat,
    countTokens: (text) => engine.countTokens(text),
    sample: async (id) => byId.get(id)!,
    saveAttempt: async (attempt) => {
      saved.push(structuredClone(attempt));
    },
    now: () => new Date('2026-11-27T00:00:00.000Z'),
  };
}

async function runToEnd(run: TaggingRun): Promise<void> {
  while (await run.next());
}

beforeAll(async () => {
  engine = await loadFixtureEngine();
});
afterAll(() => engine.dispose());

describe('tagging run on the fixture model', () => {
  let whole: TaggingAttempt[];
  const sampled: TaggingRunSpec = {
    ...spec,
    generation: { temperature: 1, top_p: 0.95, max_tokens: 24 },
    maxAttemptsPerSample: 2,
  };

  it('tags each sample once at temperature 0, recording the raw answer and parsed tags', async () => {
    const saved: TaggingAttempt[] = [];
    const run = new TaggingRun(spec, deps(saved), []);
    await runToEnd(run);
    const { tagged, failed, attempts, total, done } = run.progress;
    expect({ total, done, attempts }).toEqual({ total: 6, done: true, attempts: 6 });
    expect(tagged + failed).toBe(6);
    expect(tagged).toBeGreaterThan(0);
    expect(saved.map((a) => [a.index, a.sampleId])).toEqual(spec.sampleIds.map((id, i) => [i, id]));
    for (const attempt of saved) {
      expect(attempt.promptChars).toBeGreaterThanOrEqual(TRANSCRIPT_MIN_CHARS);
      if (attempt.status === 'tagged') {
        const parsed = parseTags(attempt.rawOutput);
        expect(parsed.ok && parsed.tags).toEqual(attempt.tags);
        expect(attempt.reason).toBeNull();
      } else {
        expect(attempt.tags).toBeNull();
        expect(attempt.reason).toMatch(/\w/);
      }
    }
    expect(await run.next()).toBeNull();
  });

  it('sampling with retries: resumed from its first attempts, makes exactly the attempts of the whole run', async () => {
    // Attempt 1 (the first try of sample 2) is unreadable, so attempt 2 retries sample 2.
    const faultyFirstTry = () =>
      chatWith((call) => (call.seed === attemptSeed(sampled.seed, 1) ? UNREADABLE : null));
    whole = [];
    await runToEnd(new TaggingRun(sampled, deps(whole, faultyFirstTry()), []));
    expect(whole.slice(0, 3).map((a) => [a.sampleId, a.rawOutput === UNREADABLE])).toEqual([
      [spec.sampleIds[0], false],
      [spec.sampleIds[1], true],
      [spec.sampleIds[1], false],
    ]);
    expect(whole.length).toBeGreaterThanOrEqual(7);
    // Each attempt has its own seed, a retry included.
    expect(new Set(whole.map((a) => a.seed)).size).toBe(whole.length);
    for (const cut of [1, 2, 3]) {
      const tail: TaggingAttempt[] = [];
      const resumed = new TaggingRun(sampled, deps(tail, faultyFirstTry()), whole.slice(0, cut));
      expect(resumed.progress.attempts).toBe(cut);
      await runToEnd(resumed);
      expect([...whole.slice(0, cut), ...tail]).toEqual(whole);
      expect(resumed.progress).toEqual(new TaggingRun(sampled, deps([]), whole).progress);
    }
  });

  it('retries an unreadable answer with a new seed, then gives the sample up', async () => {
    const saved: TaggingAttempt[] = [];
    const run = new TaggingRun(
      { ...sampled, sampleIds: spec.sampleIds.slice(0, 2), maxAttemptsPerSample: 3 },
      deps(saved, firstCallsFail(4)),
      [],
    );
    await runToEnd(run);
    // Sample 1: three unreadable answers; sample 2: one more, then the model.
    expect(saved.slice(0, 3).map((a) => [a.sampleId, a.status])).toEqual([
      [spec.sampleIds[0], 'failed'],
      [spec.sampleIds[0], 'failed'],
      [spec.sampleIds[0], 'failed'],
    ]);
    for (const attempt of saved.slice(0, 4)) {
      expect(attempt.rawOutput).toBe(UNREADABLE);
      expect(attempt.reason).toMatch(/\w/);
    }
    expect(saved[3].sampleId).toBe(spec.sampleIds[1]);
    expect(saved.length).toBeGreaterThanOrEqual(5);
    expect(run.progress.failed).toBeGreaterThanOrEqual(1);
    expect(run.progress.attempts).toBe(saved.length);
  });

  it('gives a greedy run one try per sample, and says when the answer hit max_tokens', async () => {
    const saved: TaggingAttempt[] = [];
    const run = new TaggingRun(
      {
        ...spec,
        sampleIds: spec.sampleIds.slice(0, 2),
        generation: { ...spec.generation, max_tokens: 2 },
      },
      deps(saved),
      [],
    );
    await runToEnd(run);
    expect(run.progress).toMatchObject({ attempts: 2, failed: 2, tagged: 0, done: true });
    for (const attempt of saved) {
      expect(attempt.reason).toMatch(/the answer stopped at max_tokens \(2\), raise it$/);
      expect(attempt.rawOutput).not.toBe('');
    }
  });

  it('fails a tag list whose every tag is only separators', async () => {
    const saved: TaggingAttempt[] = [];
    const run = new TaggingRun(
      { ...spec, sampleIds: spec.sampleIds.slice(0, 1) },
      deps(saved, firstCallsFail(1, '["---", " / "]')),
      [],
    );
    await runToEnd(run);
    expect(saved).toMatchObject([
      { status: 'failed', reason: 'every tag is only spaces and separators (- _ / . , : ;)' },
    ]);
  });

  it('fails a sample whose prompt cannot fit the budget without asking the model or retrying', async () => {
    const saved: TaggingAttempt[] = [];
    calls = 0;
    const run = new TaggingRun({ ...sampled, maxPromptTokens: 40 }, deps(saved), []);
    await runToEnd(run);
    expect(calls).toBe(0);
    expect(run.progress).toMatchObject({ attempts: 6, failed: 6, tagged: 0, done: true });
    for (const attempt of saved) {
      expect(attempt).toMatchObject({ status: 'failed', promptChars: null, rawOutput: '' });
      expect(attempt.reason).toMatch(/the budget is 40; raise the prompt budget$/);
    }
  });

  it('refuses recorded attempts that do not follow its plan', () => {
    expect(() => new TaggingRun({ ...sampled, seed: 4 }, deps([]), whole)).toThrow(
      /run tag-test, attempt 0 \(sample demo-0001\) does not follow this run's plan/,
    );
    const reordered = { ...sampled, sampleIds: [...sampled.sampleIds].reverse() };
    expect(() => new TaggingRun(reordered, deps([]), whole)).toThrow(/does not follow/);
    expect(() => new TaggingRun(sampled, deps([]), whole.slice(1))).toThrow(
      /attempt 0 is missing from the record \(found attempt 1\)/,
    );
  });

  it('refuses a spec with a repeated sample or no tries', () => {
    const twice = { ...spec, sampleIds: ['demo-0001', 'demo-0002', 'demo-0001'] };
    expect(() => new TaggingRun(twice, deps([]), [])).toThrow(/sampleIds\[2\]: "demo-0001"/);
    expect(() => new TaggingRun({ ...spec, maxAttemptsPerSample: 0 }, deps([]), [])).toThrow(
      /maxAttemptsPerSample/,
    );
  });
});

describe('engine failures, against a local OpenAI-compatible server', () => {
  let server: OpenAiTestServer;
  beforeAll(async () => {
    server = await startOpenAiTestServer();
  });
  afterAll(() => server.close());

  it("stops after 3 failures in a row with the server's message, recording none of them", async () => {
    const endpoint = new OpenAiEngine(
      { baseUrl: server.baseUrl, model: 'tiny' },
      { maxRetries: 0, baseDelayMs: 1 },
    );
    const saved: TaggingAttempt[] = [];
    const run = new TaggingRun(
      { ...spec, sampleIds: spec.sampleIds.slice(0, 2) },
      deps(saved, (call, signal) => endpoint.chat(call, { signal })),
      [],
    );
    // Two failures, then an answer: asked again, and the run goes on.
    server.failNext({ status: 200, body: '{"choices": []}' }, { status: 503 });
    const first = await run.next();
    expect(first).toMatchObject({ index: 0, sampleId: spec.sampleIds[0], status: 'failed' });
    expect(first!.rawOutput).toMatch(/^Echo: /);
    expect(server.requests).toHaveLength(3);

    const broken = { status: 200, body: JSON.stringify({ error: 'upstream model crashed' }) };
    server.failNext(broken, broken, broken);
    const failure = run.next();
    await expect(failure).rejects.toBeInstanceOf(EngineFailedError);
    await expect(failure).rejects.toThrow(
      /^The model failed 3 times in a row; the last time: .*instead of a completion: upstream model crashed/,
    );
    expect(saved).toHaveLength(1);
    expect(run.progress).toMatchObject({ attempts: 1, failed: 1, done: false });
  });
});

describe('fitTaggingPrompt', () => {
  const count = (text: string) => engine.countTokens(text);
  const tokens = (messages: { content: string }[]) =>
    messages.reduce((n, m) => n + count(m.content), 0);

  it('shows the whole sample when it fits, else the largest step of characters that fits', async () => {
    const sample = corpus.find((s) => s.messages.reduce((n, m) => n + m.content.length, 0) > 1500)!;
    const whole = await fitTaggingPrompt(sample.messages, {
      maxPromptTokens: 10_000,
      countTokens: count,
    });
    expect('messages' in whole && whole.messages).toEqual(buildTaggingMessages(sample.messages));

    const fitted = await fitTaggingPrompt(sample.messages, {
      maxPromptTokens: 300,
      countTokens: count,
    });
    if (!('messages' in fitted)) throw new Error(fitted.reason);
    expect(fitted.maxChars % 200).toBe(0);
    expect(tokens(fitted.messages)).toBeLessThanOrEqual(300);
    const larger = buildTaggingMessages(sample.messages, fitted.maxChars + 200);
    expect(tokens(larger)).toBeGreaterThan(300);
  });

  it('with a crude estimate and exact counts, still shows the largest step that really fits', async () => {
    const sample = corpus.find((s) => s.messages.reduce((n, m) => n + m.content.length, 0) > 1500)!;
    const exact = await fitTaggingPrompt(sample.messages, {
      maxPromptTokens: 300,
      countTokens: count,
    });
    const corrected = await fitTaggingPrompt(sample.messages, {
      maxPromptTokens: 300,
      countTokens: (text) => Math.ceil(text.length / 2),
      tokenCounts: (texts) => engine.tokenCounts(texts),
    });
    expect(corrected).toEqual(exact);
  });

  it('names what is wrong when nothing fits or nothing can be tagged', async () => {
    expect(
      await fitTaggingPrompt(corpus[0].messages, { maxPromptTokens: 10, countTokens: count }),
    ).toEqual({
      reason: expect.stringMatching(/^the prompt needs \d+ tokens even with 200 characters/),
    });
    expect(
      await fitTaggingPrompt([{ role: 'system', content: 'x' }], {
        maxPromptTokens: 448,
        countTokens: count,
      }),
    ).toEqual({ reason: 'the sample has no user or assistant turn to tag' });
  });
});

describe('mergeRunTags', () => {
  const attempt = (index: number, sampleId: string, tags: string[] | null): TaggingAttempt => ({
    runId: 'r',
    index,
    sampleId,
    seed: index,
    status: tags ? 'tagged' : 'failed',
    reason: tags ? null : 'expected a JSON array of tags',
    promptChars: 400,
    rawOutput: JSON.stringify(tags),
    tags,
    repairs: [],
    createdAt: '2026-11-27T00:00:00.000Z',
  });

  it('merges case, plurals and near-duplicates, and gives each sample its canonical skills', () => {
    const result = mergeRunTags([
      attempt(0, 'a', ['Python Programming', 'debugging']),
      attempt(1, 'b', ['python_programming', 'Debugging', 'debuging', 'SQL Queries']),
      attempt(2, 'c', null),
      attempt(3, 'c', ['sql query', 'python-programming', 'C++']),
    ]);
    expect(result.vocabulary).toEqual([
      {
        name: 'python_programming',
        samples: 3,
        merged: ['Python Programming', 'python-programming'],
      },
      { name: 'debugging', samples: 2, merged: ['Debugging', 'debuging'] },
      { name: 'sql_query', samples: 2, merged: ['SQL Queries', 'sql query'] },
      { name: 'c++', samples: 1, merged: ['C++'] },
    ]);
    expect(result.dropped).toEqual([]);
    expect(Object.fromEntries(result.skillsOf)).toEqual({
      a: ['python_programming', 'debugging'],
      b: ['python_programming', 'debugging', 'sql_query'],
      c: ['sql_query', 'python_programming', 'c++'],
    });
  });

  it('drops tags with nothing left after cleaning and ignores failed attempts', () => {
    const result = mergeRunTags([attempt(0, 'a', ['---', 'poetry']), attempt(1, 'b', null)]);
    expect(result.dropped).toEqual(['---']);
    expect(result.vocabulary).toEqual([{ name: 'poetry', samples: 1, merged: [] }]);
    expect([...result.skillsOf.keys()]).toEqual(['a']);
  });
});
