// Main-thread side of the transformers.js worker (workers/llm.worker.ts) for one model.
import { WorkerBridge } from '../../workers/bridge';
import type { LlmApi, LoadModelContent } from '../../workers/llmApi';
import type { ChatOptions, ChatRequest, ChatResult } from './engine';
import { restoreLlmError } from './errors';
import type { LocalBackend } from './localEngine';
import type { DownloadProgress } from './transformersEngine';

export class TransformersWorkerBackend implements LocalBackend {
  readonly #spec: LoadModelContent;
  readonly #bridge = new WorkerBridge<LlmApi>(
    () => new Worker(new URL('../../workers/llm.worker.ts', import.meta.url), { type: 'module' }),
  );

  constructor(spec: LoadModelContent) {
    this.#spec = spec;
  }

  async load(onProgress?: (progress: DownloadProgress) => void): Promise<void> {
    try {
      await this.#bridge.call('load', this.#spec, { onProgress });
    } catch (error) {
      throw restoreLlmError(error);
    }
  }

  async chat(request: ChatRequest, { signal, onToken }: ChatOptions): Promise<ChatResult> {
    const requestId = crypto.randomUUID();
    // Cancelling is a message: terminating the worker would throw the loaded model away.
    const cancel = () => {
      this.#bridge.call('cancel', { requestId }).catch(() => {});
    };
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      const generation = this.#bridge.call(
        'generate',
        { requestId, request, stream: onToken !== undefined },
        { onProgress: onToken },
      );
      if (signal?.aborted) cancel();
      return await generation;
    } catch (error) {
      throw restoreLlmError(error);
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }

  async tokenCounts(texts: readonly string[]): Promise<number[]> {
    try {
      return await this.#bridge.call('countTokens', { texts: [...texts] });
    } catch (error) {
      throw restoreLlmError(error);
    }
  }

  terminate(reason?: Error): void {
    this.#bridge.terminate(reason);
  }
}
