// The OpenAI-compatible adapter, for users who outgrow one laptop: vLLM, llama.cpp's server,
// Ollama, LM Studio or a hosted API. Requests go out at most `concurrency` at a time; a 429 or
// 5xx answer, an unreachable server or an answer cut off mid-way is retried with exponential
// backoff and jitter, waiting at least what `Retry-After` asks. Streamed answers are server-sent
// events, read by eventsource-parser; after a cut, the pieces already passed on are not passed on
// again, and a retry whose text differs from them fails (the pieces must join to the answer).
// An answer that reports an error or is not a chat completion fails with the server's words.
import { EventSourceParserStream, ParseError } from 'eventsource-parser/stream';
import {
  GenerationClock,
  resolveParameters,
  type ChatEngine,
  type ChatOptions,
  type ChatRequest,
  type ChatResult,
  type EngineCapabilities,
  type FinishReason,
  type ResolvedParameters,
} from './engine';
import { errorMessage } from '../core/errorMessage';
import {
  EndpointAnswerShapeError,
  EndpointError,
  EndpointReportedError,
  EndpointStreamCutError,
  isNetworkFailure,
  LlmError,
} from './errors';
import { QueueAbortError, RequestQueue } from './requestQueue';

export interface OpenAiEndpoint {
  /** Up to and including the API version, e.g. `http://localhost:8000/v1`. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Requests in flight at once. Default 4. */
  concurrency?: number;
}

export interface RetryPolicy {
  /** Retries after the first attempt. Default 5. */
  maxRetries: number;
  /** First backoff; it doubles per retry. Default 500 ms. */
  baseDelayMs: number;
  /** Longest wait, for backoff and for `Retry-After` alike. Default 60 s. */
  maxDelayMs: number;
}

const defaultRetryPolicy: RetryPolicy = { maxRetries: 5, baseDelayMs: 500, maxDelayMs: 60_000 };

interface CompletionUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
}

interface CompletionChoice {
  finish_reason?: string | null;
  delta?: { content?: string | null };
}

interface CompletionBody {
  choices?: CompletionChoice[];
  usage?: CompletionUsage | null;
  error?: { message?: string } | string;
}

/** Marks an attempt that failed in a way worth another try. */
class RetryableFailure extends Error {
  readonly retryAfterMs: number | null;
  /** The answer was cut off mid-way (rather than refused or unreachable). */
  readonly cut: boolean;

  constructor(message: string, retryAfterMs: number | null, cut = false) {
    super(message);
    this.retryAfterMs = retryAfterMs;
    this.cut = cut;
  }
}

/** The streamed text already passed to `onToken`, across the attempts of one request. */
interface Shown {
  text: string;
}

class Aborted extends Error {}

/**
 * Endpoints (by URL) that refused a JSON schema in `response_format` (HTTP 400 naming it): they
 * get no `response_format` from then on, for as long as the page is open.
 */
const refusingJsonSchema = new Set<string>();

/** A refusal of the request's `response_format` (OpenAI's strict subset, or none at all). */
function refusesResponseFormat(error: unknown): boolean {
  return (
    error instanceof EndpointError &&
    error.status === 400 &&
    /response_format|json_schema/i.test(error.message)
  );
}

export class OpenAiEngine implements ChatEngine {
  readonly kind = 'openai';
  readonly capabilities: EngineCapabilities = { jsonSchema: true, seed: 'best-effort' };
  readonly model: string;
  readonly #url: string;
  readonly #apiKey: string | undefined;
  readonly #queue: RequestQueue;
  readonly #retry: RetryPolicy;

  constructor(endpoint: OpenAiEndpoint, retry: Partial<RetryPolicy> = {}) {
    this.model = endpoint.model;
    this.#url = `${endpoint.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    this.#apiKey = endpoint.apiKey || undefined;
    this.#queue = new RequestQueue(endpoint.concurrency ?? 4);
    this.#retry = { ...defaultRetryPolicy, ...retry };
  }

  async chat(request: ChatRequest, options: ChatOptions = {}): Promise<ChatResult> {
    const parameters = resolveParameters(request);
    try {
      return await this.#queue.run(async () => {
        try {
          return await this.#withRetries(request, parameters, options);
        } catch (error) {
          // Retried once without the schema; the lenient parser reads the free answer.
          if (!this.#sendsSchema(parameters) || !refusesResponseFormat(error)) throw error;
          refusingJsonSchema.add(this.#url);
          return await this.#withRetries(request, parameters, options);
        }
      }, options.signal);
    } catch (error) {
      if (error instanceof QueueAbortError || error instanceof Aborted) {
        return this.#result('', 'abort', new GenerationClock().usage(0, 0), parameters);
      }
      throw error;
    }
  }

  async #withRetries(
    request: ChatRequest,
    parameters: ResolvedParameters,
    options: ChatOptions,
  ): Promise<ChatResult> {
    const shown: Shown = { text: '' };
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#attempt(request, parameters, options, shown);
      } catch (error) {
        if (!(error instanceof RetryableFailure)) throw error;
        if (attempt >= this.#retry.maxRetries) {
          const gaveUp = `Gave up after ${attempt + 1} attempts;`;
          throw error.cut
            ? new EndpointStreamCutError(
                `${error.message} ${gaveUp} check the server's log and the network, then try again.`,
                { cause: error },
              )
            : new EndpointError(
                `${error.message} ${gaveUp} try again later or lower the number of parallel requests.`,
                null,
                { cause: error },
              );
        }
        await sleep(this.#delay(attempt, error.retryAfterMs), options.signal);
      }
    }
  }

  /** Exponential backoff with "equal jitter"; never shorter than what the server asked for. */
  #delay(attempt: number, retryAfterMs: number | null): number {
    const { baseDelayMs, maxDelayMs } = this.#retry;
    const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
    const jittered = backoff / 2 + (Math.random() * backoff) / 2;
    return retryAfterMs === null
      ? jittered
      : Math.min(maxDelayMs, Math.max(retryAfterMs, jittered));
  }

  async #attempt(
    request: ChatRequest,
    parameters: ResolvedParameters,
    { signal, onToken }: ChatOptions,
    shown: Shown,
  ): Promise<ChatResult> {
    const stream = onToken !== undefined;
    const clock = new GenerationClock();
    let response: Response;
    try {
      response = await fetch(this.#url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(this.#apiKey ? { Authorization: `Bearer ${this.#apiKey}` } : {}),
        },
        body: JSON.stringify(this.#body(request, parameters, stream)),
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw new Aborted();
      if (isNetworkFailure(error)) {
        throw new RetryableFailure(
          `Could not reach ${this.#url} (${(error as Error).message}). Is the server running, and ` +
            "does it allow requests from this page's origin (CORS)?",
          null,
        );
      }
      throw error;
    }
    if (!response.ok) await this.#failed(response);
    // What was passed on before a cut; this attempt's text must repeat it before adding to it.
    const replay = shown.text;
    const pass = (text: string, start: number) => {
      const overlap = Math.min(text.length, replay.length);
      if (start < overlap && text.slice(start, overlap) !== replay.slice(start, overlap)) {
        throw this.#diverged();
      }
      if (text.length > replay.length) {
        onToken!(text.slice(Math.max(start, replay.length)));
        shown.text = text;
      }
    };
    // A server may answer a streamed request with one JSON body (an error, say).
    const whole = !stream || /json/i.test(response.headers.get('content-type') ?? '');
    if (whole) {
      const answer = completionOf(await this.#readBody(response, signal), this.#url);
      if (answer.text) clock.tokenArrived();
      if (stream) {
        pass(answer.text, 0);
        if (answer.text.length < replay.length) throw this.#diverged();
      }
      return this.#result(
        answer.text,
        answer.finish,
        clock.usage(answer.usage?.prompt_tokens ?? 0, answer.usage?.completion_tokens ?? 0),
        parameters,
      );
    }
    let text = '';
    let pieces = 0;
    let finish: FinishReason | null = null;
    let complete = false;
    let usage: CompletionUsage = {};
    const reader = response
      .body!.pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventSourceParserStream({ maxBufferSize: MAX_EVENT_CHARS }))
      .getReader();
    try {
      for (;;) {
        const { done, value: event } = await reader.read();
        if (done) break;
        if (event.event === 'error') throw serverFailed(eventErrorText(event.data));
        if (event.data === '[DONE]') {
          complete = true;
          break;
        }
        const chunk = parseChunk(event.data);
        if (chunk.error) throw serverFailed(errorText(chunk));
        const choice = chunk.choices?.[0];
        const piece = choice?.delta?.content ?? '';
        if (piece) {
          clock.tokenArrived();
          pieces++;
          const start = text.length;
          text += piece;
          pass(text, start);
        }
        if (choice?.finish_reason) finish = finishReason(choice.finish_reason);
        if (chunk.usage) usage = chunk.usage;
      }
    } catch (error) {
      if (error instanceof ParseError) {
        throw new EndpointError(
          `The server sent an event longer than ${MAX_EVENT_CHARS} characters: ${error.message}`,
          null,
          { cause: error },
        );
      }
      if (error instanceof LlmError) throw error;
      if (!signal?.aborted) throw this.#cut(errorMessage(error));
      finish = 'abort';
    } finally {
      // Ends the response when reading stops early (a [DONE] event, an error, an abort).
      await reader.cancel().catch(() => {});
    }
    // Without [DONE] or a finish reason the connection closed before the answer was complete.
    if (!complete && finish === null) throw this.#cut('the stream ended early');
    if (finish !== 'abort' && text.length < replay.length) throw this.#diverged();
    return this.#result(
      text,
      finish ?? 'length',
      // Servers that ignore `stream_options` send no usage; each content chunk is about a token.
      clock.usage(usage.prompt_tokens ?? 0, usage.completion_tokens ?? pieces),
      parameters,
    );
  }

  /** Whether requests carry `response_format` (not to an endpoint that refused a schema). */
  #sendsFormat(parameters: ResolvedParameters): boolean {
    return parameters.response_format.type === 'json_object' && !refusingJsonSchema.has(this.#url);
  }

  #sendsSchema(parameters: ResolvedParameters): boolean {
    const format = parameters.response_format;
    return this.#sendsFormat(parameters) && format.type === 'json_object' && !!format.schema;
  }

  #body(request: ChatRequest, parameters: ResolvedParameters, stream: boolean) {
    const format = parameters.response_format;
    return {
      model: this.model,
      messages: request.messages,
      temperature: parameters.temperature,
      top_p: parameters.top_p,
      max_tokens: parameters.max_tokens,
      seed: parameters.seed,
      ...(parameters.stop.length > 0 ? { stop: parameters.stop } : {}),
      ...(parameters.frequency_penalty && { frequency_penalty: parameters.frequency_penalty }),
      ...(format.type === 'json_object' && this.#sendsFormat(parameters)
        ? {
            response_format: format.schema
              ? {
                  type: 'json_schema',
                  json_schema: { name: 'answer', schema: format.schema, strict: true },
                }
              : { type: 'json_object' },
          }
        : {}),
      // Qwen3's template writes its thinking unless told not to (vLLM, llama.cpp and SGLang pass
      // this on); other servers and models never see the field.
      ...(/qwen3/i.test(this.model) ? { chat_template_kwargs: { enable_thinking: false } } : {}),
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    };
  }

  /** The answer's text; a connection that breaks while it is read is worth another try. */
  async #readBody(response: Response, signal: AbortSignal | undefined): Promise<string> {
    try {
      return await response.text();
    } catch (error) {
      if (signal?.aborted) throw new Aborted();
      throw this.#cut(errorMessage(error));
    }
  }

  #cut(detail: string): RetryableFailure {
    return new RetryableFailure(
      `The connection to ${this.#url} broke off before the answer was complete (${detail}).`,
      null,
      true,
    );
  }

  #diverged(): EndpointStreamCutError {
    return new EndpointStreamCutError(
      `The connection to ${this.#url} broke off mid-answer, and the answer sent again differs ` +
        'from the part already shown, so the two cannot be joined. Try again; at temperature 0 ' +
        'most servers repeat their answer.',
    );
  }

  async #failed(response: Response): Promise<never> {
    const detail = await response.text().catch(() => '');
    let message = detail.slice(0, 300);
    try {
      message = errorText(JSON.parse(detail) as CompletionBody) || message;
    } catch {
      // Not JSON: the text itself is the detail.
    }
    const { status } = response;
    if (status === 429 || status >= 500) {
      throw new RetryableFailure(
        `The server at ${this.#url} answered HTTP ${status}${message ? `: ${message}` : ''}.`,
        retryAfterMs(response.headers),
      );
    }
    if (status === 401 || status === 403) {
      throw new EndpointError(
        `The server refused the request (HTTP ${status}): check the API key. ${message}`,
        status,
      );
    }
    if (status === 404) {
      throw new EndpointError(
        `The server has no ${this.#url} or no model "${this.model}" (HTTP 404). The base URL ` +
          `usually ends in /v1. ${message}`,
        status,
      );
    }
    throw new EndpointError(`The server rejected the request (HTTP ${status}): ${message}`, status);
  }

  #result(
    text: string,
    finish_reason: FinishReason,
    usage: ChatResult['usage'],
    parameters: ResolvedParameters,
  ): ChatResult {
    return {
      text,
      finish_reason,
      usage,
      record: {
        engine: this.kind,
        model: this.model,
        seed: parameters.seed,
        seedHonoured: 'best-effort',
        // Asked of the server; vLLM, llama.cpp and OpenAI enforce it, others may not.
        responseFormatEnforced: this.#sendsFormat(parameters),
        parameters,
      },
    };
  }
}

/** Longest server-sent event accepted; a streamed chunk holds a few tokens. */
const MAX_EVENT_CHARS = 1 << 22;

/** The server reported a failure in the middle of a streamed answer. */
function serverFailed(message: string): EndpointError {
  return new EndpointError(`The server failed mid-answer: ${message}`);
}

/** The message of an `event: error`: `{"error": …}`, `{"message": …}` or plain text. */
function eventErrorText(data: string): string {
  let body: unknown;
  try {
    body = JSON.parse(data);
  } catch {
    // Not JSON: the text itself is the message.
  }
  if (typeof body === 'object' && body !== null) {
    const { error, message } = body as CompletionBody & { message?: unknown };
    const text = error !== undefined ? errorText({ error }) : message;
    if (typeof text === 'string' && text !== '') return text;
  }
  return data.slice(0, 300) || 'no message';
}

function parseChunk(data: string): CompletionBody {
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch {
    // Reported below.
  }
  if (typeof chunk !== 'object' || chunk === null) {
    throw new EndpointError(
      `The server sent a streamed chunk that is not a JSON object: ${data.slice(0, 200)}`,
    );
  }
  return chunk as CompletionBody;
}

interface Completion {
  text: string;
  finish: FinishReason;
  usage: CompletionUsage | null | undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The text of a whole (not streamed) answer. An answer holding `error` fails with the server's
 * message, one without `choices` or a message in the first choice is not a chat completion; a
 * message whose content is null is an empty answer of the model.
 */
function completionOf(answer: string, url: string): Completion {
  let body: unknown;
  try {
    body = JSON.parse(answer);
  } catch (error) {
    throw new EndpointError(`The server's answer is not JSON: ${errorMessage(error)}`, null);
  }
  const shape = (problem: string) => EndpointAnswerShapeError.from(url, problem, answer);
  if (!isObject(body)) throw shape('not a JSON object');
  if (body.error !== undefined && body.error !== null) {
    const message = errorText(body as CompletionBody) || JSON.stringify(body.error).slice(0, 300);
    throw EndpointReportedError.from(url, message);
  }
  const { choices } = body;
  if (!Array.isArray(choices)) throw shape('no "choices"');
  const choice: unknown = choices[0];
  if (!isObject(choice)) throw shape('"choices" is empty');
  if (!isObject(choice.message)) throw shape('the first choice has no "message"');
  const content = choice.message.content ?? '';
  if (typeof content !== 'string') throw shape('the message\'s "content" is not text');
  return {
    text: content,
    finish: finishReason(choice.finish_reason as string | null | undefined),
    usage: body.usage as CompletionUsage | null | undefined,
  };
}

function finishReason(reason: string | null | undefined): FinishReason {
  return reason === 'length' ? 'length' : 'stop';
}

function errorText(body: CompletionBody): string {
  const error = body.error;
  return typeof error === 'string' ? error : (error?.message ?? '');
}

/** `Retry-After` (seconds or an HTTP date) or OpenAI's `retry-after-ms`, in milliseconds. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | null {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.has('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null) return null;
  const seconds = Number(value);
  if (value.trim() !== '' && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Aborted());
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Aborted());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
