// State of the Taxonomy step: parameters, the running build, and the corpus's latest taxonomy.
import type { EdgeWeighting } from '../../core/graph/buildSkillGraph';
import type { EntropyMode } from '../../core/taxonomy/entropy';
import {
  getGraph,
  listTaxonomies,
  type TaxonomyParams,
  type TaxonomyRecord,
  type TreeBuilder,
} from '../../storage/taxonomyStore';
import { failureMessage } from '../shell/failure';
import { JobProgress } from '../shell/jobProgress.svelte';
import { taxonomyWorker } from './taxonomyWorker';

export interface TaxonomyChoice {
  levels: number;
  builder: TreeBuilder;
  weighting: EdgeWeighting;
  minCount: number;
  entropyMode: EntropyMode;
}

export class TaxonomyManager {
  choice = $state<TaxonomyChoice>({
    levels: 3,
    builder: 'top-down',
    weighting: 'reference',
    minCount: 1,
    entropyMode: 'standard',
  });
  readonly job = new JobProgress();
  #taxonomy = $state.raw<TaxonomyRecord | null>(null);
  #names = $state.raw<string[]>([]);
  #counts = $state.raw<Int32Array>(new Int32Array(0));
  #running = $state(false);
  #cached = $state(false);
  #error = $state<string | null>(null);
  #abort: AbortController | null = null;
  #corpusId: string | null = null;

  get taxonomy() {
    return this.#taxonomy;
  }
  get names() {
    return this.#names;
  }
  get counts() {
    return this.#counts;
  }
  get running() {
    return this.#running;
  }
  get cached() {
    return this.#cached;
  }
  get error() {
    return this.#error;
  }

  /** Shows the corpus's most recent taxonomy, if any (after a reload, or a corpus switch). */
  async open(corpusId: string | null): Promise<void> {
    if (corpusId === this.#corpusId) return;
    this.#corpusId = corpusId;
    this.#taxonomy = null;
    this.#error = null;
    if (!corpusId) return;
    const [latest] = await listTaxonomies(corpusId);
    if (latest && this.#corpusId === corpusId) await this.#show(latest, true);
  }

  async build(): Promise<void> {
    const corpusId = this.#corpusId;
    if (!corpusId || this.#running) return;
    const params: TaxonomyParams = { corpusId, ...$state.snapshot(this.choice) };
    this.#running = true;
    this.#error = null;
    this.#abort = new AbortController();
    try {
      const { taxonomy, cached } = await taxonomyWorker.call('taxonomy', params, {
        signal: this.#abort.signal,
        onProgress: (progress) => this.job.update(progress),
      });
      await this.#show(taxonomy, cached);
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

  async #show(taxonomy: TaxonomyRecord, cached: boolean) {
    const graph = await getGraph(taxonomy.graphId);
    this.#names = graph?.names ?? [];
    this.#counts = graph?.counts ?? new Int32Array(taxonomy.skillCount);
    this.#taxonomy = taxonomy;
    this.#cached = cached;
    this.choice = {
      levels: taxonomy.levels,
      builder: taxonomy.builder,
      weighting: taxonomy.weighting,
      minCount: taxonomy.minCount,
      entropyMode: taxonomy.entropyMode,
    };
  }
}
