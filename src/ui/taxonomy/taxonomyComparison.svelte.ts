// Two stored taxonomies of one corpus side by side: the skills the second puts in another
// top-level community than the first, from the explore worker.
import type { TopLevelChange } from '../../core/explore/compareTaxonomies';
import type { TaxonomySummary } from '../../storage/taxonomyStore';
import { exploreBridge } from '../../../workers/bridges';
import { WorkerJob } from '../shell/workerJob.svelte';

export class TaxonomyComparison {
  readonly job = new WorkerJob();
  #pair = $state.raw<{ first: string; second: string } | null>(null);
  #change = $state.raw<TopLevelChange | null>(null);

  /** The change from `first` to `second`, when that is the pair compared last. */
  changeOf(first: TaxonomySummary, second: TaxonomySummary | undefined): TopLevelChange | null {
    const pair = this.#pair;
    return pair && second && pair.first === first.id && pair.second === second.id
      ? this.#change
      : null;
  }

  async compare(first: TaxonomySummary, second: TaxonomySummary): Promise<void> {
    const pair = { first: first.id, second: second.id };
    const outcome = await this.job.run((call) => exploreBridge.call('compare', pair, call));
    if (outcome.status !== 'done') return;
    this.#pair = pair;
    this.#change = outcome.value;
  }
}
