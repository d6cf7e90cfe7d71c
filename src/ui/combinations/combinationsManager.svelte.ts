// State of the Combinations step: search settings, the running search, its stored result.
import type { SearchMode } from '../../core/taxonomy/combinationSearch';
import type { CombinationSetRecord } from '../../storage/taxonomyStore';
import { combinationsBridge } from '../../../workers/bridges';
import { WorkerJob } from '../shell/workerJob.svelte';

export interface CombinationChoice {
  /** k: skills per combination, the start skill included. */
  size: number;
  beamWidth: number;
  mode: SearchMode;
  perStart: number;
}

export class CombinationsManager {
  choice = $state<CombinationChoice>({ size: 3, beamWidth: 10, mode: 'local', perStart: 1 });
  /** The search running in the worker. */
  readonly job = new WorkerJob();
  #result = $state.raw<CombinationSetRecord | null>(null);
  #cached = $state(false);

  get result() {
    return this.#result;
  }
  get cached() {
    return this.#cached;
  }
  get running() {
    return this.job.running;
  }
  get error() {
    return this.job.error;
  }

  async search(taxonomyId: string): Promise<void> {
    const params = { taxonomyId, ...$state.snapshot(this.choice) };
    const outcome = await this.job.run((call) =>
      combinationsBridge.call('combinations', params, call),
    );
    if (outcome.status !== 'done') return;
    this.#result = outcome.value.combinationSet;
    this.#cached = outcome.value.cached;
  }

  cancel(): void {
    this.job.cancel();
  }

  /** Forgets a result that belongs to another taxonomy. */
  keepOnly(taxonomyId: string | null): void {
    if (this.#result && this.#result.taxonomyId !== taxonomyId) this.#result = null;
  }
}
