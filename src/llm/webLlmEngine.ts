// The WebLLM adapter: a thin client of WebLLM's own worker engine (`CreateWebWorkerMLCEngine`
// with `WebWorkerMLCEngineHandler` in workers/webLlm.worker.ts). WebLLM brings JSON-schema
// constrained decoding (`response_format: {type: 'json_object', schema}`) and seeded sampling.
//
// Before anything is fetched, a model that is not in the cache while the browser is offline
// fails at once with "not cached and offline"; a network that is gone without the browser
// noticing makes WebLLM's fetch fail, which is reported the same way.
import {
  hasModelInCache,
  WebWorkerMLCEngine,
  type ChatCompletionChunk,
  type InitProgressReport,
} from '@mlc-ai/web-llm';
import {
  GenerationClock,
  resolveParameters,
  type ChatOptions,
  type ChatRequest,
  type ChatResult,
  type FinishReason,
} from './engine';
import { classifyLoadFailure, ModelNotCachedOfflineError, ModelTooLargeError } from './errors';
import type { LocalBackend } from './localEngine';
import type { DownloadProgress } from './transformersEngine';
import { webLlmProgress, type WebLlmModel } from './webLlmModels';

/** WebLLM's worker client rejects with `err.toString()`; this gives the error its name back. */
function fromWorkerRejection(reason: unknown): Error {
  if (reason instanceof Error) return reason;
  const text = String(reason);
  const match = /^(\w*Error): ([\s\S]*)$/.exec(text);
  if (!match) return new Error(text);
  const error = match[1] === 'TypeError' ? new TypeError(match[2]) : new Error(match[2]);
  error.name = match[1];
  return error;
}

export class WebLlmBackend implements LocalBackend {
  readonly #model: WebLlmModel;
  readonly #maxBufferBytes: number | null;
  #worker: Worker | null = null;
  #engine: WebWorkerMLCEngine | null = null;
  /** Rejects every pending call when the worker is terminated (WebLLM's client would wait on). */
  #stopped: ((reason: Error) => void) | null = null;
  #stoppedPromise: Promise<never> = new Promise<never>(() => {});

  /** `maxBufferBytes`: the adapter's maxStorageBufferBindingSize, when known. */
  constructor(model: WebLlmModel, maxBufferBytes: number | null) {
    this.#model = model;
    this.#maxBufferBytes = maxBufferBytes;
  }

  async load(onProgress?: (progress: DownloadProgress) => void): Promise<void> {
    const { modelId, bufferBytes } = this.#model;
    if (
      bufferBytes !== null &&
      this.#maxBufferBytes !== null &&
      bufferBytes > this.#maxBufferBytes
    ) {
      throw new ModelTooLargeError(
        `${modelId} needs GPU buffers of ${Math.round(bufferBytes / 2 ** 20)} MiB, more than this ` +
          `graphics card allows (${Math.round(this.#maxBufferBytes / 2 ** 20)} MiB). Choose a ` +
          'smaller model or one with a short context ("-1k").',
      );
    }
    if (!navigator.onLine && !(await hasModelInCache(modelId))) {
      throw ModelNotCachedOfflineError.forModel(modelId);
    }
    const engine = this.#start();
    let receivedBytes = false;
    engine.setInitProgressCallback((report: InitProgressReport) => {
      const progress = webLlmProgress(report);
      if (!progress) return;
      receivedBytes ||= progress.loadedBytes > 0;
      onProgress?.(progress);
    });
    try {
      await this.#guard(engine.reload(modelId));
    } catch (error) {
      throw classifyLoadFailure(fromWorkerRejection(error), { model: modelId, receivedBytes });
    }
  }

  async chat(request: ChatRequest, { signal, onToken }: ChatOptions): Promise<ChatResult> {
    const engine = this.#engine;
    if (!engine) throw new Error('The WebLLM model is not loaded.');
    const parameters = resolveParameters(request);
    const format = parameters.response_format;
    const clock = new GenerationClock();
    const interrupt = () => engine.interruptGenerate();
    signal?.addEventListener('abort', interrupt, { once: true });
    let text = '';
    let finish: FinishReason = 'length';
    let usage = { prompt_tokens: 0, completion_tokens: 0 };
    let chunks = 0;
    try {
      const stream = await this.#guard(
        engine.chat.completions.create({
          messages: request.messages,
          temperature: parameters.temperature,
          top_p: parameters.top_p,
          max_tokens: parameters.max_tokens,
          seed: parameters.seed,
          stop: parameters.stop.length > 0 ? parameters.stop : undefined,
          response_format:
            format.type === 'json_object'
              ? {
                  type: 'json_object',
                  schema: format.schema ? JSON.stringify(format.schema) : undefined,
                }
              : undefined,
          stream: true,
          stream_options: { include_usage: true },
        }),
      );
      const iterator = stream[Symbol.asyncIterator]();
      for (;;) {
        const next: IteratorResult<ChatCompletionChunk> = await this.#guard(iterator.next());
        if (next.done) break;
        const chunk = next.value;
        const choice = chunk.choices[0];
        const piece = choice?.delta.content ?? '';
        if (piece) {
          clock.tokenArrived();
          chunks++;
          text += piece;
          onToken?.(piece);
        }
        if (choice?.finish_reason) finish = choice.finish_reason === 'length' ? 'length' : 'stop';
        if (chunk.usage) usage = chunk.usage;
      }
    } catch (error) {
      throw fromWorkerRejection(error);
    } finally {
      signal?.removeEventListener('abort', interrupt);
    }
    if (signal?.aborted) finish = 'abort';
    return {
      text,
      finish_reason: finish,
      usage: clock.usage(usage.prompt_tokens, usage.completion_tokens || chunks),
      record: {
        engine: 'webllm',
        model: this.#model.modelId,
        device: 'webgpu',
        seed: parameters.seed,
        seedHonoured: 'exact',
        responseFormatEnforced: format.type === 'json_object',
        parameters,
      },
    };
  }

  terminate(reason: Error = new Error('The WebLLM worker was stopped.')): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#engine = null;
    this.#stopped?.(reason);
  }

  #start(): WebWorkerMLCEngine {
    this.terminate();
    this.#worker = new Worker(new URL('../../workers/webLlm.worker.ts', import.meta.url), {
      type: 'module',
    });
    this.#worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.terminate(
        new Error(`The worker stopped unexpectedly: ${event.message || 'no detail'}.`),
      );
    });
    this.#stoppedPromise = new Promise<never>((_resolve, reject) => {
      this.#stopped = reject;
    });
    this.#stoppedPromise.catch(() => {});
    this.#engine = new WebWorkerMLCEngine(this.#worker);
    return this.#engine;
  }

  /** Settles with `work`, or rejects as soon as the worker is terminated. */
  #guard<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.#stoppedPromise]);
  }
}
