// State of the Review step: a corpus's generated samples with their reviews, the filter over them,
// the sample in view with the corpus examples it was made from, and the review actions (accept,
// reject, edit, the same verdict for a whole filter), each stored the moment it is taken.
import { errorMessage } from '../../core/errorMessage';
import type { ChatMessage, Sample } from '../../core/corpus/sample';
import {
  currentMessages,
  reviewState,
  summarise,
  type ReviewState,
  type ReviewSummary,
  type ReviewVerdict,
} from '../../core/review/reviewOutcome';
import type { GeneratedSample } from '../../core/synthesis/generatedSample';
import { getSample } from '../../storage/corpusStore';
import { listReviews, runSamples, saveReviews } from '../../storage/reviewStore';
import { listRuns } from '../../storage/synthesisStore';
import type { ReviewRecord } from '../../storage/types';
import { anyFilter, filterOptions, sampleMatcher, type ReviewFilter } from './sampleFilter';

/** What the manager reads and writes; the browser's stores unless a test gives its own. */
export interface ReviewStorage {
  listRuns(corpusId: string): Promise<{ id: string }[]>;
  runSamples(runId: string): Promise<GeneratedSample[]>;
  listReviews(corpusId: string): Promise<ReviewRecord[]>;
  saveReviews(records: readonly ReviewRecord[]): Promise<void>;
  corpusSample(corpusId: string, id: string): Promise<Sample>;
}

const browserStorage: ReviewStorage = {
  listRuns,
  runSamples,
  listReviews,
  saveReviews,
  corpusSample: getSample,
};

/** A corpus example a generated sample was made from, or why it could not be read. */
export interface SourceExample {
  id: string;
  sample: Sample | null;
  error: string | null;
}

/** The keys the step answers to, as the screen lists them. */
export const reviewShortcuts = [
  { keys: 'j / ↓', action: 'next sample' },
  { keys: 'k / ↑', action: 'previous sample' },
  { keys: 'a', action: 'accept' },
  { keys: 'r', action: 'reject' },
  { keys: 'e', action: 'edit' },
  { keys: 'o', action: 'show or hide the original of an edited sample' },
  { keys: 'Ctrl+Enter', action: 'save the edit' },
  { keys: 'Escape', action: 'cancel the edit or the bulk action' },
] as const;

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

const sameMessages = (a: readonly ChatMessage[], b: readonly ChatMessage[]) =>
  a.length === b.length && a.every((m, i) => m.role === b[i].role && m.content === b[i].content);

export class ReviewManager {
  readonly #storage: ReviewStorage;
  #corpusId = $state<string | null>(null);
  #samples = $state.raw<GeneratedSample[]>([]);
  #runIds = $state.raw<string[]>([]);
  // A plain map and a revision number rather than a reactive map: the filter and the counts read
  // every sample's review, and one dependency beats 100,000.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- `#revision` tracks its changes
  readonly #reviews = new Map<string, ReviewRecord>();
  #revision = $state(0);
  #filter = $state<ReviewFilter>({ ...anyFilter });
  #currentId = $state<string | null>(null);
  #draft = $state<ChatMessage[] | null>(null);
  #originalShown = $state(false);
  #pendingBulk = $state<ReviewVerdict | null>(null);
  #sources = $state.raw<{ sampleId: string; examples: SourceExample[] } | null>(null);
  #loading = $state(false);
  #error = $state<string | null>(null);

  #matches = $derived.by(() => {
    void this.#revision;
    return sampleMatcher(this.#filter, (id) => this.#reviews.get(id));
  });
  #filtered = $derived(this.#samples.filter(this.#matches));
  #position = $derived.by(() => {
    const at = this.#filtered.findIndex((sample) => sample.id === this.#currentId);
    return at >= 0 ? at : this.#filtered.length > 0 ? 0 : -1;
  });
  #summary = $derived.by((): ReviewSummary => {
    void this.#revision;
    return summarise(this.#samples, (id) => this.#reviews.get(id));
  });
  #options = $derived({ ...filterOptions(this.#samples), runs: this.#runIds });

  constructor(storage: ReviewStorage = browserStorage) {
    this.#storage = storage;
  }

  get loading() {
    return this.#loading;
  }
  get error() {
    return this.#error;
  }
  /** Every generated sample of the corpus's runs. */
  get total() {
    return this.#samples.length;
  }
  get filter(): ReviewFilter {
    return this.#filter;
  }
  /** The samples the filter lets through, in run and attempt order. */
  get filtered(): readonly GeneratedSample[] {
    return this.#filtered;
  }
  /** Index of the sample in view within `filtered`; -1 when nothing passes the filter. */
  get position() {
    return this.#position;
  }
  get current(): GeneratedSample | null {
    return this.#filtered[this.#position] ?? null;
  }
  get summary() {
    return this.#summary;
  }
  get options() {
    return this.#options;
  }
  /** The messages being edited, bound to the editor; null when not editing. */
  get draft() {
    return this.#draft;
  }
  get editing() {
    return this.#draft !== null;
  }
  get originalShown() {
    return this.#originalShown;
  }
  /** The verdict waiting for the user's confirmation, for every sample in the filter. */
  get pendingBulk() {
    return this.#pendingBulk;
  }
  /** The corpus examples of the sample in view, once read. */
  get sources(): SourceExample[] | null {
    const current = this.current;
    return current && this.#sources?.sampleId === current.id ? this.#sources.examples : null;
  }

  review(sampleId: string): ReviewRecord | undefined {
    void this.#revision;
    return this.#reviews.get(sampleId);
  }
  stateOf(sampleId: string): ReviewState {
    return reviewState(this.review(sampleId));
  }
  /** The conversation as it is now (its latest edit, else as generated). */
  messagesOf(sample: GeneratedSample): ChatMessage[] {
    return currentMessages(sample, this.review(sample.id));
  }

  /** Reads the corpus's generated samples and their reviews. */
  async open(corpusId: string | null): Promise<void> {
    this.#corpusId = corpusId;
    this.#samples = [];
    this.#runIds = [];
    this.#reviews.clear();
    this.#revision++;
    this.#currentId = null;
    this.#draft = null;
    this.#pendingBulk = null;
    this.#sources = null;
    this.#error = null;
    if (!corpusId) return;
    this.#loading = true;
    try {
      const runs = await this.#storage.listRuns(corpusId);
      const [perRun, reviews] = await Promise.all([
        Promise.all(runs.map((run) => this.#storage.runSamples(run.id))),
        this.#storage.listReviews(corpusId),
      ]);
      if (this.#corpusId !== corpusId) return;
      this.#runIds = runs.map((run) => run.id);
      this.#samples = perRun.flat();
      for (const review of reviews) this.#reviews.set(review.sampleId, review);
      this.#revision++;
    } catch (error) {
      this.#error = errorMessage(error);
    } finally {
      this.#loading = false;
    }
  }

  setFilter(change: Partial<ReviewFilter>): void {
    this.#filter = { ...this.#filter, ...change };
    this.#pendingBulk = null;
  }

  select(position: number): void {
    const sample = this.#filtered[position];
    if (!sample || this.editing) return;
    this.#currentId = sample.id;
    this.#originalShown = false;
  }
  next(): void {
    this.select(this.#position + 1);
  }
  previous(): void {
    this.select(this.#position - 1);
  }

  accept(): Promise<void> {
    return this.#judge('accepted');
  }
  reject(): Promise<void> {
    return this.#judge('rejected');
  }

  /** The verdict for the sample in view; then the next sample comes into view. */
  async #judge(verdict: ReviewVerdict): Promise<void> {
    const sample = this.current;
    if (!sample || this.editing) return;
    const following = this.#filtered[this.#position + 1];
    this.#currentId = (following ?? sample).id;
    this.#originalShown = false;
    await this.#store([this.#updated(sample, { verdict })]);
  }

  startEdit(): void {
    const sample = this.current;
    if (!sample || this.#pendingBulk) return;
    this.#currentId = sample.id;
    this.#draft = this.messagesOf(sample).map((message) => ({ ...message }));
    this.#originalShown = false;
  }
  cancelEdit(): void {
    this.#draft = null;
  }

  /** Keeps the draft as a new version unless it is unchanged; the verdict stays as it was. */
  async saveEdit(): Promise<void> {
    const sample = this.current;
    const draft = this.#draft;
    if (!sample || !draft) return;
    const empty = draft.findIndex((message) => message.content.trim() === '');
    if (empty >= 0) {
      this.#error = `Message ${empty + 1} (${draft[empty].role}) is empty: write it or cancel the edit.`;
      return;
    }
    this.#draft = null;
    this.#error = null;
    if (sameMessages(draft, this.messagesOf(sample))) return;
    const previous = this.review(sample.id);
    const edits = [
      ...(previous?.edits ?? []),
      { messages: $state.snapshot(draft), editedAt: Date.now() },
    ];
    await this.#store([this.#updated(sample, { edits })]);
  }

  /** For an edited sample: shows what the model wrote beside the edit, or hides it again. */
  toggleOriginal(): void {
    const current = this.current;
    if (current && (this.review(current.id)?.edits.length ?? 0) > 0) {
      this.#originalShown = !this.#originalShown;
    }
  }

  /** Asks for confirmation before giving every sample in the filter the verdict. */
  askBulk(verdict: ReviewVerdict): void {
    if (this.#filtered.length > 0 && !this.editing) this.#pendingBulk = verdict;
  }
  cancelBulk(): void {
    this.#pendingBulk = null;
  }
  async confirmBulk(): Promise<void> {
    const verdict = this.#pendingBulk;
    this.#pendingBulk = null;
    if (!verdict) return;
    const records = this.#filtered.map((sample) => this.#updated(sample, { verdict }));
    await this.#store(records);
  }

  /** The step's keyboard shortcuts; true when the key was one of them. */
  handleKey(press: KeyPress): boolean {
    if (this.editing) {
      if (press.key === 'Escape') this.cancelEdit();
      else if (press.key === 'Enter' && (press.ctrlKey || press.metaKey)) void this.saveEdit();
      else return false;
      return true;
    }
    if (press.key === 'Escape' && this.#pendingBulk) {
      this.cancelBulk();
      return true;
    }
    if (press.ctrlKey || press.metaKey || press.altKey) return false;
    const actions: Record<string, () => unknown> = {
      j: () => this.next(),
      ArrowDown: () => this.next(),
      k: () => this.previous(),
      ArrowUp: () => this.previous(),
      a: () => this.accept(),
      r: () => this.reject(),
      e: () => this.startEdit(),
      o: () => this.toggleOriginal(),
    };
    const action = Object.hasOwn(actions, press.key) ? actions[press.key] : undefined;
    if (!action || this.#pendingBulk) return false;
    void action();
    return true;
  }

  /** Reads the corpus examples the sample in view was made from (once per sample in view). */
  async loadSources(): Promise<void> {
    const sample = this.current;
    const corpusId = this.#corpusId;
    if (!sample || !corpusId || this.#sources?.sampleId === sample.id) return;
    const examples = await Promise.all(
      sample.atomicSampleIds.map(async (id): Promise<SourceExample> => {
        try {
          return { id, sample: await this.#storage.corpusSample(corpusId, id), error: null };
        } catch (error) {
          return { id, sample: null, error: errorMessage(error) };
        }
      }),
    );
    if (this.#corpusId === corpusId) this.#sources = { sampleId: sample.id, examples };
  }

  #updated(
    sample: GeneratedSample,
    change: Partial<Pick<ReviewRecord, 'verdict' | 'edits'>>,
  ): ReviewRecord {
    const previous = this.#reviews.get(sample.id);
    return {
      sampleId: sample.id,
      corpusId: this.#corpusId!,
      runId: sample.runId,
      verdict: previous?.verdict ?? null,
      edits: previous?.edits ?? [],
      ...change,
      updatedAt: Date.now(),
    };
  }

  /** Shows the records at once and stores them; if storing fails, the previous ones come back. */
  async #store(records: ReviewRecord[]): Promise<void> {
    const previous = records.map((record) => this.#reviews.get(record.sampleId));
    for (const record of records) this.#reviews.set(record.sampleId, record);
    this.#revision++;
    try {
      await this.#storage.saveReviews(records);
      this.#error = null;
    } catch (error) {
      records.forEach((record, i) => {
        const before = previous[i];
        if (before) this.#reviews.set(record.sampleId, before);
        else this.#reviews.delete(record.sampleId);
      });
      this.#revision++;
      this.#error = `The review could not be saved: ${errorMessage(error)}`;
    }
  }
}
