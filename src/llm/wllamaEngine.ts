// The wllama adapter: one chat completion by a GGUF model loaded in wllama (llama.cpp's server
// loop compiled to WebAssembly, in wllama's own worker; workers/wllamaBackend.ts starts it), in
// this app's terms. Sampling is llama.cpp's, so a seed reproduces an answer exactly on the same
// build and device. `response_format` with a schema becomes a GBNF grammar
// (core/synthesis/jsonSchemaGrammar.ts) bounded by the request's token budget; thinking is
// turned off for templates that know `enable_thinking` (Qwen3), and left alone by the others.
import type { ChatCompletionChunk, ChatCompletionParams, Wllama } from '@wllama/wllama';
import { errorMessage } from '../core/errorMessage';
import {
  CHARS_PER_TOKEN,
  jsonSchemaGrammar,
  UnsupportedSchemaError,
} from '../core/synthesis/jsonSchemaGrammar';
import {
  GenerationClock,
  resolveParameters,
  type ChatOptions,
  type ChatRequest,
  type ChatResult,
  type FinishReason,
  type ResolvedParameters,
} from './engine';
import {
  GpuDeviceLostError,
  isQuotaExceeded,
  LlmError,
  ModelTooLargeError,
  StorageQuotaError,
  UnsupportedArchitectureError,
  classifyLoadFailure,
} from './errors';

/** How the request constrains the answer: a grammar, llama.cpp's plain JSON mode, or nothing. */
function constraint(parameters: ResolvedParameters): {
  fields: Pick<ChatCompletionParams, 'grammar' | 'response_format'>;
  enforced: boolean;
} {
  const format = parameters.response_format;
  if (format.type !== 'json_object') return { fields: {}, enforced: false };
  if (!format.schema)
    return { fields: { response_format: { type: 'json_object' } }, enforced: true };
  try {
    const maxChars = parameters.max_tokens * CHARS_PER_TOKEN;
    return { fields: { grammar: jsonSchemaGrammar(format.schema, { maxChars }) }, enforced: true };
  } catch (error) {
    // A schema beyond the grammar's subset: the answer is generated freely (and parsed leniently).
    if (error instanceof UnsupportedSchemaError) return { fields: {}, enforced: false };
    throw error;
  }
}

export interface WllamaRun {
  model: string;
  /** For the generation record, e.g. `wasm, 1 thread`. */
  device: string;
}

/** One chat completion, streamed piece by piece; an abort resolves with the text so far. */
export async function wllamaChat(
  wllama: Wllama,
  run: WllamaRun,
  request: ChatRequest,
  { signal, onToken }: ChatOptions,
): Promise<ChatResult> {
  const parameters = resolveParameters(request);
  const { fields, enforced } = constraint(parameters);
  const clock = new GenerationClock();
  let text = '';
  let pieces = 0;
  let finish: FinishReason = 'length';
  let usage = { prompt_tokens: 0, completion_tokens: 0 };
  const onData = (chunk: ChatCompletionChunk) => {
    const choice = chunk.choices[0];
    const piece = choice?.delta.content ?? '';
    if (piece) {
      clock.tokenArrived();
      pieces++;
      text += piece;
      onToken?.(piece);
    }
    if (choice?.finish_reason) finish = choice.finish_reason === 'length' ? 'length' : 'stop';
    if (chunk.usage) usage = chunk.usage;
    else if (chunk.timings) {
      usage = {
        prompt_tokens: chunk.timings.prompt_n + chunk.timings.cache_n,
        completion_tokens: chunk.timings.predicted_n,
      };
    }
  };
  try {
    // llama.cpp's server takes `stop` and `frequency_penalty` like OpenAI's API; wllama's types
    // leave them out.
    const params: ChatCompletionParams & { stop?: string[]; frequency_penalty?: number } = {
      messages: request.messages,
      temperature: parameters.temperature,
      top_p: parameters.top_p,
      max_tokens: parameters.max_tokens,
      seed: parameters.seed,
      ...(parameters.stop.length > 0 ? { stop: parameters.stop } : {}),
      ...(parameters.frequency_penalty && { frequency_penalty: parameters.frequency_penalty }),
      ...fields,
      chat_template_kwargs: { enable_thinking: false },
      abortSignal: signal,
    };
    await wllama.createChatCompletion({ ...params, stream: true, onData });
  } catch (error) {
    if (!(signal?.aborted && isAbort(error))) throw chatFailure(error);
  }
  if (signal?.aborted) finish = 'abort';
  return {
    text,
    finish_reason: finish,
    usage: clock.usage(usage.prompt_tokens, usage.completion_tokens || pieces),
    record: {
      engine: 'wllama',
      model: run.model,
      device: run.device,
      seed: parameters.seed,
      seedHonoured: 'exact',
      responseFormatEnforced: enforced,
      parameters,
    },
  };
}

function isAbort(error: unknown): boolean {
  return (
    error instanceof Error && (error.name === 'AbortError' || error.name === 'WllamaAbortError')
  );
}

/**
 * A crash inside WebAssembly (an abort, out of memory, a lost WebGPU device) takes the model with
 * it: LocalEngine restarts the worker and reloads, as after a lost device.
 */
function chatFailure(error: unknown): unknown {
  if (error instanceof Error && error.name === 'RuntimeError') {
    return new GpuDeviceLostError(
      `The model's WebAssembly runtime stopped (${error.message}). It was restarted ` +
        'automatically; run the request again. If this keeps happening, choose a smaller model.',
      { cause: error },
    );
  }
  return error;
}

/**
 * Turns a failure while loading a GGUF file into the error the user can act on. `log` holds the
 * lines llama.cpp printed while loading: it names an unknown architecture there, not in the
 * error it throws.
 */
export function classifyWllamaLoadFailure(
  error: unknown,
  context: { model: string; receivedBytes: boolean; log: readonly string[] },
): Error {
  if (error instanceof LlmError) return error;
  const text = [errorMessage(error), ...context.log].join('\n');
  const architecture = /unknown model architecture: '([^']+)'/.exec(text);
  if (architecture) {
    return new UnsupportedArchitectureError(
      `${context.model} is a "${architecture[1]}" model, an architecture this build of ` +
        'llama.cpp (wllama) does not know. Choose a GGUF file of a model it runs (Llama, Qwen, ' +
        'Gemma, Phi, SmolLM …), or run it on a server.',
      { cause: error },
    );
  }
  if (isQuotaExceeded(error)) return new StorageQuotaError(undefined, { cause: error });
  if (
    /out of memory|Cannot enlarge memory|Array buffer allocation failed|failed to allocate|OOM/i.test(
      text,
    )
  ) {
    return new ModelTooLargeError(
      `${context.model} does not fit the memory this browser gives it. Choose a smaller file ` +
        '(fewer parameters or a smaller quantisation), close other tabs, or connect an ' +
        'OpenAI-compatible server.',
      { cause: error },
    );
  }
  return classifyLoadFailure(error, context);
}
