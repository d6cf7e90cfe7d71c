// Batch plans: the attempts a synthesis run still needs, as an OpenAI Batch / vLLM JSONL of chat
// requests, and the results file of such a batch read back into the run. Planning and recording
// are the run's own (`SynthesisRun.planBatch`, `recordPlanned`): a batch answer is parsed, checked
// and stored exactly as an engine's answer is.
import { runFingerprint } from './generatedSample';
import type { ChatAnswer, PlannedAttempt, SynthesisAttempt, SynthesisRun } from './synthesisRun';

/** The engine recorded on attempts whose answers came from a batch. */
export const BATCH_ENGINE = 'batch';

/** One line of a batch plan, as OpenAI's Batch API and vLLM's `run_batch` read it. */
export interface BatchRequestLine {
  custom_id: string;
  method: 'POST';
  url: '/v1/chat/completions';
  body: {
    model: string;
    messages: { role: string; content: string }[];
    temperature: number;
    top_p: number;
    max_tokens: number;
    seed: number;
    /** Absent when the run has none. */
    frequency_penalty?: number;
    /** Absent in an unconstrained run. */
    response_format?: {
      type: 'json_schema';
      json_schema: { name: string; schema: Record<string, unknown>; strict: boolean };
    };
  };
}

/**
 * The request's id: the attempt it becomes (`<run>:<index>` as sample ids are made) and a
 * fingerprint of its whole body, so an answer from an older plan never lands on another prompt.
 */
function requestId(runId: string, planned: PlannedAttempt, body: BatchRequestLine['body']) {
  return `${runId}:${planned.index}:${runFingerprint(body).slice(0, 12)}`;
}

/** The request line of each planned attempt that needs a model (the others need no answer). */
function requestLines(runId: string, plan: readonly PlannedAttempt[], model: string) {
  const lines = new Map<PlannedAttempt, BatchRequestLine>();
  for (const planned of plan) {
    if (!planned.prompt.ok) continue;
    const { call } = planned.prompt;
    const body: BatchRequestLine['body'] = {
      model,
      messages: call.messages.map(({ role, content }) => ({ role, content })),
      temperature: call.temperature,
      top_p: call.top_p,
      max_tokens: call.max_tokens,
      seed: call.seed,
      ...(call.frequency_penalty && { frequency_penalty: call.frequency_penalty }),
      // As the app's OpenAI-compatible engine asks for it (src/llm/openAiEngine.ts).
      ...(call.response_format.type === 'json_object' && {
        response_format: {
          type: 'json_schema' as const,
          json_schema: { name: 'answer', schema: call.response_format.schema, strict: true },
        },
      }),
    };
    lines.set(planned, {
      custom_id: requestId(runId, planned, body),
      method: 'POST',
      url: '/v1/chat/completions',
      body,
    });
  }
  return lines;
}

export interface BatchPlan {
  /** The JSONL text: one request per line. */
  jsonl: string;
  requests: number;
  /** Planned attempts discarded without a model (no corpus sample, prompt over budget). */
  withoutRequest: number;
}

/** The batch plan of `run` as it stands; `model` is the name the batch server knows. */
export async function exportBatchPlan(run: SynthesisRun, model: string): Promise<BatchPlan> {
  const plan = await run.planBatch();
  const lines = requestLines(run.spec.runId, plan, model);
  return {
    jsonl: [...lines.values()].map((line) => `${JSON.stringify(line)}\n`).join(''),
    requests: lines.size,
    withoutRequest: plan.length - lines.size,
  };
}

/** What importing a results file did, line by line where a line was the cause. */
export interface BatchImportReport {
  fileName: string;
  /** Attempts stored, in the order they were recorded. */
  recorded: SynthesisAttempt[];
  /** Planned attempts without a request that were recorded as discarded along with the answers. */
  recordedWithoutAnswer: number;
  /** Lines that are not a result (not JSON, no custom_id). */
  unreadable: { line: number; problem: string }[];
  /** custom_ids that are no request of this run's plan as it stands. */
  unknown: { line: number; requestId: string }[];
  /** custom_ids given on more than one line: none of their answers is used. */
  duplicated: { requestId: string; lines: number[] }[];
  /** Results that carry an error instead of an answer (the request is planned again). */
  failed: { line: number; requestId: string; problem: string }[];
  /** Requests of the plan without a result line. */
  missing: string[];
  /** Answers the run no longer needed once earlier ones were recorded (their k was given up). */
  notNeeded: string[];
}

interface ResultLine {
  line: number;
  answer:
    | { ok: true; text: string; model: string | null; usage: ChatAnswer['usage'] }
    | {
        ok: false;
        problem: string;
      };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads one result line's answer, in OpenAI's batch output shape. */
function readResult(value: Record<string, unknown>): ResultLine['answer'] {
  const { error, response } = value;
  if (isObject(error)) {
    const message = typeof error.message === 'string' ? error.message : JSON.stringify(error);
    return { ok: false, problem: `the batch reports an error: ${message}` };
  }
  if (!isObject(response)) return { ok: false, problem: 'the result has no "response"' };
  const status = response.status_code;
  const body = response.body;
  if (status !== 200) {
    const detail = isObject(body) && isObject(body.error) ? `: ${String(body.error.message)}` : '';
    return { ok: false, problem: `the request failed with HTTP ${String(status)}${detail}` };
  }
  if (!isObject(body) || !Array.isArray(body.choices) || !isObject(body.choices[0])) {
    return { ok: false, problem: 'the response body has no choices' };
  }
  const message = body.choices[0].message;
  if (!isObject(message) || typeof message.content !== 'string') {
    return { ok: false, problem: 'the first choice has no message text' };
  }
  const usage = isObject(body.usage) ? body.usage : {};
  const count = (n: unknown) => (typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : 0);
  return {
    ok: true,
    text: message.content,
    model: typeof body.model === 'string' && body.model !== '' ? body.model : null,
    usage: {
      prompt_tokens: count(usage.prompt_tokens),
      completion_tokens: count(usage.completion_tokens),
      time_to_first_token_ms: null,
      tokens_per_second: null,
    },
  };
}

/**
 * Reads a results file and records its answers in `run`, in the order of the run's plan as it
 * stands (the plan the file's requests were exported from, if the run has not moved since). Every
 * answer goes through `SynthesisRun.recordPlanned`; wrong, missing, failed and duplicated ids are
 * reported and nothing is stored for them. `model` is recorded when a result does not name one.
 */
export async function importBatchResults(
  run: SynthesisRun,
  fileName: string,
  text: string,
  model: string,
): Promise<BatchImportReport> {
  const plan = await run.planBatch();
  const lines = requestLines(run.spec.runId, plan, model);
  const planned = new Map([...lines].map(([attempt, line]) => [line.custom_id, attempt]));
  const report: BatchImportReport = {
    fileName,
    recorded: [],
    recordedWithoutAnswer: 0,
    unreadable: [],
    unknown: [],
    duplicated: [],
    failed: [],
    missing: [],
    notNeeded: [],
  };
  const results = new Map<string, ResultLine[]>();
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      report.unreadable.push({ line, problem: 'not JSON (the file may be cut off)' });
      return;
    }
    if (!isObject(value) || typeof value.custom_id !== 'string') {
      report.unreadable.push({ line, problem: 'no "custom_id"' });
      return;
    }
    const id = value.custom_id;
    if (!planned.has(id)) {
      report.unknown.push({ line, requestId: id });
      return;
    }
    results.set(id, [...(results.get(id) ?? []), { line, answer: readResult(value) }]);
  });

  const usable = new Map<string, ResultLine & { answer: { ok: true } }>();
  for (const [id, found] of results) {
    if (found.length > 1) {
      report.duplicated.push({ requestId: id, lines: found.map((r) => r.line) });
      continue;
    }
    const [result] = found;
    if (result.answer.ok) usable.set(id, result as ResultLine & { answer: { ok: true } });
    else report.failed.push({ line: result.line, requestId: id, problem: result.answer.problem });
  }
  for (const id of planned.keys()) if (!results.has(id)) report.missing.push(id);
  // A file that answers nothing of this plan changes nothing, not even the discards planned
  // without a request.
  if (usable.size === 0) return report;

  for (const attempt of plan) {
    const line = lines.get(attempt);
    if (!line) {
      if (await run.recordPlanned(attempt, null)) report.recordedWithoutAnswer++;
      continue;
    }
    const result = usable.get(line.custom_id);
    if (!result) continue;
    const { text: answerText, usage, model: answered } = result.answer;
    const recorded = await run.recordPlanned(attempt, {
      requestId: line.custom_id,
      answer: {
        text: answerText,
        usage,
        record: { engine: BATCH_ENGINE, model: answered ?? model, seed: attempt.seed },
      },
    });
    if (recorded) report.recorded.push(recorded);
    else report.notNeeded.push(line.custom_id);
  }
  return report;
}
