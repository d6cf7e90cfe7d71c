// A model running in this browser, in a worker: one request in flight at a time (the rest wait
// in order, and a request cancelled while waiting never starts), and recovery from a lost GPU.
// When the GPU device is lost (or the worker dies), the interrupted request fails with
// GpuDeviceLostError, the worker is restarted and the model reloaded once, automatically;
// requests made meanwhile wait for the reload. If the reload fails too, those requests report
// why, and the next one tries to load again (nothing retries on its own).
import {
  resolveParameters,
  type ChatEngine,
  type ChatOptions,
  type ChatRequest,
  type ChatResult,
  type EngineCapabilities,
  type EngineKind,
} from './engine';
import { GpuDeviceLostError } from './errors';
import { QueueAbortError, RequestQueue } from './requestQueue';
import type { DownloadProgress } from './transformersEngine';

/** The worker side of one local model, as the engine drives it. */
export interface LocalBackend {
  /** Starts a worker (if none runs) and loads the model into it. */
  load(onProgress?: (progress: DownloadProgress) => void): Promise<void>;
  /** Rejects with GpuDeviceLostError when the GPU device or the worker itself is gone. */
  chat(request: ChatRequest, options: ChatOptions): Promise<ChatResult>;
  /** Tokens of each text by the model's tokenizer, when the backend has one at hand. */
  tokenCounts?(texts: readonly string[]): Promise<number[]>;
  /** Stops the worker at once; calls in flight reject with `reason`. */
  terminate(reason?: Error): void;
}

export type LocalEngineStatus = 'idle' | 'loading' | 'ready' | 'recovering' | 'failed';

export interface LocalEngineInfo {
  kind: EngineKind;
  model: string;
  capabilities: EngineCapabilities;
}

export class LocalEngine implements ChatEngine {
  readonly kind: EngineKind;
  readonly model: string;
  readonly capabilities: EngineCapabilities;
  readonly #backend: LocalBackend;
  readonly #queue = new RequestQueue(1);
  readonly #onStatus: (status: LocalEngineStatus, error: unknown) => void;
  readonly tokenCounts?: (texts: readonly string[]) => Promise<number[]>;
  #ready: Promise<void> | null = null;

  constructor(
    info: LocalEngineInfo,
    backend: LocalBackend,
    onStatus: (status: LocalEngineStatus, error: unknown) => void = () => {},
  ) {
    this.kind = info.kind;
    this.model = info.model;
    this.capabilities = info.capabilities;
    this.#backend = backend;
    this.#onStatus = onStatus;
    const counter = backend.tokenCounts?.bind(backend);
    if (counter) {
      // Queued like a generation: the tokenizer lives in the same worker as the model.
      this.tokenCounts = (texts) =>
        this.#queue.run(async () => {
          await this.load();
          return counter(texts);
        });
    }
  }

  /** Downloads (if needed) and loads the model; later calls share the first load. */
  load(onProgress?: (progress: DownloadProgress) => void): Promise<void> {
    this.#ready ??= this.#track('loading', this.#backend.load(onProgress));
    return this.#ready;
  }

  async chat(request: ChatRequest, options: ChatOptions = {}): Promise<ChatResult> {
    const parameters = resolveParameters(request);
    const pinned = { ...request, seed: parameters.seed };
    try {
      return await this.#queue.run(async () => {
        await this.load();
        try {
          return await this.#backend.chat(pinned, options);
        } catch (error) {
          if (!(error instanceof GpuDeviceLostError)) throw error;
          this.#restart();
          throw error;
        }
      }, options.signal);
    } catch (error) {
      if (!(error instanceof QueueAbortError)) throw error;
      return {
        text: '',
        finish_reason: 'abort',
        usage: {
          prompt_tokens: 0,
          completion_tokens: 0,
          time_to_first_token_ms: null,
          tokens_per_second: 0,
        },
        record: {
          engine: this.kind,
          model: this.model,
          seed: parameters.seed,
          seedHonoured: this.capabilities.seed,
          responseFormatEnforced: false,
          parameters,
        },
      };
    }
  }

  dispose(): void {
    this.#backend.terminate();
    this.#ready = null;
  }

  #restart(): void {
    this.#backend.terminate();
    const recovery = this.#track('recovering', this.#backend.load());
    // Its failure reaches the user through `onStatus` and the next request, not as unhandled.
    recovery.catch(() => {});
    this.#ready = recovery;
  }

  /** Reports the load's progress; a failed load is forgotten, so the next request tries anew. */
  #track(status: LocalEngineStatus, loading: Promise<void>): Promise<void> {
    this.#onStatus(status, null);
    const tracked = loading.then(
      () => this.#onStatus('ready', null),
      (error: unknown) => {
        if (this.#ready === tracked) this.#ready = null;
        this.#onStatus('failed', error);
        throw error;
      },
    );
    return tracked;
  }
}
