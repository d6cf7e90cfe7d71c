// State of the Import step: choose a file, confirm the guessed layout, import with progress.
import type { CorpusPreview, ImportReport } from '../../core/corpus/importSession';
import { deleteCorpus } from '../../storage/corpusStore';
import type { CorpusRecord } from '../../storage/types';
import { importBridge } from '../../../workers/bridges';
import type { ImportProgress } from '../../../workers/importApi';

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
  #progress = $state.raw<ImportProgress | null>(null);
  #startedAt = 0;
  #result = $state.raw<{ corpus: CorpusRecord; report: ImportReport } | null>(null);
  #error = $state<string | null>(null);
  #abort: AbortController | null = null;
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
    const seconds = (performance.now() - this.#startedAt) / 1000;
    const fraction = progress.totalBytes > 0 ? progress.bytesRead / progress.totalBytes : 0;
    const bytesPerSecond = seconds > 0 ? progress.bytesRead / seconds : 0;
    return {
      rowsPerSecond: seconds > 0 ? progress.rowsRead / seconds : 0,
      etaSeconds:
        bytesPerSecond > 0 && progress.bytesRead > 0
          ? (progress.totalBytes - progress.bytesRead) / bytesPerSecond
          : null,
      fraction,
    };
  }

  /** Reads the first rows and shows the guessed format, shape and tag field. */
  async choose(file: File): Promise<void> {
    this.#file = file;
    this.#result = null;
    await this.#loadPreview({});
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

  async startImport(): Promise<void> {
    const file = this.#file;
    const preview = this.#preview;
    if (!file || !preview) return;
    this.#phase = 'importing';
    this.#error = null;
    this.#startedAt = performance.now();
    this.#progress = { corpusId: '', bytesRead: 0, totalBytes: file.size, rowsRead: 0 };
    this.#abort = new AbortController();
    try {
      const result = await importBridge.call(
        'import',
        { file, name: file.name, tagField: preview.tagField, delimiter: preview.delimiter },
        { signal: this.#abort.signal, onProgress: (progress) => (this.#progress = progress) },
      );
      this.#result = result;
      this.#phase = 'done';
      this.#onImported(result.corpus);
    } catch (error) {
      const corpusId = this.#progress?.corpusId;
      if (error instanceof Error && error.name === 'AbortError') {
        // A cancelled import leaves nothing behind.
        if (corpusId) await deleteCorpus(corpusId);
        this.#phase = 'preview';
        this.#progress = null;
        return;
      }
      this.#fail(error instanceof Error ? error.message : String(error));
    } finally {
      this.#abort = null;
    }
  }

  cancel(): void {
    this.#abort?.abort();
  }

  reset(): void {
    this.#phase = 'idle';
    this.#file = null;
    this.#preview = null;
    this.#progress = null;
    this.#result = null;
    this.#error = null;
  }

  async #loadPreview(choice: { tagField?: string | null; delimiter?: string | null }) {
    const file = this.#file;
    if (!file) return;
    this.#phase = 'previewing';
    this.#error = null;
    try {
      this.#preview = await importBridge.call('preview', { file, ...choice });
      this.#phase = 'preview';
    } catch (error) {
      this.#fail(error instanceof Error ? error.message : String(error));
    }
  }

  #fail(message: string) {
    this.#error = message;
    this.#phase = 'failed';
  }
}
