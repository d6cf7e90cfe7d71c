// State of the Combinations step: search settings, the running search, its stored result.
import type { SearchMode } from '../../core/taxonomy/combinationSearch';
import type { CombinationSetRecord } from '../../storage/taxonomyStore';
import { combinationsBridge } from '../../../workers/bridges';
import { failureMessage } from '../shell/failure';
import { JobProgress } from '../shell/jobProgress.svelte';

export interface CombinationChoice {
  /** k: skills per combination, the start skill included. */
  size: number;
  beamWidth: number;
  mode: SearchMode;
  perStart: number;
}

export class CombinationsManager {
  choice = $state<CombinationChoice>({ size: 3, beamWidth: 10, mode: 'local', perStart: 1 });
  readonly job = new JobProgress();
  #result = $state.raw<CombinationSetRecord | null>(null);
  #cached = $state(false);
  #running = $state(false);
  #error = $state<string | null>(null);
  #abort: AbortController | null = null;

  get result() {
    return this.#result;
  }
  get cached() {
    return this.#cached;
  }
  get running() {
    return this.#running;
  }
  get error() {
    return this.#error;
  }

  async search(taxonomyId: string): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#error = null;
    this.#abort = new AbortController();
    try {
      const { combinationSet, cached } = await combinationsBridge.call(
        'combinations',
        { taxonomyId, ...$state.snapshot(this.choice) },
        { signal: this.#abort.signal, onProgress: (progress) => this.job.update(progress) },
      );
      this.#result = combinationSet;
      this.#cached = cached;
    } catch (error) {
      this.#error = failureMessage(error);
    } finally {
      this.#running = false;
      this.#abort = null;
      this.job.clear();
    }
  }

  cancel(): void {
    this.#abort?.abort();
  }

  /** Forgets a result that belongs to another taxonomy. */
  keepOnly(taxonomyId: string | null): void {
    if (this.#result && this.#result.taxonomyId !== taxonomyId) this.#result = null;
  }
}
