// H^T and θ of the taxonomy's graph and builder at 1..K levels, from a worker of their own
// (workers/explore.worker.ts keeps each sweep), to choose how many levels to build.
import type { LevelPoint } from '../../core/explore/levelSweep';
import type { TaxonomySummary } from '../../storage/taxonomyStore';
import { levelSweepBridge } from '../../../workers/bridges';
import { WorkerJob } from '../shell/workerJob.svelte';

/** Levels a sweep goes up to (the Taxonomy step builds at most 6). */
export const SWEEP_LEVELS = 6;

export class LevelSweep {
  readonly job = new WorkerJob();
  #points = $state.raw<LevelPoint[]>([]);
  #of = $state<string | null>(null);

  get points() {
    return this.#points;
  }

  /** The sweep of `taxonomy`'s settings, or nothing when it is another's. */
  pointsOf(taxonomy: TaxonomySummary): LevelPoint[] {
    return this.#of === sweepKey(taxonomy) ? this.#points : [];
  }

  async run(taxonomy: TaxonomySummary): Promise<void> {
    const { corpusId, weighting, minCount, builder, entropyMode } = taxonomy;
    const params = { corpusId, weighting, minCount, builder, entropyMode };
    const outcome = await this.job.run((call) =>
      levelSweepBridge.call('levels', { params, maxLevels: SWEEP_LEVELS }, call),
    );
    if (outcome.status !== 'done') return;
    this.#points = outcome.value;
    this.#of = sweepKey(taxonomy);
  }
}

const sweepKey = (t: TaxonomySummary) => `${t.graphId}|${t.builder}|${t.entropyMode}`;
