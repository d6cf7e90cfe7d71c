// The WebLLM adapter: drives a WebLLM engine (`MLCEngineInterface`; the app runs it in WebLLM's own
// worker, see workers/webLlmBackend.ts) in this app's terms. WebLLM brings JSON-schema
// constrained decoding (`response_format: {type: 'json_object', schema}`, XGrammar) and seeded
// sampling, and skips Qwen3's thinking on request.
//
// Before anything is fetched, a model that is not in the cache while the browser is offline
// fails at once with "not cached and offline"; a network that is gone without the browser
// noticing makes WebLLM's fetch fail, which is reported the same way.
import {
  hasModelInCache,
  type ChatCompletionChunk,
  type InitProgressReport,
  type MLCEngineInterface,
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
import { webLlmThinks } from './modelCatalogue';
import type { DownloadProgress } from './transformersEngine';
import { webLlmProgress, type WebLlmModel } from './webLlmModels';

/** Settles with `work`, or rejects as soon as the engine's worker is gone (WebLLM would wait on). */
export type UntilStopped = <T>(work: Promise<T>) => Promise<T>;

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

/**
 * Fails before anything is fetched when `model` cannot run here: its GPU buffers exceed
 * `maxBufferBytes` (the adapter's maxStorageBufferBindingSize, when known), or it is not cached
 * while the browser is offline.
 */
export async function checkWebLlmModel(
  model: WebLlmModel,
  maxBufferBytes: number | null,
): Promise<void> {
  const { modelId, bufferBytes } = model;
  if (bufferBytes !== null && maxBufferBytes !== null && bufferBytes > maxBufferBytes) {
    throw new ModelTooLargeError(
      `${modelId} needs GPU buffers of ${Math.round(bufferBytes / 2 ** 20)} MiB, more than this ` +
        `graphics card allows (${Math.round(maxBufferBytes / 2 ** 20)} MiB). Choose a ` +
        'smaller model or one with a short context ("-1k").',
    );
  }
  if (!navigator.onLine && !(await hasModelInCache(modelId))) {
    throw ModelNotCachedOfflineError.forModel(modelId);
  }
}

/** Downloads (if needed) and loads `modelId` into `engine`; failures become LlmErrors. */
export async function loadWebLlmModel(
  engine: MLCEngineInterface,
  modelId: string,
  untilStopped: UntilStopped,
  onProgress?: (progress: DownloadProgress) => void,
): Promise<void> {
  let receivedBytes = false;
  engine.setInitProgressCallback((report: InitProgressReport) => {
    const progress = webLlmProgress(report);
    if (!progress) return;
    receivedBytes ||= progress.loadedBytes > 0;
    onProgress?.(progress);
  });
  try {
    await untilStopped(engine.reload(modelId));
  } catch (error) {
    throw classifyLoadFailure(fromWorkerRejection(error), { model: modelId, receivedBytes });
  }
}

/** One chat completion by the model loaded in `engine`, streamed piece by piece. */
export async function webLlmChat(
  engine: MLCEngineInterface,
  modelId: string,
  untilStopped: UntilStopped,
  request: ChatRequest,
  { signal, onToken }: ChatOptions,
): Promise<ChatResult> {
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
    const stream = await untilStopped(
      engine.chat.completions.create({
        messages: request.messages,
        temperature: parameters.temperature,
        top_p: parameters.top_p,
        max_tokens: parameters.max_tokens,
        seed: parameters.seed,
        stop: parameters.stop.length > 0 ? parameters.stop : undefined,
        frequency_penalty: parameters.frequency_penalty,
        response_format:
          format.type === 'json_object'
            ? {
                type: 'json_object',
                schema: format.schema ? JSON.stringify(format.schema) : undefined,
              }
            : undefined,
        stream: true,
        stream_options: { include_usage: true },
        // Qwen3's thinking would spend the token budget before the answer.
        ...(webLlmThinks(modelId) ? { extra_body: { enable_thinking: false } } : {}),
      }),
    );
    const iterator = stream[Symbol.asyncIterator]();
    for (;;) {
      const next: IteratorResult<ChatCompletionChunk> = await untilStopped(iterator.next());
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
      model: modelId,
      device: 'webgpu',
      seed: parameters.seed,
      seedHonoured: 'exact',
      responseFormatEnforced: format.type === 'json_object',
      parameters,
    },
  };
}
