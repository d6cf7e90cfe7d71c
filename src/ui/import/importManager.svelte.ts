// State of the Import step: choose a file, confirm the guessed layout, import with progress; or
// resume an import of the same file that was cut off with its page.
import type { CorpusPreview, ImportReport } from '../../core/corpus/importSession';
import { deleteCorpus, interruptCorpus } from '../../storage/corpusStore';
import type { CorpusRecord } from '../../storage/types';
import { importBridge } from '../../../workers/bridges';
import type { ImportProgress } from '../../../workers/importApi';
import { failureMessage } from '../shell/failure';
import { WorkerJob } from '../shell/workerJob.svelte';

export type ImportPhase = 'idle' | 'previewing' | 'preview' | 'importing' | 'done' | 'failed';

interface Rate {
  rowsPerSecond: number;
  /** Seconds left, from the byte rate; null until there is a rate to go by. */
  etaSeconds: number | null;
  fraction: number;
}

export class ImportManager {
  #phase = $state<ImportPhase>('idle');
  #file = $state.raw<File | null>(null);
  #preview = $state.raw<CorpusPreview | null>(null);
  /** An interrupted import of the chosen file, which `resume` finishes. */
  #resumable = $state.raw<CorpusRecord | null>(null);
  #progress = $state.raw<ImportProgress | null>(null);
  /** The import running in the worker; its progress is the bytes read. */
  readonly #job = new WorkerJob();
  #result = $state.raw<{ corpus: CorpusRecord; report: ImportReport } | null>(null);
  #error = $state<string | null>(null);
  readonly #onImported: (corpus: CorpusRecord) => void;

  constructor(onImported: (corpus: CorpusRecord) => void) {
    this.#onImported = onImported;
  }

  get phase() {
    return this.#phase;
  }
  get file() {
    return this.#file;
  }
  get preview() {
    return this.#preview;
  }
  get resumable() {
    return this.#resumable;
  }
  get progress() {
    return this.#progress;
  }
  get result() {
    return this.#result;
  }
  get error() {
    return this.#error;
  }

  get rate(): Rate | null {
    const progress = this.#progress;
    if (!progress) return null;
    const seconds = this.#job.elapsedSeconds;
    return {
      rowsPerSecond: seconds > 0 ? progress.rowsRead / seconds : 0,
      etaSeconds: this.#job.etaSeconds,
      fraction: this.#job.fraction,
    };
  }

  /**
   * Reads the first rows and shows the guessed format, shape and tag field, and looks for an
   * interrupted import of the same file.
   */
  async choose(file: File): Promise<void> {
    this.#file = file;
    this.#result = null;
    this.#resumable = null;
    await this.#loadPreview({}, true);
  }

  /** Re-reads the first rows with another tag field or delimiter. */
  async changeLayout(tagField: string | null, delimiter: string | null): Promise<void> {
    await this.#loadPreview({ tagField, delimiter });
  }

  async importDemo(): Promise<void> {
    const response = await fetch('demo/demo-corpus.jsonl');
    if (!response.ok) {
      this.#fail(`The demo corpus could not be loaded (HTTP ${response.status}).`);
      return;
    }
    const file = new File([await response.blob()], 'demo-corpus.jsonl', {
      type: 'application/jsonl',
    });
    await this.choose(file);
    if (this.#phase === 'preview') await this.startImport();
  }

  /** Imports the chosen file as a new corpus, with the layout of the preview. */
  async startImport(): Promise<void> {
    const file = this.#file;
    const preview = this.#preview;
    if (!file || !preview) return;
    const content = {
      file,
      name: file.name,
      tagField: preview.tagField,
      delimiter: preview.delimiter,
    };
    await this.#run(file, false, (options) => importBridge.call('import', content, options));
  }

  /** Finishes the interrupted import of the chosen file, with the layout it was started with. */
  async resume(): Promise<void> {
    const file = this.#file;
    const corpus = this.#resumable;
    if (!file || !corpus) return;
    const content = { file, corpusId: corpus.id };
    await this.#run(file, true, (options) => importBridge.call('resume', content, options));
  }

  cancel(): void {
    this.#job.cancel();
  }

  reset(): void {
    this.#phase = 'idle';
    this.#file = null;
    this.#preview = null;
    this.#resumable = null;
    this.#progress = null;
    this.#result = null;
    this.#error = null;
  }

  async #loadPreview(
    choice: { tagField?: string | null; delimiter?: string | null },
    findResumable = false,
  ) {
    const file = this.#file;
    if (!file) return;
    this.#phase = 'previewing';
    this.#error = null;
    try {
      this.#preview = await importBridge.call('preview', { file, ...choice });
      if (findResumable) this.#resumable = await importBridge.call('resumable', { file });
      this.#phase = 'preview';
    } catch (error) {
      this.#fail(failureMessage(error));
    }
  }

  /**
   * Runs one import in the worker. Cancelling a new import leaves nothing behind; cancelling a
   * resumed one leaves it interrupted, as it was, to resume later.
   */
  async #run(
    file: File,
    resuming: boolean,
    call: (options: {
      signal: AbortSignal;
      onProgress: (progress: ImportProgress) => void;
    }) => Promise<{ corpus: CorpusRecord; report: ImportReport }>,
  ): Promise<void> {
    if (this.#job.running) return;
    this.#phase = 'importing';
    this.#error = null;
    const outcome = await this.#job.run(({ signal, onProgress }) => {
      const report = (progress: ImportProgress) => {
        this.#progress = progress;
        onProgress({ phase: 'importing', done: progress.bytesRead, total: progress.totalBytes });
      };
      report({ corpusId: '', bytesRead: 0, totalBytes: file.size, rowsRead: 0 });
      return call({ signal, onProgress: report });
    });
    if (outcome.status === 'done') {
      this.#result = outcome.value;
      this.#resumable = null;
      this.#phase = 'done';
      this.#onImported(outcome.value.corpus);
    } else if (outcome.status === 'cancelled') {
      const corpusId = this.#progress?.corpusId;
      if (corpusId && resuming) await interruptCorpus(corpusId);
      else if (corpusId) await deleteCorpus(corpusId);
      this.#phase = 'preview';
      this.#progress = null;
    } else if (outcome.status === 'failed') {
      this.#resumable = null;
      this.#fail(failureMessage(outcome.error));
    }
  }

  #fail(message: string) {
    this.#error = message;
    this.#phase = 'failed';
  }
}
