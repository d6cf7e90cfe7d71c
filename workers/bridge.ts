// Main-thread side of a worker (after Squoosh's worker-bridge): one bridge per worker, every
// call takes an AbortSignal, and aborting terminates the worker, which is started again on the
// next call. That is the only cancellation that also stops a tight synchronous loop.
import type { SerializedError, WorkerApi, WorkerReply, WorkerRequest } from './protocol';

/** A failure raised inside the worker, with the worker's error name and message. */
export class WorkerCallError extends Error {
  constructor(serialized: SerializedError) {
    super(serialized.message);
    this.name = serialized.name;
  }
}

/** The call was cancelled by its AbortSignal. */
export class CallCancelledError extends Error {
  constructor() {
    super('Cancelled.');
    this.name = 'AbortError';
  }
}

export interface CallOptions<Progress> {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

export class WorkerBridge<Api extends WorkerApi> {
  #worker: Worker | null = null;
  #pending = new Map<
    string,
    { resolve(v: unknown): void; reject(e: Error): void; onProgress?(p: unknown): void }
  >();
  readonly #createWorker: () => Worker;

  constructor(createWorker: () => Worker) {
    this.#createWorker = createWorker;
  }

  call<K extends keyof Api & string>(
    kind: K,
    content: Api[K]['content'],
    options: CallOptions<Api[K]['progress']> = {},
  ): Promise<Api[K]['result']> {
    const { signal, onProgress } = options;
    if (signal?.aborted) return Promise.reject(new CallCancelledError());
    const worker = this.#ensureWorker();
    const uuid = crypto.randomUUID();
    return new Promise<Api[K]['result']>((resolve, reject) => {
      const onAbort = () => {
        this.terminate(new CallCancelledError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(uuid, {
        resolve: (value) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value as Api[K]['result']);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
        onProgress: onProgress as ((p: unknown) => void) | undefined,
      });
      const request: WorkerRequest<Api, K> = { kind, uuid, content };
      worker.postMessage(request);
    });
  }

  /** Stops the worker; every pending call rejects with `reason`. */
  terminate(reason: Error = new CallCancelledError()): void {
    this.#worker?.terminate();
    this.#worker = null;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const call of pending) call.reject(reason);
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = this.#createWorker();
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      const reply = event.data;
      const call = this.#pending.get(reply.uuid);
      if (!call) return;
      if (reply.kind === 'progress') {
        call.onProgress?.(reply.content);
        return;
      }
      this.#pending.delete(reply.uuid);
      if (reply.kind === 'return') call.resolve(reply.content);
      else call.reject(new WorkerCallError(reply.content));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.terminate(
        new Error(`The worker stopped unexpectedly: ${event.message || 'no detail'}.`),
      );
    };
    this.#worker = worker;
    return worker;
  }
}
