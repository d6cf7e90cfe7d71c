// One interface for every language model the app talks to, in the shape of OpenAI's chat
// completions: a request of messages and sampling parameters, an answer with usage figures.
// Adapters: transformers.js (in a worker, or in Node for the tests), WebLLM (in its own worker),
// GGUF files through wllama (llama.cpp in WebAssembly, in its own worker), any
// OpenAI-compatible server, and GGUF files in Node through node-llama-cpp (the CLI). Every answer carries a record of what produced it (engine,
// model, seed, parameters), so a generated sample can always be traced and, where the engine
// allows, reproduced.

export type EngineKind = 'transformers' | 'webllm' | 'wllama' | 'openai' | 'node-llama-cpp';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Minimal JSON Schema object (the engines pass it through; none is interpreted here). */
export type JsonSchema = Record<string, unknown>;

/** As in WebLLM: `json_object`, optionally constrained by a schema, or plain text. */
export type ResponseFormat = { type: 'text' } | { type: 'json_object'; schema?: JsonSchema };

export interface ChatRequest {
  messages: ChatMessage[];
  /** 0 means greedy decoding. Default 1. */
  temperature?: number;
  /** Nucleus sampling mass in (0, 1]. Default 1. */
  top_p?: number;
  /** Most tokens to generate. Default 512. */
  max_tokens?: number;
  /** Seed for sampling; one is drawn (and recorded) when absent. */
  seed?: number;
  /** Generation stops before the first of these strings, which is not part of the text. */
  stop?: string[];
  response_format?: ResponseFormat;
  /**
   * OpenAI's frequency penalty in 0…2: each token's logit is lowered by this much for every time
   * it was generated before in the answer, which breaks the repetition loops of small models
   * ("1.1.1.1…"). Default 0 (none).
   */
  frequency_penalty?: number;
}

export interface ChatOptions {
  /** Aborting stops generation within a token or two; the answer then has `finish_reason: 'abort'`. */
  signal?: AbortSignal;
  /** Streaming: called with each new piece of text; the pieces join to the answer's `text`. */
  onToken?: (piece: string) => void;
}

/** `abort`: cancelled through the signal (as in WebLLM); the text is what was generated so far. */
export type FinishReason = 'stop' | 'length' | 'abort';

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  /** From the start of generation (after any queueing) to the first token; null if none came. */
  time_to_first_token_ms: number | null;
  /** Completion tokens per second of generation time (prompt processing included). */
  tokens_per_second: number;
}

/** The sampling parameters actually used, defaults filled in. */
export interface ResolvedParameters {
  temperature: number;
  top_p: number;
  max_tokens: number;
  seed: number;
  stop: string[];
  response_format: ResponseFormat;
  /** Present when the request set a penalty above 0. */
  frequency_penalty?: number;
}

/** What produced an answer. */
export interface GenerationRecord {
  engine: EngineKind;
  model: string;
  /**
   * Where a local model ran (`webgpu`, `wasm`, `cpu`; wllama adds its threads, `wasm, 1 thread`):
   * results differ slightly between them.
   */
  device?: string;
  seed: number;
  /**
   * `exact`: the same seed and parameters give the same text on the same engine and device;
   * `best-effort`: the seed is sent, but the server decides (OpenAI-compatible endpoints).
   */
  seedHonoured: 'exact' | 'best-effort';
  /** Whether the engine itself enforced `response_format` (constrained decoding). */
  responseFormatEnforced: boolean;
  parameters: ResolvedParameters;
}

export interface ChatResult {
  text: string;
  finish_reason: FinishReason;
  usage: ChatUsage;
  record: GenerationRecord;
}

export interface EngineCapabilities {
  /** Constrained decoding for `response_format` with a schema. */
  jsonSchema: boolean;
  seed: 'exact' | 'best-effort';
}

export interface ChatEngine {
  readonly kind: EngineKind;
  readonly model: string;
  readonly capabilities: EngineCapabilities;
  chat(request: ChatRequest, options?: ChatOptions): Promise<ChatResult>;
  /**
   * Tokens of each text by the model's own tokenizer, without special tokens; present only on
   * engines that have the tokenizer at hand (prompt budgets are estimated otherwise).
   */
  tokenCounts?(texts: readonly string[]): Promise<number[]>;
}

/**
 * A quick token count for prompt budgets: about 3 characters a token (English BPE vocabularies
 * average ~4, so it over-counts there); engines with `tokenCounts` then check prompts exactly.
 */
export const estimateTokens = (text: string) => Math.ceil(text.length / 3);

/** Whether the engine counts tokens by the model's own tokenizer (else budgets are estimated). */
export function countsTokensExactly(
  engine: ChatEngine,
): engine is ChatEngine & Required<Pick<ChatEngine, 'tokenCounts'>> {
  return typeof engine.tokenCounts === 'function';
}

export const DEFAULT_MAX_TOKENS = 512;

/** Fills in defaults and rejects out-of-range values with a message naming the field. */
export function resolveParameters(
  request: ChatRequest,
  drawSeed: () => number = randomSeed,
): ResolvedParameters {
  const { temperature = 1, top_p = 1, max_tokens = DEFAULT_MAX_TOKENS, stop = [] } = request;
  if (!Array.isArray(request.messages) || request.messages.length === 0) {
    throw new RangeError('messages: a chat request needs at least one message.');
  }
  if (!(temperature >= 0 && temperature <= 2)) {
    throw new RangeError(`temperature: ${temperature} is outside 0…2.`);
  }
  if (!(top_p > 0 && top_p <= 1)) throw new RangeError(`top_p: ${top_p} is outside (0, 1].`);
  if (!Number.isInteger(max_tokens) || max_tokens < 1) {
    throw new RangeError(`max_tokens: ${max_tokens} is not a positive whole number.`);
  }
  if (stop.some((s) => typeof s !== 'string' || s.length === 0)) {
    throw new RangeError('stop: every stop sequence must be a non-empty string.');
  }
  const { frequency_penalty = 0 } = request;
  if (!(frequency_penalty >= 0 && frequency_penalty <= 2)) {
    throw new RangeError(`frequency_penalty: ${frequency_penalty} is outside 0…2.`);
  }
  const seed = request.seed ?? drawSeed();
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed: ${seed} is not a whole number in 0…4294967295.`);
  }
  return {
    temperature,
    top_p,
    max_tokens,
    seed,
    stop: [...stop],
    response_format: request.response_format ?? { type: 'text' },
    ...(frequency_penalty > 0 && { frequency_penalty }),
  };
}

function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}

/** Times one generation: started → first token → finished. */
export class GenerationClock {
  readonly #startedAt = performance.now();
  #firstTokenAt: number | null = null;

  tokenArrived(): void {
    this.#firstTokenAt ??= performance.now();
  }

  usage(promptTokens: number, completionTokens: number): ChatUsage {
    const seconds = (performance.now() - this.#startedAt) / 1000;
    return {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      time_to_first_token_ms:
        this.#firstTokenAt === null ? null : this.#firstTokenAt - this.#startedAt,
      tokens_per_second: seconds > 0 ? completionTokens / seconds : 0,
    };
  }
}
