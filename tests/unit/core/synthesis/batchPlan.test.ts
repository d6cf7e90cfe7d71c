// Batch plans on the demo corpus with hand-written answers: the requests a run still needs, and
// results files read back into the run through its own checks — wrong, missing and duplicated
// ids, error lines, and a second batch for what the first left missing.
import { describe, expect, it } from 'vitest';
import { assignAtomicSamples } from '../../../../src/core/synthesis/atomicAssignment';
import {
  BATCH_ENGINE,
  exportBatchPlan,
  importBatchResults,
  type BatchRequestLine,
} from '../../../../src/core/synthesis/batchPlan';
import { validateGeneratedSample } from '../../../../src/core/synthesis/generatedSample';
import { defaultTemplates } from '../../../../src/core/synthesis/prompts';
import {
  SynthesisRun,
  type SynthesisAttempt,
  type SynthesisRunSpec,
} from '../../../../src/core/synthesis/synthesisRun';
import { readDemoCorpus } from '../../fixtures';

const corpus = readDemoCorpus();
const byId = new Map(corpus.map((sample) => [sample.id, sample]));
const assignment = assignAtomicSamples(corpus, { seed: 5 });
const node = { level: 1, community: 0 };

const spec: SynthesisRunSpec = {
  runId: 'run-batch',
  combinations: [
    { skills: ['sql_querying', 'budgeting'], score: 0.3, lowestCommonNode: node },
    { skills: ['poetry', 'unit_testing', 'estimation'], score: 0.5, lowestCommonNode: node },
    { skills: ['python_programming', 'travel_planning'], score: 0.2, lowestCommonNode: node },
  ],
  targetPerK: { 2: 3, 3: 2 },
  template: defaultTemplates.fusion,
  model: { id: 'gpt-4.1-mini', engine: BATCH_ENGINE },
  generation: { temperature: 0.7, top_p: 0.95, max_tokens: 256 },
  maxPromptTokens: 1500,
  seed: 5,
  maxAttemptsPerSlot: 3,
  quality: {
    dedup: true,
    nearDuplicateThreshold: 0.8,
    novelty: false,
    coverage: false,
    minCoverage: 1,
  },
  checkMaxTokens: 64,
};

/** A run over the demo corpus that stores into `saved` and has no engine (batches need none). */
function batchRun(saved: SynthesisAttempt[], runSpec = spec): SynthesisRun {
  return new SynthesisRun(
    runSpec,
    {
      chat: () => Promise.reject(new Error('a batch run asks no engine')),
      countTokens: (text) => Math.ceil(text.length / 3),
      assignment,
      sample: async (id) => byId.get(id)!,
      saveAttempt: async (attempt) => {
        saved.push(structuredClone(attempt));
      },
      now: () => new Date('2026-11-27T00:00:00.000Z'),
    },
    saved,
  );
}

const words = 'amber basil cedar delta ember fjord garnet harbor indigo juniper kelp lumen'.split(
  ' ',
);

/** A conversation unlike any other the tests write (distinct words, so no near duplicate). */
function conversation(n: number): string {
  const topic = Array.from(
    { length: 12 },
    (_, i) => `${words[(n + i * 5) % words.length]}${n}x${i}`,
  );
  return JSON.stringify([
    { role: 'user', content: `Plan ${topic.slice(0, 6).join(' ')} for me.` },
    { role: 'assistant', content: `Here it is: ${topic.slice(6).join(', ')}.` },
  ]);
}

/** A result line in OpenAI's batch output shape. */
function answered(customId: string, content: string, model = 'gpt-4.1-mini-2025'): string {
  return JSON.stringify({
    id: `batch_req_${customId}`,
    custom_id: customId,
    response: {
      status_code: 200,
      request_id: 'req',
      body: {
        model,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 400, completion_tokens: 60, total_tokens: 460 },
      },
    },
    error: null,
  });
}

function failedLine(customId: string): string {
  return JSON.stringify({
    id: `batch_req_${customId}`,
    custom_id: customId,
    response: null,
    error: { code: 'server_error', message: 'The model is overloaded.' },
  });
}

const requestsOf = (jsonl: string) =>
  jsonl
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as BatchRequestLine);

describe('exporting a batch plan', () => {
  it('lists one request per slot the run needs, each in the Batch API shape', async () => {
    const plan = await exportBatchPlan(batchRun([]), 'gpt-4.1-mini');
    const requests = requestsOf(plan.jsonl);
    expect(plan.requests).toBe(5);
    expect(plan.withoutRequest).toBe(0);
    expect(requests).toHaveLength(5);
    expect(new Set(requests.map((r) => r.custom_id)).size).toBe(5);
    requests.forEach((request, i) => {
      // The id starts with the attempt it becomes when every earlier answer is kept.
      expect(request.custom_id.startsWith(`run-batch:${i}:`)).toBe(true);
      expect(request.method).toBe('POST');
      expect(request.url).toBe('/v1/chat/completions');
      const { body } = request;
      expect(body.model).toBe('gpt-4.1-mini');
      expect([body.temperature, body.top_p, body.max_tokens]).toEqual([0.7, 0.95, 256]);
      expect(Number.isInteger(body.seed)).toBe(true);
      expect(body.messages.map((m) => m.role)).toEqual(['system', 'user']);
      expect(body.messages[1].content).toContain('### Skill: ');
      expect(body.response_format?.type).toBe('json_schema');
      expect(body.response_format?.json_schema.schema).toHaveProperty('anyOf');
    });
    // Per k: 3 requests for k = 2 and 2 for k = 3, as the targets ask.
    const ks = requests.map((r) => (r.body.messages[1].content.match(/### Skill:/g) ?? []).length);
    expect(ks.filter((k) => k === 2)).toHaveLength(3);
    expect(ks.filter((k) => k === 3)).toHaveLength(2);
  });

  it("carries the run's frequency penalty in every request, and none when the run has none", async () => {
    expect(requestsOf((await exportBatchPlan(batchRun([]), 'm')).jsonl)[0].body).not.toHaveProperty(
      'frequency_penalty',
    );
    const penalised = { ...spec, generation: { ...spec.generation, frequency_penalty: 0.5 } };
    const requests = requestsOf((await exportBatchPlan(batchRun([], penalised), 'm')).jsonl);
    expect(requests.map((r) => r.body.frequency_penalty)).toEqual(requests.map(() => 0.5));
  });

  it('is the same plan when exported again from the same state', async () => {
    const first = await exportBatchPlan(batchRun([]), 'gpt-4.1-mini');
    const again = await exportBatchPlan(batchRun([]), 'gpt-4.1-mini');
    expect(again.jsonl).toBe(first.jsonl);
  });

  it('refuses a run whose checks ask the model about each answer', async () => {
    const checked = { ...spec, quality: { ...spec.quality, coverage: true } };
    await expect(exportBatchPlan(batchRun([], checked), 'm')).rejects.toThrow(/coverage gate/);
  });
});

describe('importing batch results', () => {
  it('records every answer as an attempt with the batch provenance, and the run is done', async () => {
    const saved: SynthesisAttempt[] = [];
    const run = batchRun(saved);
    const requests = requestsOf((await exportBatchPlan(run, 'gpt-4.1-mini')).jsonl);
    const file = requests.map((r, i) => answered(r.custom_id, conversation(i))).join('\n');
    const report = await importBatchResults(run, 'results.jsonl', file, 'gpt-4.1-mini');

    expect(report.recorded).toHaveLength(5);
    expect(report.recorded.every((a) => a.status === 'valid')).toBe(true);
    expect([report.unknown, report.duplicated, report.failed, report.missing]).toEqual([
      [],
      [],
      [],
      [],
    ]);
    expect(saved.map((a) => a.index)).toEqual([0, 1, 2, 3, 4]);
    saved.forEach((attempt, i) => {
      expect(attempt.batch).toEqual({
        requestId: requests[i].custom_id,
        visit: expect.any(Number),
        seedHonoured: 'best-effort',
      });
      expect(attempt.seed).toBe(requests[i].body.seed);
      expect(validateGeneratedSample(attempt.sample)).toEqual([]);
      expect(attempt.sample!.model).toEqual({ id: 'gpt-4.1-mini-2025', engine: BATCH_ENGINE });
      expect(attempt.sample!.usage).toEqual({
        promptTokens: 400,
        completionTokens: 60,
        timeToFirstTokenMs: null,
        tokensPerSecond: null,
      });
    });
    expect(run.progress).toMatchObject({ validPerK: { 2: 3, 3: 2 }, done: true });
    // A run rebuilt from the stored attempts is in the same state.
    expect(batchRun([...saved]).progress).toEqual(run.progress);
    expect(await run.next()).toBeNull();
  });

  it('reports wrong, missing and duplicated ids and error lines, storing nothing for them', async () => {
    const saved: SynthesisAttempt[] = [];
    const run = batchRun(saved);
    const ids = requestsOf((await exportBatchPlan(run, 'gpt-4.1-mini')).jsonl).map(
      (r) => r.custom_id,
    );
    const file = [
      answered(ids[0], conversation(0)),
      answered('run-batch:0:000000000000', conversation(90)), // wrong id
      failedLine(ids[1]), // an error line
      answered(ids[2], conversation(2)),
      answered(ids[2], conversation(92)), // the same id twice
      '{"custom_id": "run-batch:4:', // cut off
      answered(ids[4], '[{"role": "user", "content": "only a question"}]'), // unparseable answer
      // ids[3] is missing
    ].join('\n');
    const report = await importBatchResults(run, 'results.jsonl', file, 'gpt-4.1-mini');

    expect(report.unknown).toEqual([{ line: 2, requestId: 'run-batch:0:000000000000' }]);
    expect(report.failed).toEqual([
      {
        line: 3,
        requestId: ids[1],
        problem: 'the batch reports an error: The model is overloaded.',
      },
    ]);
    expect(report.duplicated).toEqual([{ requestId: ids[2], lines: [4, 5] }]);
    expect(report.unreadable).toEqual([{ line: 6, problem: 'not JSON (the file may be cut off)' }]);
    expect(report.missing).toEqual([ids[3]]);
    // Stored: the first answer (kept) and the last one (discarded with the parser's reason).
    expect(saved.map((a) => a.batch?.requestId)).toEqual([ids[0], ids[4]]);
    expect(saved.map((a) => a.status)).toEqual(['valid', 'discarded']);
    expect(saved[1].reason).toMatchObject({ code: 'unparseable' });
    expect(saved[1].rawOutput).toContain('only a question');
    expect(saved.map((a) => a.index)).toEqual([0, 1]);
  });

  it('keeps the run checks: a repeated answer is discarded as a duplicate of the kept one', async () => {
    const saved: SynthesisAttempt[] = [];
    const run = batchRun(saved);
    const ids = requestsOf((await exportBatchPlan(run, 'm')).jsonl).map((r) => r.custom_id);
    const file = ids.map((id) => answered(id, conversation(7))).join('\n');
    const report = await importBatchResults(run, 'same.jsonl', file, 'm');
    expect(report.recorded.map((a) => a.status)).toEqual([
      'valid',
      'discarded',
      'discarded',
      'discarded',
      'discarded',
    ]);
    expect(report.recorded[1].reason).toEqual({ code: 'exact-duplicate', of: 'run-batch:0' });
  });

  it('plans a second batch for what is still missing, which completes the run', async () => {
    const saved: SynthesisAttempt[] = [];
    const run = batchRun(saved);
    const first = requestsOf((await exportBatchPlan(run, 'm')).jsonl);
    // Answers for the first three requests only, one of them unusable.
    const firstFile = [
      answered(first[0].custom_id, conversation(0)),
      answered(first[1].custom_id, 'no JSON here'),
      answered(first[2].custom_id, conversation(2)),
    ].join('\n');
    const firstReport = await importBatchResults(run, 'first.jsonl', firstFile, 'm');
    expect(firstReport.recorded.map((a) => a.status)).toEqual(['valid', 'discarded', 'valid']);
    expect(firstReport.missing).toEqual([first[3].custom_id, first[4].custom_id]);
    const validAfterFirst = 2;

    const second = requestsOf((await exportBatchPlan(run, 'm')).jsonl);
    expect(second).toHaveLength(5 - validAfterFirst);
    // New attempts are numbered after the stored ones; no answered request comes back, while a
    // missing one that lands on the same attempt, combination and examples keeps its id.
    expect(second[0].custom_id.startsWith('run-batch:3:')).toBe(true);
    const answeredIds = new Set(first.slice(0, 3).map((r) => r.custom_id));
    expect(second.some((r) => answeredIds.has(r.custom_id))).toBe(false);

    // The first file again is now foreign to the plan: nothing is stored.
    const stale = await importBatchResults(run, 'first.jsonl', firstFile, 'm');
    expect(stale.unknown.map((u) => u.line)).toEqual([1, 2, 3]);
    expect(stale.recorded).toEqual([]);
    expect(saved).toHaveLength(3);

    const secondFile = second.map((r, i) => answered(r.custom_id, conversation(10 + i)));
    const secondReport = await importBatchResults(run, 'second.jsonl', secondFile.join('\n'), 'm');
    expect(secondReport.recorded.every((a) => a.status === 'valid')).toBe(true);
    expect(run.progress).toMatchObject({ validPerK: { 2: 3, 3: 2 }, done: true });
    expect(saved.map((a) => a.index)).toEqual(saved.map((_, i) => i));
    // Replayed from storage, the mixed record (kept, discarded, skipped visits) restores the run.
    expect(batchRun([...saved]).progress).toEqual(run.progress);
  });

  it('goes on with the engine after a batch: a local attempt follows the batch ones', async () => {
    const saved: SynthesisAttempt[] = [];
    const run = batchRun(saved);
    const [request] = requestsOf((await exportBatchPlan(run, 'm')).jsonl);
    await importBatchResults(run, 'one.jsonl', answered(request.custom_id, conversation(1)), 'm');
    const local = new SynthesisRun(
      spec,
      {
        chat: async (call) => ({
          text: conversation(50),
          usage: {
            prompt_tokens: 1,
            completion_tokens: 1,
            time_to_first_token_ms: null,
            tokens_per_second: 1,
          },
          record: { engine: 'scripted', model: 'scripted', seed: call.seed },
        }),
        countTokens: (text) => Math.ceil(text.length / 3),
        assignment,
        sample: async (id) => byId.get(id)!,
        saveAttempt: async (attempt) => {
          saved.push(structuredClone(attempt));
        },
      },
      [...saved],
    );
    const next = await local.next();
    expect(next).toMatchObject({ index: 1, status: 'valid' });
    expect(next!.batch).toBeUndefined();
  });
});
