// State of the Skills step: the graph settings, the corpus's skill graph as the skills worker
// measured it, the table's order, and the chosen skill's neighbourhood. Everything heavy runs in
// the worker; this keeps what it answered.
import type { EdgeWeighting } from '../../core/graph/buildSkillGraph';
import type { Neighbour, SkillQuery } from '../../core/explore/skillStats';
import type { GraphParams } from '../../storage/taxonomyStore';
import { exploreBridge, skillsBridge } from '../../../workers/bridges';
import type { SkillsOverview } from '../../../workers/skillsApi';
import { failureMessage } from '../shell/failure';
import { WorkerJob } from '../shell/workerJob.svelte';

/** Neighbours the neighbourhood view lists. */
export const NEIGHBOURHOOD_SIZE = 12;

export class SkillsManager {
  settings = $state<{ weighting: EdgeWeighting; minCount: number }>({
    weighting: 'reference',
    minCount: 1,
  });
  readonly job = new WorkerJob();
  #corpusId: string | null = null;
  #overview = $state.raw<SkillsOverview | null>(null);
  #query = $state.raw<SkillQuery>({ sortBy: 'samples', descending: true, filter: '' });
  #order = $state.raw<Int32Array>(new Int32Array(0));
  #selected = $state<number | null>(null);
  #neighbours = $state.raw<Neighbour[]>([]);
  #askError = $state<string | null>(null);
  /** Answers to older questions are dropped when a newer one was asked meanwhile. */
  #orderAsked = 0;
  #neighboursAsked = 0;

  get overview() {
    return this.#overview;
  }
  get query() {
    return this.#query;
  }
  /** The skills the table shows, in its order. */
  get order() {
    return this.#order;
  }
  get selected() {
    return this.#selected;
  }
  get neighbours() {
    return this.#neighbours;
  }
  /** Why sorting or a neighbourhood failed (the overview's failure is `job.error`). */
  get askError() {
    return this.#askError;
  }

  /** Loads the corpus's graph with the settings of its latest taxonomy (else the defaults). */
  async open(corpusId: string): Promise<void> {
    if (corpusId === this.#corpusId) return;
    this.#corpusId = corpusId;
    this.#overview = null;
    this.#selected = null;
    // Summaries, read in the explore worker: whole records would bring their trees to this thread.
    const [latest] = await exploreBridge.call('summaries', { corpusId });
    if (this.#corpusId !== corpusId) return;
    if (latest) this.settings = { weighting: latest.weighting, minCount: latest.minCount };
    await this.load();
  }

  /** Measures the graph under the current settings. */
  async load(): Promise<void> {
    const corpusId = this.#corpusId;
    if (!corpusId) return;
    const params: GraphParams = { corpusId, ...$state.snapshot(this.settings) };
    const outcome = await this.job.run((call) => skillsBridge.call('overview', params, call));
    if (outcome.status !== 'done' || this.#corpusId !== corpusId) return;
    this.#overview = outcome.value;
    this.#selected = null;
    this.#neighbours = [];
    await this.sort(this.#query);
  }

  async sort(query: SkillQuery): Promise<void> {
    const overview = this.#overview;
    if (!overview) return;
    this.#query = query;
    const asked = ++this.#orderAsked;
    try {
      const order = await skillsBridge.call('order', { graph: overview.params, query });
      if (asked === this.#orderAsked && overview === this.#overview) this.#order = order;
    } catch (error) {
      this.#askError = failureMessage(error);
    }
  }

  /** Shows the skill's neighbourhood. */
  async select(skill: number): Promise<void> {
    const overview = this.#overview;
    if (!overview) return;
    this.#selected = skill;
    const asked = ++this.#neighboursAsked;
    try {
      const neighbours = await skillsBridge.call('neighbourhood', {
        graph: overview.params,
        skill,
        limit: NEIGHBOURHOOD_SIZE,
      });
      if (asked === this.#neighboursAsked && overview === this.#overview) {
        this.#neighbours = neighbours;
      }
    } catch (error) {
      this.#askError = failureMessage(error);
    }
  }
}
