// State of the Dataset step: the corpus's runs and refs of their valid samples, the export choices,
// an optional curriculum, and the one zip to download (data files, card, manifest). Conversations
// are read from IndexedDB only when shown or exported (storedSamples.ts).
import { curriculumOrder, type CurriculumOrder } from '../../core/export/curriculumOrder';
import {
  datasetFormats,
  type DatasetFormat,
  type RecordShape,
} from '../../core/export/datasetFormats';
import { exportDataset } from '../../core/export/exportDataset';
import type { GeneratedSample } from '../../core/synthesis/generatedSample';
import {
  curriculumSchedule,
  defaultCurriculumWeights,
  type CurriculumSchedule,
} from '../../core/export/curriculum';
import type { CombinationSetRecord, TaxonomySummary } from '../../storage/taxonomyStore';
import type { CorpusRecord, ReviewRecord } from '../../storage/types';
import { SvelteSet } from 'svelte/reactivity';
import { appVersion } from './appVersion';
import { cardFacts, type LoadedRun } from './cardInput';
import { loadDataset } from './datasetData';
import { reviewedRefs, samplesPerK } from './sampleRefs';
import { readSamples, storedSampleSource } from './storedSamples';
import { downloadBlob } from '../shell/download';
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

/** The dataset as published: its name, licence, languages and sources, as the user types them. */
export interface PublishChoice {
  name: string;
  license: string;
  licenseName: string;
  licenseLink: string;
  /** Comma-separated language codes. */
  language: string;
  /** Comma-separated Hub ids. */
  sourceDatasets: string;
}

const list = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

export class DatasetManager {
  /** Chosen formats, in datasetFormats' order. */
  formats = $state<DatasetFormat[]>(['openai', 'parquet']);
  tableShape = $state<RecordShape>('openai');
  includeProvenance = $state(false);
  includeRawOutput = $state(false);
  publish = $state<PublishChoice>({
    name: '',
    license: 'unknown',
    licenseName: '',
    licenseLink: '',
    language: 'en',
    sourceDatasets: '',
  });
  curriculum = $state<CurriculumChoice>({
    enabled: false,
    epochs: 3,
    samplesPerEpoch: 100,
    seed: 1,
  });
  #corpus = $state.raw<CorpusRecord | null>(null);
  #runs = $state.raw<LoadedRun[]>([]);
  #taxonomies = $state.raw<TaxonomySummary[]>([]);
  #combinationSets = $state.raw<CombinationSetRecord[]>([]);
  #reviews = $state.raw<ReadonlyMap<string, ReviewRecord> | null>(null);
  /** Runs left out of the export. */
  readonly #excluded = new SvelteSet<string>();
  #loading = $state(false);
  #error = $state<string | null>(null);
  #expanded = $state<string | null>(null);
  #shown = $state(PAGE);
  /** The first `#shown` samples, read from IndexedDB, as reviewed. */
  #page = $state.raw<GeneratedSample[]>([]);
  #pageError = $state<string | null>(null);
  /** Counts page reads, so that only the latest one is shown. */
  #pageRead = 0;
  /** The user's weight edits; used while their shape still fits epochs × ks. */
  #editedWeights = $state.raw<number[][] | null>(null);
  /** Samples written so far over all files, while a download is being written. */
  #progress = $state<{ written: number; total: number } | null>(null);
  #exportError = $state<string | null>(null);

  readonly #reviewOf = (sampleId: string) => this.#reviews?.get(sampleId);
  #includedRuns = $derived(this.#runs.filter((run) => !this.#excluded.has(run.record.id)));
  /** The included runs' samples as reviewed: rejected ones left out. */
  #reviewed = $derived(
    reviewedRefs(
      this.#includedRuns.flatMap((run) => run.samples),
      this.#reviewOf,
    ),
  );
  #samples = $derived(this.#reviewed.samples);
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
  /** Valid samples of the included runs (refs). */
  get samples() {
    return this.#samples;
  }
  /** The shown page as read so far. */
  get shownSamples() {
    return this.#page;
  }
  /** Samples the page shows once read. */
  get shownCount() {
    return Math.min(this.#shown, this.#samples.length);
  }
  get pageError() {
    return this.#pageError;
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
  get progress() {
    return this.#progress;
  }
  get exportError() {
    return this.#exportError;
  }
  /** Nothing to download, no format, a curriculum that cannot be filled, or a download running. */
  get blocked() {
    return (
      this.#samples.length === 0 ||
      this.formats.length === 0 ||
      this.#plan?.ok === false ||
      this.#progress !== null
    );
  }

  chosen(format: DatasetFormat): boolean {
    return this.formats.includes(format);
  }

  toggleFormat(format: DatasetFormat): void {
    const chosen = this.formats.includes(format)
      ? this.formats.filter((known) => known !== format)
      : [...this.formats, format];
    this.formats = datasetFormats.filter((known) => chosen.includes(known));
  }

  included(runId: string): boolean {
    return !this.#excluded.has(runId);
  }

  /** Loads the corpus's runs with their attempts, and the taxonomies and searches they used. */
  async open(corpus: CorpusRecord | null): Promise<void> {
    this.#corpus = corpus;
    this.publish.name = corpus?.name.replace(/\.(jsonl|ndjson|json|csv|tsv|parquet)$/i, '') ?? '';
    this.#runs = [];
    this.#excluded.clear();
    this.#expanded = null;
    this.#shown = PAGE;
    this.#page = [];
    this.#error = null;
    if (!corpus) return;
    this.#loading = true;
    try {
      const loaded = await loadDataset(corpus.id);
      if (this.#corpus?.id !== corpus.id) return;
      this.#runs = loaded.runs;
      this.#taxonomies = loaded.taxonomies;
      this.#combinationSets = loaded.combinationSets;
      this.#reviews = loaded.reviews;
    } catch (error) {
      this.#error = errorMessage(error);
    } finally {
      this.#loading = false;
    }
    await this.#readPage();
  }

  /**
   * Reads the first `#shown` samples from IndexedDB: only those not read yet, while the rows read
   * are still the first ones (Show more adds a page; another choice of runs may keep a few).
   */
  async #readPage(): Promise<void> {
    const read = ++this.#pageRead;
    const wanted = this.#samples.slice(0, this.#shown);
    const shown = this.#page;
    let same = 0;
    while (same < Math.min(shown.length, wanted.length) && shown[same].id === wanted[same].id) {
      same++;
    }
    this.#pageError = null;
    try {
      const added = await readSamples(wanted.slice(same), this.#reviewOf);
      if (read === this.#pageRead) this.#page = [...shown.slice(0, same), ...added];
    } catch (error) {
      if (read === this.#pageRead) this.#pageError = errorMessage(error);
    }
  }

  async toggleRun(runId: string): Promise<void> {
    if (!this.#excluded.delete(runId)) this.#excluded.add(runId);
    this.#shown = PAGE;
    await this.#readPage();
  }

  toggleExpanded(sampleId: string): void {
    this.#expanded = this.#expanded === sampleId ? null : sampleId;
  }

  async showMore(): Promise<void> {
    this.#shown += PAGE;
    await this.#readPage();
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

  /**
   * Writes the zip and hands it to the browser as a download. The archive is produced as the
   * Response's body is read into a Blob, which the browser keeps (on disk when large), so the
   * zip is never built in JavaScript memory.
   */
  async download(): Promise<void> {
    const corpus = this.#corpus;
    if (!corpus || this.blocked) return;
    this.#exportError = null;
    const plan = this.#plan;
    const samples = storedSampleSource(
      {
        runIds: this.#includedRuns.map((run) => run.record.id),
        samples: this.#samples,
        reviewOf: this.#reviewOf,
      },
      plan?.ok ? plan.order : null,
    );
    const { publish } = this;
    try {
      const archive = exportDataset({
        samples,
        formats: this.formats,
        tableShape: this.tableShape,
        includeProvenance: this.includeProvenance,
        includeRawOutput: this.includeProvenance && this.includeRawOutput,
        dataset: {
          name: publish.name,
          license: {
            id: publish.license,
            ...(publish.license === 'other' && {
              name: publish.licenseName.trim(),
              ...(publish.licenseLink.trim() && { link: publish.licenseLink.trim() }),
            }),
          },
          language: list(publish.language),
          sourceDatasets: list(publish.sourceDatasets),
        },
        facts: cardFacts({
          corpus,
          runs: this.#includedRuns,
          taxonomies: this.#taxonomies,
          combinationSets: this.#combinationSets,
          validPerK: this.#perK,
          curriculum: plan?.ok
            ? {
                epochs: this.curriculum.epochs,
                samplesPerEpoch: this.curriculum.samplesPerEpoch,
                seed: this.curriculum.seed,
                ks: plan.schedule.ks,
                weights: plan.schedule.weights,
                counts: plan.order.epochs.map((epoch) => epoch.counts),
                shortfalls: plan.order.shortfalls,
                perK: plan.order.perK,
              }
            : null,
        }),
        review: this.#reviewed.review,
        appVersion,
        onProgress: (written, total) => (this.#progress = { written, total }),
      });
      this.#progress = { written: 0, total: samples.count * this.formats.length };
      const response = new Response(archive.stream, {
        headers: { 'Content-Type': 'application/zip' },
      });
      const blob = await response.blob();
      downloadBlob(archive.fileName, blob);
    } catch (error) {
      this.#exportError = errorMessage(error);
    } finally {
      this.#progress = null;
    }
  }
}
