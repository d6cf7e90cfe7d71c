import type { CorpusPreview, ImportReport } from '../src/core/corpus/importSession';
import type { CorpusRecord } from '../src/storage/types';

export interface LayoutChoice {
  /** null imports the corpus untagged; undefined keeps the importer's guess. */
  tagField?: string | null;
  delimiter?: string | null;
}

export interface ImportProgress {
  /** The corpus being written, so a cancelled import can be removed. */
  corpusId: string;
  bytesRead: number;
  totalBytes: number;
  rowsRead: number;
}

/**
 * What the import worker answers: `preview` reads the first rows, `import` the whole file into a
 * new corpus. `resumable` finds an import of the same file that was cut off with its page, and
 * `resume` finishes it: the corpus then holds what a clean import would.
 */
export type ImportApi = {
  preview: { content: { file: File } & LayoutChoice; progress: never; result: CorpusPreview };
  resumable: { content: { file: File }; progress: never; result: CorpusRecord | null };
  import: {
    content: { file: File; name: string } & LayoutChoice;
    progress: ImportProgress;
    result: { corpus: CorpusRecord; report: ImportReport };
  };
  resume: {
    content: { file: File; corpusId: string };
    progress: ImportProgress;
    result: { corpus: CorpusRecord; report: ImportReport };
  };
};

/** Held by the worker while it imports a corpus; a corpus still importing without it was cut off. */
export function importLockName(corpusId: string): string {
  return `steps-studio.import.${corpusId}`;
}
