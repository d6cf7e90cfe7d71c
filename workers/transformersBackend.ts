// Main-thread side of the transformers.js worker (llm.worker.ts) for one model: the LocalBackend
// that src/llm/localEngine.ts drives.
import type { ChatOptions, ChatRequest, ChatResult } from '../src/llm/engine';
import { GpuDeviceLostError, restoreLlmError } from '../src/llm/errors';
import type { LocalBackend } from '../src/llm/localEngine';
import { QueueAbortError } from '../src/llm/requestQueue';
import type { DownloadProgress } from '../src/llm/transformersEngine';
import { CallCancelledError, WorkerCrashedError } from './bridge';
import { createLlmBridge } from './bridges';
import type { LoadModelContent } from './llmApi';

export class TransformersWorkerBackend implements LocalBackend {
  readonly #spec: LoadModelContent;
  readonly #bridge = createLlmBridge();

  constructor(spec: LoadModelContent) {
    this.#spec = spec;
  }

  async load(onProgress?: (progress: DownloadProgress) => void): Promise<void> {
    try {
      await this.#bridge.call('load', this.#spec, { onProgress });
    } catch (error) {
      throw llmError(error);
    }
  }

  /** Aborting a running generation ends it after the current token (the worker answers it). */
  async chat(request: ChatRequest, { signal, onToken }: ChatOptions): Promise<ChatResult> {
    try {
      return await this.#bridge.call(
        'generate',
        { request, stream: onToken !== undefined },
        { signal, onProgress: onToken },
      );
    } catch (error) {
      // Cancelled before it was sent: it never started, which LocalEngine answers as aborted.
      if (error instanceof CallCancelledError && signal?.aborted) throw new QueueAbortError();
      throw llmError(error);
    }
  }

  async tokenCounts(texts: readonly string[]): Promise<number[]> {
    try {
      return await this.#bridge.call('countTokens', { texts: [...texts] });
    } catch (error) {
      throw llmError(error);
    }
  }

  terminate(reason?: Error): void {
    this.#bridge.terminate(reason);
  }
}

/**
 * A crashed worker took the model with it, as a lost device does (LocalEngine restarts it); the
 * worker's own errors get their classes back.
 */
function llmError(error: unknown): unknown {
  if (error instanceof WorkerCrashedError)
    return new GpuDeviceLostError(undefined, { cause: error });
  return restoreLlmError(error);
}
