// State of the Combinations step: search settings, the running search, the taxonomy's stored
// combination sets (the newest shown after a reload) and the page of rows shown. Sets can hold a
// hundred thousand rows: the worker keeps them and sends one page at a time.
import { localSearchModes, type SearchMode } from '../../core/taxonomy/combinationSearch';
import type { CombinationParams, TaxonomySummary } from '../../storage/taxonomyStore';
import { combinationsBridge, exploreBridge } from '../../../workers/bridges';
import type {
  CombinationDetails,
  CombinationRow,
  CombinationSetSummary,
} from '../../../workers/combinationsApi';
import { failureMessage } from '../shell/failure';
import { WorkerJob } from '../shell/workerJob.svelte';

export interface CombinationChoice {
  /** k: skills per combination, the start skill included. */
  size: number;
  beamWidth: number;
  mode: SearchMode;
  perStart: number;
  /** Coherence scope of the local modes: 0 = no limit. */
  scope: number;
  /** Leave out the sets carried by `frequentThreshold` samples or more. */
  leaveOutFrequent: boolean;
  frequentThreshold: number;
}

/** Rows per page of the table. */
export const PAGE_SIZE = 50;

export class CombinationsManager {
  choice = $state<CombinationChoice>({
    size: 3,
    beamWidth: 10,
    mode: 'local',
    perStart: 1,
    scope: 0,
    leaveOutFrequent: false,
    frequentThreshold: 2,
  });
  /** The search (or the reading of stored sets) running in the worker. */
  readonly job = new WorkerJob();
  #corpusId: string | null = null;
  #taxonomyId: string | null = null;
  #taxonomies = $state.raw<TaxonomySummary[]>([]);
  #sets = $state.raw<CombinationSetSummary[]>([]);
  #shown = $state.raw<CombinationSetSummary | null>(null);
  #cached = $state(false);
  #page = $state(0);
  #rows = $state.raw<CombinationRow[]>([]);
  #rowsError = $state<string | null>(null);

  /** The corpus's taxonomies, newest first: the ones the step can use. */
  get taxonomies() {
    return this.#taxonomies;
  }
  /** The taxonomy's stored sets, newest first. */
  get sets() {
    return this.#sets;
  }
  /** The set shown: the newest, the one found last, or the one chosen. */
  get shown() {
    return this.#shown;
  }
  /** The set shown was stored before with the same settings. */
  get cached() {
    return this.#cached;
  }
  get page() {
    return this.#page;
  }
  get pages() {
    return Math.max(1, Math.ceil((this.#shown?.rows ?? 0) / PAGE_SIZE));
  }
  /** The rows of the page shown, with their counts in the corpus. */
  get rows() {
    return this.#rows;
  }
  get rowsError() {
    return this.#rowsError;
  }
  get running() {
    return this.job.running;
  }
  get error() {
    return this.job.error;
  }

  /** Shows the taxonomy's newest stored set, if any (after a reload, or another taxonomy). */
  async open(corpusId: string | null, taxonomyId: string | null): Promise<void> {
    if (taxonomyId === this.#taxonomyId) return;
    this.#taxonomyId = taxonomyId;
    this.#corpusId = corpusId;
    this.#sets = [];
    this.#show(null, false);
    this.job.clearError();
    if (!corpusId || !taxonomyId) return;
    // A taxonomy asked for while another is being read (a reload opens the newest, then the one
    // in the address) finds this job busy: the job reads again until it has read the last asked.
    await this.job.run(async (call) => {
      for (;;) {
        const [corpus, taxonomy] = [this.#corpusId, this.#taxonomyId];
        if (!corpus || !taxonomy) return;
        // Summaries read in the explore worker: a 10^6-skill taxonomy's whole record takes the
        // main thread long to receive.
        const taxonomies = await exploreBridge.call('summaries', { corpusId: corpus }, call);
        if (this.#taxonomyId !== taxonomy) continue;
        this.#taxonomies = taxonomies;
        const sets = await combinationsBridge.call(
          'sets',
          { corpusId: corpus, taxonomyId: taxonomy },
          call,
        );
        if (this.#taxonomyId !== taxonomy) continue;
        this.#sets = sets;
        if (sets[0]) this.#show(sets[0], true);
        // Readies the taxonomy for a search while the user sets it up (after the rows asked for
        // above); outside the job, as nothing waits for it: a search reports any failure itself.
        combinationsBridge.call('open', { taxonomyId: taxonomy }).catch(() => {});
        return;
      }
    });
  }

  async search(): Promise<void> {
    const taxonomyId = this.#taxonomyId;
    if (!taxonomyId) return;
    const { leaveOutFrequent, frequentThreshold, scope, ...search } = $state.snapshot(this.choice);
    const params: CombinationParams = {
      taxonomyId,
      ...search,
      // The scope applies to the local searches only; the others always reach the root.
      scope: localSearchModes.includes(search.mode) ? scope : 0,
      ...(leaveOutFrequent && { frequentThreshold }),
    };
    await this.job.run(async (call) => {
      const { set, cached } = await combinationsBridge.call('combinations', params, call);
      if (this.#taxonomyId !== taxonomyId) return;
      this.#sets = [set, ...this.#sets.filter((other) => other.id !== set.id)];
      this.#show(set, cached);
    });
  }

  /** Shows another stored set of the taxonomy. */
  choose(setId: string): void {
    const set = this.#sets.find((other) => other.id === setId);
    if (set) this.#show(set, true);
  }

  cancel(): void {
    this.job.cancel();
  }

  async goToPage(page: number): Promise<void> {
    const set = this.#shown;
    if (!set) return;
    const target = Math.min(Math.max(0, page), this.pages - 1);
    this.#rowsError = null;
    try {
      const rows = await combinationsBridge.call('rows', {
        setId: set.id,
        offset: target * PAGE_SIZE,
        limit: PAGE_SIZE,
      });
      if (this.#shown?.id !== set.id) return;
      this.#page = target;
      this.#rows = rows;
    } catch (error) {
      this.#rowsError = failureMessage(error);
    }
  }

  /** How often each skill of a shown combination, and each pair of them, occurs in the corpus. */
  details(skills: number[]): Promise<CombinationDetails> {
    const set = this.#shown;
    if (!set) return Promise.reject(new Error('No combinations are shown.'));
    return combinationsBridge.call('details', { setId: set.id, skills });
  }

  /** Keeps the shown set's comparison with it once the comparison is stored. */
  withComparison(set: CombinationSetSummary): void {
    this.#sets = this.#sets.map((other) => (other.id === set.id ? set : other));
    if (this.#shown?.id === set.id) this.#shown = set;
  }

  #show(set: CombinationSetSummary | null, cached: boolean) {
    this.#shown = set;
    this.#cached = cached;
    this.#page = 0;
    this.#rows = [];
    this.#rowsError = null;
    if (!set) return;
    this.choice = {
      size: set.size,
      beamWidth: set.beamWidth,
      mode: set.mode,
      perStart: set.perStart,
      scope: set.scope ?? 0,
      leaveOutFrequent: set.frequentThreshold !== undefined,
      frequentThreshold: set.frequentThreshold ?? this.choice.frequentThreshold,
    };
    void this.goToPage(0);
  }
}
