// At most `concurrency` tasks at a time, the rest wait in order (a small semaphore). Local models
// use 1 (one request in flight per model: a second would only compete for the same GPU or core
// and interleave its tokens); OpenAI-compatible servers a few.

/** Thrown by `run` when the signal aborts while the task is still waiting for its turn. */
export class QueueAbortError extends Error {
  constructor() {
    super('The request was cancelled before it started.');
    this.name = 'AbortError';
  }
}

interface Waiter {
  start(): void;
}

export class RequestQueue {
  readonly concurrency: number;
  #running = 0;
  readonly #waiting: Waiter[] = [];

  constructor(concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`concurrency: ${concurrency} is not a positive whole number.`);
    }
    this.concurrency = concurrency;
  }

  /** Tasks running now. */
  get running(): number {
    return this.#running;
  }

  /** Tasks waiting for a free slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Runs `task` once a slot is free; a task whose signal aborts while waiting never starts. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.#acquire(signal);
    try {
      return await task();
    } finally {
      this.#release();
    }
  }

  #acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new QueueAbortError());
    if (this.#running < this.concurrency) {
      this.#running++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          this.#running++;
          resolve();
        },
      };
      const onAbort = () => {
        const index = this.#waiting.indexOf(waiter);
        if (index >= 0) this.#waiting.splice(index, 1);
        reject(new QueueAbortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(waiter);
    });
  }

  #release(): void {
    this.#running--;
    this.#waiting.shift()?.start();
  }
}
