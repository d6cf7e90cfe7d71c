// State of the Taxonomy step: parameters, the running build, the corpus's latest taxonomy, its
// outline for the explorer (from the explore worker) and the names of its nodes.
import type { EdgeWeighting } from '../../core/graph/buildSkillGraph';
import {
  allocateOutline,
  outlineSlices,
  writeSlice,
  type OutlineShape,
} from '../../core/explore/outlineSlices';
import { PackedNameList } from '../../core/explore/packedNames';
import type { TaxonomyOutline } from '../../core/explore/taxonomyOutline';
import type { EntropyMode } from '../../core/taxonomy/entropy';
import type { TreeBuilderName } from '../../core/steps';
import type { ChatEngine } from '../../llm/engine';
import {
  saveNodeNames,
  type NodeNames,
  type TaxonomyParams,
  type TaxonomySummary,
} from '../../storage/taxonomyStore';
import { exploreBridge, taxonomyBridge } from '../../../workers/bridges';
import { failureMessage } from '../shell/failure';
import { WorkerJob } from '../shell/workerJob.svelte';
import { CommunityNames, nodeTops, treeNodeOf } from './nodeNames';
import { NodeNaming } from './nodeNaming.svelte';

export interface TaxonomyChoice {
  levels: number;
  builder: TreeBuilderName;
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
  /** The tree build running in the worker. */
  readonly job = new WorkerJob();
  readonly naming = new NodeNaming();
  /** The shown taxonomy's summary: its tree stays in the workers, the outline says what is needed. */
  #taxonomy = $state.raw<TaxonomySummary | null>(null);
  #outline = $state.raw<TaxonomyOutline | null>(null);
  #outlineError = $state<string | null>(null);
  #stored = $state.raw<TaxonomySummary[]>([]);
  #skillNames = $state.raw(new PackedNameList());
  #counts = $state.raw<Int32Array>(new Int32Array(0));
  #nodeNames = $state.raw<NodeNames>({});
  #nameError = $state<string | null>(null);
  #cached = $state(false);
  #corpusId: string | null = null;

  get taxonomy() {
    return this.#taxonomy;
  }
  /** The shown taxonomy's skill names, each made a string when read. */
  get skillNames() {
    return this.#skillNames;
  }
  get counts() {
    return this.#counts;
  }
  get running() {
    return this.job.running;
  }
  get cached() {
    return this.#cached;
  }
  get error() {
    return this.job.error;
  }
  /** Stored names by node key (`level:community`). */
  get nodeNames() {
    return this.#nodeNames;
  }
  get nameError() {
    return this.#nameError;
  }
  /** The shown taxonomy's nodes with their measures and members; null until the worker answers. */
  get outline() {
    return this.#outline;
  }
  /** Why the outline could not be made. */
  get outlineError() {
    return this.#outlineError;
  }
  /** Every stored taxonomy of the corpus, newest first. */
  get stored() {
    return this.#stored;
  }

  /** For each community of the outline, the outline node of the tree node it belongs to. */
  readonly #tops = $derived(this.#outline ? nodeTops(this.#outline) : null);
  /** The nodes below the root (a community continued unsplit is one node). */
  readonly nodeCount = $derived.by(() => {
    // A loop, not filter: at 10^6 skills the outline has 1.7M nodes.
    const tops = this.#tops ?? new Int32Array(0);
    let count = 0;
    for (let v = 1; v < tops.length; v++) if (tops[v] === v) count++;
    return count;
  });
  /** The name each community shows, by `level:community`. */
  readonly communityNames = $derived(
    this.#outline && this.#tops
      ? new CommunityNames(this.#outline, this.#tops, this.#skillNames, this.#nodeNames)
      : null,
  );

  /** The tree node whose key (`level:community`) is `key`. */
  nodeAt(key: string) {
    return this.#outline && this.#tops ? treeNodeOf(this.#outline, this.#tops, key) : undefined;
  }

  /** Shows the corpus's most recent taxonomy, if any (after a reload, or a corpus switch). */
  async open(corpusId: string | null): Promise<void> {
    if (corpusId === this.#corpusId) return;
    this.#corpusId = corpusId;
    this.#taxonomy = null;
    this.#outline = null;
    this.#stored = [];
    this.job.clearError();
    if (!corpusId) return;
    // The taxonomy worker's modules load while the user looks at the step, not after the click.
    taxonomyBridge.start();
    const stored = await exploreBridge.call('summaries', { corpusId });
    if (this.#corpusId !== corpusId) return;
    this.#stored = stored;
    const [latest] = stored;
    if (latest && !this.job.running) await this.#show(latest, true);
  }

  async build(): Promise<void> {
    const corpusId = this.#corpusId;
    if (!corpusId || this.naming.running) return;
    const params: TaxonomyParams = { corpusId, ...$state.snapshot(this.choice) };
    let outlined: Promise<void> | undefined;
    await this.job.run(async (call) => {
      const { taxonomy, cached } = await taxonomyBridge.call('taxonomy', params, call);
      // Built for a corpus no longer open: it is stored, and shows when that corpus opens again.
      if (this.#corpusId !== corpusId) return;
      this.#stored = await exploreBridge.call('summaries', { corpusId });
      // The build ends with its summary; the names and the outline follow outside the job.
      outlined = this.#show(taxonomy, cached);
    });
    await outlined;
  }

  cancel(): void {
    this.job.cancel();
  }

  /** Asks `engine` to name the shown taxonomy's nodes (see `NodeNaming`). */
  async nameNodes(engine: ChatEngine): Promise<void> {
    const taxonomy = this.#taxonomy;
    const outline = this.#outline;
    const tops = this.#tops;
    if (!taxonomy || !outline || !tops || this.job.running) return;
    await this.naming.run(
      taxonomy,
      this.#nodeNames,
      outline,
      tops,
      this.#skillNames,
      engine,
      (names) => {
        if (this.#taxonomy?.id === taxonomy.id) this.#nodeNames = names;
      },
    );
  }

  /** The user's name for a node, or, with null, back to its automatic name. */
  async renameNode(node: string, name: string | null): Promise<void> {
    const taxonomy = this.#taxonomy;
    if (!taxonomy) return;
    const text = name?.trim();
    this.#nameError = null;
    try {
      const names = await saveNodeNames(taxonomy.id, {
        [node]: text ? { name: text, source: 'user' } : null,
      });
      if (this.#taxonomy?.id === taxonomy.id) this.#nodeNames = names;
    } catch (error) {
      this.#nameError = failureMessage(error);
    }
  }

  /** Shows `taxonomy` at once; resolves when its names and outline are there, or failed. */
  #show(taxonomy: TaxonomySummary, cached: boolean): Promise<void> {
    this.#outline = null;
    this.#outlineError = null;
    // The summary shows at once; what needs skill names waits for the outline, which is set after
    // the names. The explore worker reads the graph: the main thread never holds it.
    const shape = exploreBridge.call('outline', { taxonomyId: taxonomy.id });
    shape.catch(() => {}); // awaited below unless reading the names fails first
    this.#skillNames = new PackedNameList();
    this.#counts = new Int32Array(taxonomy.skillCount);
    this.#nodeNames = taxonomy.nodeNames ?? {};
    this.#taxonomy = taxonomy;
    this.#cached = cached;
    this.choice = {
      levels: taxonomy.levels,
      builder: taxonomy.builder,
      weighting: taxonomy.weighting,
      minCount: taxonomy.minCount,
      entropyMode: taxonomy.entropyMode,
    };
    return this.#loadOutline(taxonomy, shape);
  }

  async #loadOutline(taxonomy: TaxonomySummary, shape: Promise<OutlineShape>): Promise<void> {
    const taxonomyId = taxonomy.id;
    try {
      const names = new PackedNameList();
      const counts = new Int32Array(taxonomy.skillCount);
      for (let from = 0; from < taxonomy.skillCount; from += SKILL_SLICE) {
        const to = Math.min(from + SKILL_SLICE, taxonomy.skillCount);
        const slice = await exploreBridge.call('skills', { graphId: taxonomy.graphId, from, to });
        if (this.#taxonomy?.id !== taxonomyId) return;
        names.append(slice.names);
        counts.set(slice.counts, from);
      }
      // The outline comes as its names do, a slice per message, into arrays allocated once.
      const lengths = await shape;
      const shown = allocateOutline(lengths);
      const slices = outlineSlices(lengths, OUTLINE_SLICE);
      for (const [i, slice] of slices.entries()) {
        const last = i === slices.length - 1;
        const values = await exploreBridge.call('outlineSlice', { taxonomyId, slice, last });
        if (this.#taxonomy?.id !== taxonomyId) return;
        writeSlice(shown, slice, values);
      }
      this.#skillNames = names;
      this.#counts = counts;
      this.#outline = shown;
    } catch (error) {
      if (this.#taxonomy?.id === taxonomyId) this.#outlineError = failureMessage(error);
    }
  }
}

/** Skills whose names and counts come in one message: each takes a few milliseconds to receive. */
const SKILL_SLICE = 50_000;
/** Elements of an outline array in one message (at most 2 MB). */
const OUTLINE_SLICE = 250_000;
