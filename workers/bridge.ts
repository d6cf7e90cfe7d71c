// Main-thread side of a worker (after Squoosh's worker-bridge): one bridge per worker API; calls
// run one at a time in order, and every call takes an AbortSignal. Aborting a call that waits
// removes just that call. Aborting the running call stops just that call: a stateless worker is
// terminated (the only way to stop a tight synchronous loop) and the next call starts a new one;
// a stateful worker (a loaded model) gets an `abort` message instead (workers/protocol.ts), and
// the call settles with the worker's answer.
import type {
  AbortRequest,
  SerializedError,
  WorkerApi,
  WorkerReply,
  WorkerRequest,
} from './protocol';

/** A failure raised inside the worker, with the worker's error name and message. */
export class WorkerCallError extends Error {
  constructor(serialized: SerializedError) {
    super(serialized.message);
    this.name = serialized.name;
  }
}

/** The call was cancelled by its AbortSignal before the worker answered it. */
export class CallCancelledError extends Error {
  constructor() {
    super('Cancelled.');
    this.name = 'AbortError';
  }
}

/** The worker failed outside any handler (an uncaught error, a script that did not load). */
export class WorkerCrashedError extends Error {
  constructor(detail: string) {
    super(`The worker stopped unexpectedly: ${detail || 'no detail'}.`);
    this.name = 'WorkerCrashedError';
  }
}

/** The parts of a Worker the bridge uses (a DOM Worker has them). */
export interface WorkerEndpoint {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: 'message', listener: (event: { data: WorkerReply }) => void): void;
  addEventListener(
    type: 'error',
    listener: (event: { message: string; preventDefault(): void }) => void,
  ): void;
}

export interface BridgeOptions {
  /**
   * The worker holds state worth keeping (a loaded model): the running call is stopped by an
   * `abort` message, never by terminating, and after a crash every call fails with
   * WorkerCrashedError until `terminate()`, since a fresh worker would not have that state.
   */
  stateful?: boolean;
}

export interface CallOptions<Progress> {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

interface Call {
  request: WorkerRequest<WorkerApi>;
  onProgress?: (progress: unknown) => void;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

export class WorkerBridge<Api extends WorkerApi & { abort?: never }> {
  readonly #createWorker: () => WorkerEndpoint;
  readonly #stateful: boolean;
  #worker: WorkerEndpoint | null = null;
  #running: Call | null = null;
  readonly #waiting: Call[] = [];
  /** Why a stateful worker is gone; cleared by `terminate()`. */
  #crash: WorkerCrashedError | null = null;

  constructor(createWorker: () => WorkerEndpoint, options: BridgeOptions = {}) {
    this.#createWorker = createWorker;
    this.#stateful = options.stateful ?? false;
  }

  call<K extends keyof Api & string>(
    kind: K,
    content: Api[K]['content'],
    options: CallOptions<Api[K]['progress']> = {},
  ): Promise<Api[K]['result']> {
    const { signal, onProgress } = options;
    if (signal?.aborted) return Promise.reject(new CallCancelledError());
    return new Promise<Api[K]['result']>((resolve, reject) => {
      const onAbort = () => this.#abort(call);
      const settled = () => signal?.removeEventListener('abort', onAbort);
      const call: Call = {
        request: { kind, uuid: crypto.randomUUID(), content },
        onProgress: onProgress as ((progress: unknown) => void) | undefined,
        resolve: (result) => {
          settled();
          resolve(result as Api[K]['result']);
        },
        reject: (error) => {
          settled();
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(call);
      this.#next();
    });
  }

  /**
   * Starts the worker now, if it is not running, so that a first call finds its modules loaded
   * (a worker takes tens of milliseconds to start). A crashed stateful worker stays down.
   */
  start(): void {
    if (!this.#crash) this.#ensureWorker();
  }

  /** Stops the worker; the running call and every waiting one reject with `reason`. */
  terminate(reason: Error = new CallCancelledError()): void {
    this.#discardWorker();
    this.#crash = null;
    const calls = [...(this.#running ? [this.#running] : []), ...this.#waiting.splice(0)];
    this.#running = null;
    for (const call of calls) call.reject(reason);
  }

  #next(): void {
    while (!this.#running && this.#waiting.length > 0) {
      const call = this.#waiting.shift()!;
      if (this.#crash) {
        call.reject(this.#crash);
        continue;
      }
      this.#running = call;
      this.#ensureWorker().postMessage(call.request);
    }
  }

  #abort(call: Call): void {
    const waiting = this.#waiting.indexOf(call);
    if (waiting >= 0) {
      this.#waiting.splice(waiting, 1);
      call.reject(new CallCancelledError());
    } else if (call === this.#running) {
      if (this.#stateful) {
        const abort: AbortRequest = { kind: 'abort', uuid: call.request.uuid, content: null };
        this.#worker?.postMessage(abort);
        return;
      }
      this.#discardWorker();
      this.#finish(call, () => call.reject(new CallCancelledError()));
    }
  }

  /** Ends the running call with `settle` and starts the next one. */
  #finish(call: Call, settle: () => void): void {
    this.#running = null;
    settle();
    this.#next();
  }

  #ensureWorker(): WorkerEndpoint {
    if (this.#worker) return this.#worker;
    const worker = this.#createWorker();
    worker.addEventListener('message', (event) => {
      const reply = event.data;
      const call = this.#running;
      if (worker !== this.#worker || !call || reply.uuid !== call.request.uuid) return;
      if (reply.kind === 'progress') call.onProgress?.(reply.content);
      else if (reply.kind === 'return') this.#finish(call, () => call.resolve(reply.content));
      else this.#finish(call, () => call.reject(new WorkerCallError(reply.content)));
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      if (worker !== this.#worker) return;
      const crash = new WorkerCrashedError(event.message);
      this.#discardWorker();
      if (this.#stateful) this.#crash = crash;
      const call = this.#running;
      if (call) this.#finish(call, () => call.reject(crash));
    });
    this.#worker = worker;
    return worker;
  }

  #discardWorker(): void {
    this.#worker?.terminate();
    this.#worker = null;
  }
}
