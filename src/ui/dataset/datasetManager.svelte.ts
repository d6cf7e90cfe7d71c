// State of the Dataset step: the corpus's runs and valid samples, the export choices, an optional
// curriculum, and the files to download.
import { curriculumOrder, type CurriculumOrder } from '../../core/export/curriculumOrder';
import { datasetCard } from '../../core/export/datasetCard';
import {
  datasetFileName,
  exportLines,
  jsonlText,
  type DatasetFormat,
} from '../../core/export/datasetFormats';
import {
  curriculumSchedule,
  defaultCurriculumWeights,
  type CurriculumSchedule,
} from '../../core/export/curriculum';
import type { CombinationSetRecord, TaxonomyRecord } from '../../storage/taxonomyStore';
import type { CorpusRecord } from '../../storage/types';
import { SvelteSet } from 'svelte/reactivity';
import { cardInput, type LoadedRun } from './cardInput';
import { inCurriculumOrder, loadDataset, samplesPerK } from './datasetData';
import { errorMessage } from '../../core/errorMessage';

export interface CurriculumChoice {
  enabled: boolean;
  epochs: number;
  samplesPerEpoch: number;
  seed: number;
}

export type CurriculumPlan =
  { ok: true; schedule: CurriculumSchedule; order: CurriculumOrder } | { ok: false; error: string };

/** Larger curricula would build files of gigabytes in the page. */
const MAX_EPOCHS = 100;
const MAX_CURRICULUM_LINES = 1_000_000;
const PAGE = 100;

export interface DatasetFile {
  name: string;
  text: string;
}

export class DatasetManager {
  format = $state<DatasetFormat>('openai');
  includeProvenance = $state(false);
  includeRawOutput = $state(false);
  curriculum = $state<CurriculumChoice>({
    enabled: false,
    epochs: 3,
    samplesPerEpoch: 100,
    seed: 1,
  });
  #corpus = $state.raw<CorpusRecord | null>(null);
  #runs = $state.raw<LoadedRun[]>([]);
  #taxonomies = $state.raw<TaxonomyRecord[]>([]);
  #combinationSets = $state.raw<CombinationSetRecord[]>([]);
  /** Runs left out of the export. */
  readonly #excluded = new SvelteSet<string>();
  #loading = $state(false);
  #error = $state<string | null>(null);
  #expanded = $state<string | null>(null);
  #shown = $state(PAGE);
  /** The user's weight edits; used while their shape still fits epochs × ks. */
  #editedWeights = $state.raw<number[][] | null>(null);

  #samples = $derived(
    this.#runs.filter((run) => !this.#excluded.has(run.record.id)).flatMap((run) => run.samples),
  );
  #perK = $derived(samplesPerK(this.#samples));
  #weights = $derived.by(() => {
    const { epochs } = this.curriculum;
    const kCount = this.#perK.length;
    if (!Number.isInteger(epochs) || epochs < 1 || epochs > MAX_EPOCHS) return [];
    const edited = this.#editedWeights;
    const fits = edited?.length === epochs && edited.every((row) => row.length === kCount);
    return fits ? edited : defaultCurriculumWeights(epochs, kCount);
  });
  #plan = $derived.by((): CurriculumPlan | null => {
    const { enabled, epochs, samplesPerEpoch, seed } = this.curriculum;
    if (!enabled || this.#samples.length === 0) return null;
    // The fields' own names; an emptied number field holds null.
    const whole = (value: number) => typeof value === 'number' && Number.isInteger(value);
    const fail = (error: string): CurriculumPlan => ({ ok: false, error });
    if (!whole(epochs) || epochs < 1 || epochs > MAX_EPOCHS) {
      return fail(`Epochs: enter a whole number from 1 to ${MAX_EPOCHS}.`);
    }
    if (!whole(samplesPerEpoch) || samplesPerEpoch < 0) {
      return fail('Samples per epoch: enter a whole number of 0 or more.');
    }
    if (epochs * samplesPerEpoch > MAX_CURRICULUM_LINES) {
      return fail(
        `Epochs × samples per epoch: at most ${MAX_CURRICULUM_LINES.toLocaleString()} lines.`,
      );
    }
    if (!whole(seed)) return fail('Seed: enter a whole number.');
    const ks = this.#perK.map((row) => row.k);
    for (const [epoch, row] of this.#weights.entries()) {
      const bad = row.findIndex((w) => !Number.isFinite(w) || w < 0);
      if (bad >= 0) {
        return fail(`Weight of k = ${ks[bad]} in epoch ${epoch + 1}: enter a number of 0 or more.`);
      }
      if (row.every((w) => w === 0))
        return fail(`Epoch ${epoch + 1}: give some k a weight above 0.`);
    }
    try {
      const schedule = curriculumSchedule({
        epochs,
        samplesPerEpoch,
        ks,
        weights: this.#weights,
        seed,
      });
      return { ok: true, schedule, order: curriculumOrder(this.#samples, schedule, seed) };
    } catch (error) {
      return { ok: false, error: errorMessage(error) };
    }
  });

  get runs() {
    return this.#runs;
  }
  get loading() {
    return this.#loading;
  }
  get error() {
    return this.#error;
  }
  get expanded() {
    return this.#expanded;
  }
  /** Valid samples of the included runs. */
  get samples() {
    return this.#samples;
  }
  get shownSamples() {
    return this.#samples.slice(0, this.#shown);
  }
  get perK() {
    return this.#perK;
  }
  get weights() {
    return this.#weights;
  }
  get plan() {
    return this.#plan;
  }
  /** Nothing to download, or a curriculum that cannot be filled. */
  get blocked() {
    return this.#samples.length === 0 || this.#plan?.ok === false;
  }

  included(runId: string): boolean {
    return !this.#excluded.has(runId);
  }

  /** Loads the corpus's runs with their attempts, and the taxonomies and searches they used. */
  async open(corpus: CorpusRecord | null): Promise<void> {
    this.#corpus = corpus;
    this.#runs = [];
    this.#excluded.clear();
    this.#expanded = null;
    this.#shown = PAGE;
    this.#error = null;
    if (!corpus) return;
    this.#loading = true;
    try {
      const loaded = await loadDataset(corpus.id);
      if (this.#corpus?.id !== corpus.id) return;
      this.#runs = loaded.runs;
      this.#taxonomies = loaded.taxonomies;
      this.#combinationSets = loaded.combinationSets;
    } catch (error) {
      this.#error = errorMessage(error);
    } finally {
      this.#loading = false;
    }
  }

  toggleRun(runId: string): void {
    if (!this.#excluded.delete(runId)) this.#excluded.add(runId);
    this.#shown = PAGE;
  }

  toggleExpanded(sampleId: string): void {
    this.#expanded = this.#expanded === sampleId ? null : sampleId;
  }

  showMore(): void {
    this.#shown += PAGE;
  }

  setWeight(epoch: number, kIndex: number, value: number): void {
    const weights = this.#weights.map((row) => [...row]);
    if (!weights[epoch] || kIndex >= weights[epoch].length) return;
    weights[epoch][kIndex] = value;
    this.#editedWeights = weights;
  }

  resetWeights(): void {
    this.#editedWeights = null;
  }

  /** The JSONL file and what the card needs to know about it. */
  #build() {
    const corpus = this.#corpus;
    if (!corpus || this.blocked) return null;
    const plan = this.#plan;
    const samples = plan?.ok ? inCurriculumOrder(this.#samples, plan.order) : this.#samples;
    const options = {
      format: this.format,
      includeProvenance: this.includeProvenance,
      includeRawOutput: this.includeProvenance && this.includeRawOutput,
    };
    const { lines, foldedMultiTurn } = exportLines(samples, options);
    return {
      corpus,
      plan: plan?.ok ? plan : null,
      file: { name: datasetFileName(corpus.name, this.format), lines, foldedMultiTurn, options },
    };
  }

  datasetFile(): DatasetFile | null {
    const built = this.#build();
    return built && { name: built.file.name, text: jsonlText(built.file.lines) };
  }

  cardFile(): DatasetFile | null {
    const built = this.#build();
    if (!built) return null;
    const { corpus, plan, file } = built;
    const included = this.#runs.filter((run) => this.included(run.record.id));
    const input = cardInput({
      corpus,
      runs: included,
      taxonomies: this.#taxonomies,
      combinationSets: this.#combinationSets,
      file: {
        name: file.name,
        format: file.options.format,
        lines: file.lines.length,
        includeProvenance: file.options.includeProvenance,
        includeRawOutput: file.options.includeRawOutput,
        foldedMultiTurn: file.foldedMultiTurn,
      },
      validPerK: this.#perK,
      curriculum: plan && {
        epochs: this.curriculum.epochs,
        samplesPerEpoch: this.curriculum.samplesPerEpoch,
        seed: this.curriculum.seed,
        ks: plan.schedule.ks,
        weights: plan.schedule.weights,
        counts: plan.order.epochs.map((epoch) => epoch.counts),
        shortfalls: plan.order.shortfalls,
        perK: plan.order.perK,
      },
    });
    return { name: 'README.md', text: datasetCard(input) };
  }
}
