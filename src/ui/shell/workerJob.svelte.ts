// One-shot jobs in a worker (an import, a tree build, a combination search): whether one runs,
// its progress and time left, why it failed, and cancelling it. One job at a time.
import { failureMessage } from './failure';

/** Units done and in all within a named phase (the phase is shown as text). */
export interface PhaseProgress {
  phase: string;
  done: number;
  total: number;
}

/** Progress of one long job, with a rate and time left from the current phase. */
export class JobProgress {
  #progress = $state.raw<PhaseProgress | null>(null);
  #phaseStartedAt = 0;
  #now = $state(0);

  get current() {
    return this.#progress;
  }

  get fraction(): number {
    const p = this.#progress;
    return p && p.total > 0 ? p.done / p.total : 0;
  }

  /** Seconds from the start of the current phase to its latest progress. */
  get elapsedSeconds(): number {
    return (this.#now - this.#phaseStartedAt) / 1000;
  }

  /** Seconds left in the current phase; null until there is a rate to go by. */
  get etaSeconds(): number | null {
    const p = this.#progress;
    const elapsed = this.elapsedSeconds;
    if (!p || p.done === 0 || elapsed <= 0) return null;
    return ((p.total - p.done) * elapsed) / p.done;
  }

  update(progress: PhaseProgress): void {
    const now = performance.now();
    if (progress.phase !== this.#progress?.phase) this.#phaseStartedAt = now;
    this.#now = now;
    this.#progress = progress;
  }

  clear(): void {
    this.#progress = null;
  }
}

/** How a job ended; `busy`: another job was running, so this one never started. */
export type JobOutcome<T> =
  | { status: 'done'; value: T }
  | { status: 'cancelled' }
  | { status: 'failed'; error: unknown }
  | { status: 'busy' };

/** What a job's task gets: the signal that cancels it, and where to report progress. */
export interface JobCall {
  signal: AbortSignal;
  onProgress: (progress: PhaseProgress) => void;
}

export class WorkerJob extends JobProgress {
  #running = $state(false);
  #error = $state<string | null>(null);
  #abort: AbortController | null = null;

  get running() {
    return this.#running;
  }
  /** Why the last job failed, or `Cancelled.`; null while one runs and after one succeeded. */
  get error() {
    return this.#error;
  }

  /** Runs `task` (typically one bridge call) unless a job runs already. */
  async run<T>(task: (call: JobCall) => Promise<T>): Promise<JobOutcome<T>> {
    if (this.#running) return { status: 'busy' };
    const abort = new AbortController();
    this.#abort = abort;
    this.#running = true;
    this.#error = null;
    try {
      const value = await task({ signal: abort.signal, onProgress: (p) => this.update(p) });
      return { status: 'done', value };
    } catch (error) {
      if (abort.signal.aborted) {
        this.#error = 'Cancelled.';
        return { status: 'cancelled' };
      }
      this.#error = failureMessage(error);
      return { status: 'failed', error };
    } finally {
      this.#running = false;
      this.#abort = null;
      this.clear();
    }
  }

  cancel(): void {
    this.#abort?.abort();
  }

  /** Forgets the last job's error (what it was about is no longer shown). */
  clearError(): void {
    this.#error = null;
  }
}
