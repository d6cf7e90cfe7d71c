// The transformers.js adapter: one chat model (tokenizer + causal LM) behind the engine
// interface. The same code runs in the browser worker (onnxruntime-web, WebGPU or WASM) and in
// Node (onnxruntime-node): the caller sets transformers.js's `env` (where models come from, where
// the wasm is) and passes the device; nothing here depends on the environment.
//
// Sampling: greedy at temperature 0; otherwise multinomial over the whole vocabulary after
// temperature and top-p (transformers.js 4.3 does not implement top-p itself, and its default
// top-k of 50 is not part of the OpenAI parameters, so it is switched off). transformers.js draws
// from one global Mersenne Twister, `random.seed(seed)` makes a run repeatable, and one request
// at a time (the queue below) keeps that state to itself.
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  LogitsProcessor,
  LogitsProcessorList,
  random,
  StoppingCriteria,
  StoppingCriteriaList,
  TextStreamer,
  type DataType,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type ProgressInfo,
  type Tensor,
} from '@huggingface/transformers';
import {
  GenerationClock,
  resolveParameters,
  type ChatEngine,
  type ChatOptions,
  type ChatRequest,
  type ChatResult,
  type EngineCapabilities,
  type FinishReason,
} from './engine';
import { RequestQueue } from './requestQueue';
import { IncrementalDecoder, StopSequenceFilter } from './textStream';

export type TransformersDevice = 'cpu' | 'wasm' | 'webgpu';

export interface DownloadProgress {
  loadedBytes: number;
  /** 0 until the sizes of the files are known. */
  totalBytes: number;
}

export interface TransformersModelOptions {
  /** A hub id (`HuggingFaceTB/SmolLM2-360M-Instruct`) or a folder under `env.localModelPath`. */
  model: string;
  device: TransformersDevice;
  /** Weights variant (`q4`, `q4f16`, `fp32` …); default: the model's own config, else the device's. */
  dtype?: DataType;
  onProgress?: (progress: DownloadProgress) => void;
  /**
   * Awaited before each model step. In a worker whose inference never yields to the event loop
   * (onnxruntime-web on WASM runs each step in one task), this lets a cancel message in.
   */
  betweenSteps?: () => Promise<void>;
}

/** Loads tokenizer and model; progress reports bytes over all files. */
export async function loadTransformersEngine(
  options: TransformersModelOptions,
): Promise<TransformersEngine> {
  const { model, device, dtype, onProgress, betweenSteps } = options;
  const files = new Map<string, { loaded: number; total: number }>();
  const progress_callback = onProgress
    ? (info: ProgressInfo) => {
        if (info.status !== 'progress') return;
        files.set(info.file, { loaded: info.loaded, total: info.total });
        let loadedBytes = 0;
        let totalBytes = 0;
        for (const file of files.values()) {
          loadedBytes += file.loaded;
          totalBytes += file.total;
        }
        onProgress({ loadedBytes, totalBytes });
      }
    : undefined;
  const tokenizer = await AutoTokenizer.from_pretrained(model, { progress_callback });
  const causalLm = await AutoModelForCausalLM.from_pretrained(model, {
    device,
    dtype,
    progress_callback,
  });
  if (betweenSteps) {
    const forward = causalLm.forward.bind(causalLm);
    causalLm.forward = async (inputs: object) => {
      await betweenSteps();
      return forward(inputs);
    };
  }
  return new TransformersEngine(model, device, tokenizer, causalLm);
}

export class TransformersEngine implements ChatEngine {
  readonly kind = 'transformers';
  readonly capabilities: EngineCapabilities = { jsonSchema: false, seed: 'exact' };
  readonly model: string;
  readonly device: TransformersDevice;
  readonly #tokenizer: PreTrainedTokenizer;
  readonly #causalLm: PreTrainedModel;
  readonly #endOfSequence: Set<number>;
  readonly #queue = new RequestQueue(1);

  constructor(
    model: string,
    device: TransformersDevice,
    tokenizer: PreTrainedTokenizer,
    causalLm: PreTrainedModel,
  ) {
    this.model = model;
    this.device = device;
    this.#tokenizer = tokenizer;
    this.#causalLm = causalLm;
    const eos =
      causalLm.generation_config?.eos_token_id ??
      (causalLm.config as { eos_token_id?: number | number[] }).eos_token_id;
    this.#endOfSequence = new Set(
      (Array.isArray(eos) ? eos : [eos]).filter((id): id is number => Number.isInteger(id)),
    );
  }

  async chat(request: ChatRequest, options: ChatOptions = {}): Promise<ChatResult> {
    const parameters = resolveParameters(request);
    return this.#queue.run(() => this.#generate(request, parameters, options));
  }

  /** Tokens of `text` by this model's tokenizer, without special tokens (for prompt budgets). */
  countTokens(text: string): number {
    return this.#tokenizer.encode(text, { add_special_tokens: false }).length;
  }

  async tokenCounts(texts: readonly string[]): Promise<number[]> {
    return texts.map((text) => this.countTokens(text));
  }

  /** Frees the inference sessions (GPU buffers included). */
  async dispose(): Promise<void> {
    await this.#causalLm.dispose();
  }

  async #generate(
    request: ChatRequest,
    parameters: ReturnType<typeof resolveParameters>,
    { signal, onToken }: ChatOptions,
  ): Promise<ChatResult> {
    const clock = new GenerationClock();
    const inputs = this.#tokenizer.apply_chat_template(request.messages, {
      add_generation_prompt: true,
      return_dict: true,
    });
    const promptTokens = inputs.input_ids.dims.at(-1) ?? 0;
    const sampling = parameters.temperature > 0;
    if (sampling) random.seed(parameters.seed);

    const decode = (ids: number[]) =>
      ids.length === 0 ? '' : this.#tokenizer.decode(ids, { skip_special_tokens: true });
    // Streaming, or stop sequences (which must be found as the text grows), decode per token.
    const incremental = onToken || parameters.stop.length > 0;
    const decoder = incremental ? new IncrementalDecoder(decode) : null;
    const stopFilter = parameters.stop.length > 0 ? new StopSequenceFilter(parameters.stop) : null;
    let streamed = '';
    const emit = (piece: string) => {
      const text = stopFilter ? stopFilter.push(piece) : piece;
      if (!text) return;
      streamed += text;
      onToken?.(text);
    };
    const generated: number[] = [];
    const observer = new TokenObserver(this.#tokenizer, (id) => {
      clock.tokenArrived();
      generated.push(id);
      if (decoder) emit(decoder.push(id));
    });
    const stopping = new StoppingCriteriaList();
    stopping.push(new StopWhen(() => signal?.aborted === true || stopFilter?.stopped === true));
    const warpers = new LogitsProcessorList();
    if (parameters.frequency_penalty) {
      warpers.push(new FrequencyPenalty(parameters.frequency_penalty, generated));
    }
    if (sampling && parameters.top_p < 1) warpers.push(new TopP(parameters.top_p));

    await this.#causalLm.generate({
      ...inputs,
      max_new_tokens: parameters.max_tokens,
      do_sample: sampling,
      ...(sampling ? { temperature: parameters.temperature, top_k: 0 } : {}),
      streamer: observer,
      stopping_criteria: stopping,
      logits_processor: warpers,
    });

    let text: string;
    if (decoder) {
      emit(decoder.finish());
      if (stopFilter) emit(stopFilter.finish());
      text = streamed;
    } else {
      text = decode(generated);
    }
    const last = generated.at(-1);
    let finish_reason: FinishReason = 'length';
    if (signal?.aborted) finish_reason = 'abort';
    else if (stopFilter?.stopped || (last !== undefined && this.#endOfSequence.has(last))) {
      finish_reason = 'stop';
    }
    return {
      text,
      finish_reason,
      usage: clock.usage(promptTokens, generated.length),
      record: {
        engine: this.kind,
        model: this.model,
        device: this.device,
        seed: parameters.seed,
        seedHonoured: 'exact',
        responseFormatEnforced: false,
        parameters,
      },
    };
  }
}

/**
 * Sees every generated token (transformers.js first passes the prompt, which it skips). A
 * TextStreamer only by type: `generate` is typed to take one; its decoding is not used.
 */
class TokenObserver extends TextStreamer {
  readonly #onToken: (id: number) => void;
  #promptSeen = false;

  constructor(tokenizer: PreTrainedTokenizer, onToken: (id: number) => void) {
    super(tokenizer);
    this.#onToken = onToken;
  }

  override put(value: bigint[][]): void {
    if (!this.#promptSeen) {
      this.#promptSeen = true;
      return;
    }
    this.#onToken(Number(value[0][0]));
  }

  override end(): void {}
}

/**
 * Ends generation after the current token when `shouldStop` says so: checked once per token,
 * right after the token is produced, so an abort costs at most the one step in flight.
 */
class StopWhen extends StoppingCriteria {
  readonly shouldStop: () => boolean;

  constructor(shouldStop: () => boolean) {
    super();
    this.shouldStop = shouldStop;
  }

  override _call(inputIds: number[][]): boolean[] {
    const stop = this.shouldStop();
    return inputIds.map(() => stop);
  }
}

/** OpenAI's frequency penalty: each logit lowered by `penalty` for every time the answer has its token. */
class FrequencyPenalty extends LogitsProcessor {
  readonly penalty: number;
  /** The answer's tokens so far (the prompt's are not penalised). */
  readonly generated: readonly number[];

  constructor(penalty: number, generated: readonly number[]) {
    super();
    this.penalty = penalty;
    this.generated = generated;
  }

  override _call(_inputIds: bigint[][], logits: Tensor): Tensor {
    const data = logits.data as Float32Array;
    const vocab = logits.dims.at(-1) ?? data.length;
    for (let row = 0; row < data.length; row += vocab) {
      for (const id of this.generated) data[row + id] -= this.penalty;
    }
    return logits;
  }
}

/** Nucleus sampling: keeps the most likely tokens whose probabilities add up to `topP`. */
class TopP extends LogitsProcessor {
  readonly topP: number;

  constructor(topP: number) {
    super();
    this.topP = topP;
  }

  override _call(_inputIds: bigint[][], logits: Tensor): Tensor {
    const data = logits.data as Float32Array;
    const vocab = logits.dims.at(-1) ?? data.length;
    for (let row = 0; row < data.length; row += vocab) {
      keepNucleus(data.subarray(row, row + vocab), this.topP);
    }
    return logits;
  }
}

function keepNucleus(logits: Float32Array, topP: number): void {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  const probabilities = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    probabilities[i] = Math.exp(logits[i] - max);
    sum += probabilities[i];
  }
  const order = Array.from(logits.keys()).sort((a, b) => probabilities[b] - probabilities[a]);
  let mass = 0;
  let kept = 0;
  while (kept < order.length && mass < topP * sum) mass += probabilities[order[kept++]];
  for (let i = kept; i < order.length; i++) logits[order[i]] = -Infinity;
}
