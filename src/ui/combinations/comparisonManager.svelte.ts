// STEPS against its baselines for the combination set shown: compareMethods in the worker on the
// set's taxonomy, k and beam width, stored with the set (so it is there after a reload and can go
// into the dataset card).
import { combinationsBridge } from '../../../workers/bridges';
import type { CombinationSetSummary } from '../../../workers/combinationsApi';
import { WorkerJob } from '../shell/workerJob.svelte';

export class ComparisonManager {
  /** Seed of the random sets (the command line's `steps compare` uses 1 unless told). */
  seed = $state(1);
  readonly job = new WorkerJob();

  get running() {
    return this.job.running;
  }
  get error() {
    return this.job.error;
  }

  /** Compares on `set`'s settings; `stored` receives the set with its comparison. */
  async run(
    set: CombinationSetSummary,
    stored: (set: CombinationSetSummary) => void,
  ): Promise<void> {
    const seed = this.seed;
    await this.job.run(async (call) => {
      const comparison = await combinationsBridge.call('compare', { setId: set.id, seed }, call);
      stored({ ...set, comparison });
    });
  }

  cancel(): void {
    this.job.cancel();
  }
}
