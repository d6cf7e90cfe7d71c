// GGUF models in Node (the `steps` CLI and benchmarks) through node-llama-cpp: llama.cpp with
// prebuilt CPU binaries that ship inside npm packages, so nothing is compiled here. Node only:
// the browser runs GGUF files through wllama, and no browser code may import this file
// (.dependency-cruiser.cjs).
//
// The chat template is the GGUF file's own (node-llama-cpp reads it from the file's metadata).
// Each request starts from an empty context, so the same seed and parameters give the same text
// whatever ran before; one request at a time (the queue below) keeps that context to itself.
import { basename } from 'node:path';
import {
  getLlama,
  LlamaChat,
  type ChatHistoryItem,
  type Llama,
  type LlamaContext,
  type LlamaGrammar,
  type LlamaModel,
} from 'node-llama-cpp';
import {
  CHARS_PER_TOKEN,
  jsonSchemaGrammar,
  UnsupportedSchemaError,
} from '../core/synthesis/jsonSchemaGrammar';
import {
  GenerationClock,
  resolveParameters,
  type ChatEngine,
  type ChatMessage,
  type ChatOptions,
  type ChatRequest,
  type ChatResult,
  type EngineCapabilities,
  type FinishReason,
  type JsonSchema,
  type ResolvedParameters,
} from './engine';
import { RequestQueue } from './requestQueue';

export interface NodeLlamaCppOptions {
  /** A `.gguf` file. */
  modelPath: string;
  /** CPU threads; default: node-llama-cpp's (every core that does maths). */
  threads?: number;
}

/**
 * Prompt and answer together fit this many tokens: the app's prompts stay far below it, and the
 * context's memory stays bounded for models trained on longer contexts.
 */
const MAX_CONTEXT_TOKENS = 8192;

export async function loadNodeLlamaCppEngine({
  modelPath,
  threads,
}: NodeLlamaCppOptions): Promise<NodeLlamaCppEngine> {
  // Prebuilt CPU binaries only: never a build from source, never a GPU probe.
  const llama = await getLlama({ gpu: false, build: 'never' });
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({
    sequences: 1,
    contextSize: { max: MAX_CONTEXT_TOKENS },
    threads,
  });
  return new NodeLlamaCppEngine(basename(modelPath), llama, model, context);
}

/**
 * The GBNF text that holds an answer to `schema` within `maxTokens`: the project's converter, the
 * same grammar wllama gets in the browser (src/llm/wllamaEngine.ts). Null for a schema beyond its
 * subset: the answer is then generated freely (and parsed leniently).
 */
function grammarText(schema: JsonSchema, maxTokens: number): string | null {
  try {
    return jsonSchemaGrammar(schema, { maxChars: maxTokens * CHARS_PER_TOKEN });
  } catch (error) {
    if (error instanceof UnsupportedSchemaError) return null;
    throw error;
  }
}

const FINISH_REASONS = {
  maxTokens: 'length',
  abort: 'abort',
  eogToken: 'stop',
  stopGenerationTrigger: 'stop',
  customStopTrigger: 'stop',
  functionCalls: 'stop',
} as const satisfies Record<string, FinishReason>;

/** The request's messages as node-llama-cpp's chat history, ending with the answer to write. */
function chatHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((message) =>
    message.role === 'assistant'
      ? { type: 'model', response: [message.content] }
      : { type: message.role, text: message.content },
  );
  history.push({ type: 'model', response: [] });
  return history;
}

export class NodeLlamaCppEngine implements ChatEngine {
  readonly kind = 'node-llama-cpp';
  readonly capabilities: EngineCapabilities = { jsonSchema: true, seed: 'exact' };
  readonly model: string;
  readonly #llama: Llama;
  readonly #model: LlamaModel;
  readonly #context: LlamaContext;
  readonly #chat: LlamaChat;
  readonly #queue = new RequestQueue(1);
  /**
   * Grammars by schema and token budget: compiling one takes a moment, and a run asks with few
   * schemas. Undefined where the schema cannot become a grammar.
   */
  readonly #grammars = new Map<string, Promise<LlamaGrammar | undefined>>();

  constructor(model: string, llama: Llama, llamaModel: LlamaModel, context: LlamaContext) {
    this.model = model;
    this.#llama = llama;
    this.#model = llamaModel;
    this.#context = context;
    this.#chat = new LlamaChat({ contextSequence: context.getSequence() });
  }

  /** The chat template the model's GGUF file names (e.g. `ChatML`, or `JinjaTemplate`). */
  get chatTemplate(): string {
    return this.#chat.chatWrapper.wrapperName;
  }

  async chat(request: ChatRequest, options: ChatOptions = {}): Promise<ChatResult> {
    const parameters = resolveParameters(request);
    return this.#queue.run(() => this.#generate(request, parameters, options));
  }

  /** Tokens of `text` by this model's tokenizer, without special tokens (for prompt budgets). */
  countTokens(text: string): number {
    return this.#model.tokenize(text, false).length;
  }

  async tokenCounts(texts: readonly string[]): Promise<number[]> {
    return texts.map((text) => this.countTokens(text));
  }

  async dispose(): Promise<void> {
    this.#chat.dispose();
    await this.#context.dispose();
    await this.#model.dispose();
    await this.#llama.dispose();
  }

  #grammar(schema: JsonSchema | undefined, maxTokens: number): Promise<LlamaGrammar | undefined> {
    const key = JSON.stringify([schema ?? null, maxTokens]);
    let grammar = this.#grammars.get(key);
    if (!grammar) {
      if (!schema) {
        grammar = this.#llama.getGrammarFor('json');
      } else {
        const text = grammarText(schema, maxTokens);
        grammar =
          text === null ? Promise.resolve(undefined) : this.#llama.createGrammar({ grammar: text });
      }
      this.#grammars.set(key, grammar);
    }
    return grammar;
  }

  async #generate(
    request: ChatRequest,
    parameters: ResolvedParameters,
    { signal, onToken }: ChatOptions,
  ): Promise<ChatResult> {
    const clock = new GenerationClock();
    const sequence = this.#chat.sequence;
    await sequence.clearHistory();
    const history = chatHistory(request.messages);
    const promptTokens = this.#chat.chatWrapper
      .generateContextState({ chatHistory: history })
      .contextText.tokenize(this.#model.tokenizer).length;
    const format = parameters.response_format;
    const grammar =
      format.type === 'json_object'
        ? await this.#grammar(format.schema, parameters.max_tokens)
        : undefined;
    const generatedBefore = sequence.tokenMeter.usedOutputTokens;
    let text = '';
    let finish_reason: FinishReason = 'abort';
    try {
      const response = await this.#chat.generateResponse(history, {
        signal,
        stopOnAbortSignal: true,
        maxTokens: parameters.max_tokens,
        temperature: parameters.temperature,
        topP: parameters.top_p,
        // The OpenAI parameters only: no top-k, min-p or repeat penalty of llama.cpp's own; a
        // frequency penalty over the whole answer.
        topK: 0,
        minP: 0,
        repeatPenalty: parameters.frequency_penalty
          ? {
              penalty: 1,
              frequencyPenalty: parameters.frequency_penalty,
              presencePenalty: 0,
              lastTokens: parameters.max_tokens,
            }
          : false,
        seed: parameters.seed,
        customStopTriggers: parameters.stop,
        grammar,
        onToken: () => clock.tokenArrived(),
        onTextChunk: (piece) => {
          text += piece;
          onToken?.(piece);
        },
      });
      text = response.response;
      finish_reason = FINISH_REASONS[response.metadata.stopReason];
    } catch (error) {
      // Aborted before the first token: node-llama-cpp throws then instead of returning.
      if (!signal?.aborted) throw error;
    }
    return {
      text,
      finish_reason,
      usage: clock.usage(promptTokens, sequence.tokenMeter.usedOutputTokens - generatedBefore),
      record: {
        engine: this.kind,
        model: this.model,
        device: 'cpu',
        seed: parameters.seed,
        seedHonoured: 'exact',
        responseFormatEnforced: grammar !== undefined,
        parameters,
      },
    };
  }
}
