// Main-thread side of the WebLLM worker (webLlm.worker.ts) for one model: the LocalBackend that
// src/llm/localEngine.ts drives. WebLLM's own client (`WebWorkerMLCEngine`) talks to the worker;
// this class starts it, stops it, and turns its crash into the failure LocalEngine recovers from.
import { WebWorkerMLCEngine } from '@mlc-ai/web-llm';
import type { ChatOptions, ChatRequest, ChatResult } from '../src/llm/engine';
import { GpuDeviceLostError } from '../src/llm/errors';
import type { LocalBackend } from '../src/llm/localEngine';
import type { DownloadProgress } from '../src/llm/transformersEngine';
import { checkWebLlmModel, loadWebLlmModel, webLlmChat } from '../src/llm/webLlmEngine';
import type { WebLlmModel } from '../src/llm/webLlmModels';
import { WorkerCrashedError } from './bridge';

export class WebLlmBackend implements LocalBackend {
  readonly #model: WebLlmModel;
  readonly #maxBufferBytes: number | null;
  #worker: Worker | null = null;
  #engine: WebWorkerMLCEngine | null = null;
  /** Why the last worker ended: a crash took the model with it. */
  #crash: WorkerCrashedError | null = null;
  /** Rejects every pending call when the worker is terminated (WebLLM's client would wait on). */
  #stopped: ((reason: Error) => void) | null = null;
  #stoppedPromise: Promise<never> = new Promise<never>(() => {});
  readonly #untilStopped = <T>(work: Promise<T>): Promise<T> =>
    Promise.race([work, this.#stoppedPromise]);

  /** `maxBufferBytes`: the adapter's maxStorageBufferBindingSize, when known. */
  constructor(model: WebLlmModel, maxBufferBytes: number | null) {
    this.#model = model;
    this.#maxBufferBytes = maxBufferBytes;
  }

  async load(onProgress?: (progress: DownloadProgress) => void): Promise<void> {
    await checkWebLlmModel(this.#model, this.#maxBufferBytes);
    const engine = this.#start();
    await loadWebLlmModel(engine, this.#model.modelId, this.#untilStopped, onProgress);
  }

  async chat(request: ChatRequest, options: ChatOptions): Promise<ChatResult> {
    const engine = this.#engine;
    if (!engine) {
      if (this.#crash) throw new GpuDeviceLostError(undefined, { cause: this.#crash });
      throw new Error('The WebLLM model is not loaded.');
    }
    try {
      return await webLlmChat(engine, this.#model.modelId, this.#untilStopped, request, options);
    } catch (error) {
      // A crashed worker took the model with it, as a lost device does: LocalEngine restarts it.
      if (error instanceof WorkerCrashedError) {
        throw new GpuDeviceLostError(undefined, { cause: error });
      }
      throw error;
    }
  }

  terminate(reason: Error = new Error('The WebLLM worker was stopped.')): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#engine = null;
    this.#crash = reason instanceof WorkerCrashedError ? reason : null;
    this.#stopped?.(reason);
  }

  #start(): WebWorkerMLCEngine {
    this.terminate();
    const worker = new Worker(new URL('./webLlm.worker.ts', import.meta.url), { type: 'module' });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      if (worker === this.#worker) this.terminate(new WorkerCrashedError(event.message));
    });
    this.#stoppedPromise = new Promise<never>((_resolve, reject) => {
      this.#stopped = reject;
    });
    this.#stoppedPromise.catch(() => {});
    this.#worker = worker;
    this.#engine = new WebWorkerMLCEngine(worker);
    return this.#engine;
  }
}
