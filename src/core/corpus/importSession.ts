import type { ChatMessage, Sample } from './sample';
import { CorpusFileError, RowRejection } from './errors';
import { messagesOf } from './messages';
import type { RowSink } from './rowSink';
import {
  detectShape,
  ID_FIELDS,
  isRow,
  type CorpusShape,
  type Row,
  type ShapeGuess,
} from './shape';
import type { CorpusFormat } from './source';
import { readProvenance, withJsonCells } from './stepsExport';
import { findTagFields, readField, readTags, type RowTags, type TagFieldCandidate } from './tags';

/** How far reading got when a batch was handed over: what a resumed import can check against. */
export interface ReadPosition {
  /** Data rows read, kept or rejected, up to the last row in the batch or after it. */
  rowsRead: number;
  bytesRead: number;
}

export interface ImportOptions {
  /** Tag field (a name, or `parent.child` into a dict field); null: import untagged; default: the guess. */
  tagField?: string | null;
  /** Splits a string tag field; null: one tag per string; default: the guess for the field. */
  delimiter?: string | null;
  /** Receives the kept samples in batches; awaited, and an error thrown here ends the import. */
  onBatch?: (samples: Sample[], position: ReadPosition) => Promise<void> | void;
  /**
   * Kept samples an earlier, interrupted import of the same file already handed over: they are
   * read and counted as before (so ids, statistics and rejections come out the same) but not
   * handed to `onBatch` again. Default 0.
   */
  skipSamples?: number;
  /** Samples per batch (approximate: batches are cut between input chunks). Default 1000. */
  batchSize?: number;
  /** Called at most every `progressIntervalMs` and once at the end. */
  onProgress?: (bytesRead: number, rowsRead: number) => void;
  progressIntervalMs?: number;
  /** Aborting ends the import with the signal's reason (a DOMException named AbortError). */
  signal?: AbortSignal;
  /** Longest row accepted, in characters. Default 8 Mi (DEFAULT_MAX_ROW_CHARS). */
  maxRowChars?: number;
  /**
   * Rejected rows (and rows with dropped tags) listed in the report; the rest are only counted.
   * Default 10,000.
   */
  maxListedRejections?: number;
}

export interface Rejection {
  /** 1-based line where the row starts (JSON Lines, JSON array) or data row, header excluded (CSV, Parquet). */
  line: number;
  reason: string;
}

/** A kept row whose tag field held values that are no skill names; they were left out. */
export interface DroppedTags {
  /** As in `Rejection`. */
  line: number;
  /** `tag field "tags": a nested list; a tag of 93 characters, over 80 ("…"…)` */
  reason: string;
}

/** How the rows of a file are read, decided from its first rows. */
export interface CorpusLayout {
  format: CorpusFormat;
  shape: CorpusShape;
  /** Fields the messages come from. */
  textFields: string[];
  tagField: string | null;
  delimiter: string | null;
  /** Fields that could hold tags instead, for the user to pick from; the guess first. */
  tagFieldCandidates: TagFieldCandidate[];
  /** Every field path of the first rows: any of them may be named as the tag field. */
  fields: string[];
}

export interface ImportReport extends CorpusLayout {
  file: string;
  /** Data rows read (blank lines excluded), kept or rejected. */
  rows: number;
  kept: number;
  /** Kept samples with at least one tag. */
  tagged: number;
  /** Distinct skills over the kept samples. */
  skills: number;
  /** Tag count → kept samples with that many distinct tags; "0" appears only if some have none. */
  tagsPerSample: Record<string, number>;
  /** [skill, samples], most frequent first, ties by name. */
  skillCounts: [string, number][];
  /** Rejected rows in line order, at most `maxListedRejections`. */
  rejected: Rejection[];
  /** Rejected rows beyond the listed ones. */
  rejectedNotListed: number;
  /**
   * Kept samples whose own id an earlier sample already had (as its own id, or as one given to
   * it): each got a new id (`<id>#2`, `#3`, …) and keeps the file's id as `sourceId`.
   */
  duplicateIds: number;
  /**
   * Kept rows whose tag field held values left out of their tags, in line order, at most
   * `maxListedRejections`.
   */
  droppedTags: DroppedTags[];
  /** Rows with dropped tags beyond the listed ones. */
  droppedTagsNotListed: number;
}

export interface CorpusPreview extends CorpusLayout {
  /** The first rows (up to 50) as they would be imported. */
  samples: Sample[];
  rejected: Rejection[];
  droppedTags: DroppedTags[];
}

/** Rows the layout is guessed from. */
export const SAMPLE_ROWS = 50;

interface PendingRow {
  row: Row;
  at: number;
  ordinal: number;
}

/** Rows held for the layout guess are checked late, so their notes can arrive out of order. */
function byLine<T extends { line: number }>(notes: T[]): T[] {
  return [...notes].sort((a, b) => a.line - b.line);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** The row's own id: the first of id, key, idx, _id, uuid that is a non-empty string or a number. */
function rowId(row: Row): string | null {
  for (const name of ID_FIELDS) {
    const value = row[name];
    if ((typeof value === 'string' && value !== '') || typeof value === 'number') {
      return String(value);
    }
    if (typeof value === 'bigint') return value.toString();
  }
  return null;
}

/** `row-<n>` as `row-${n}` writes it (n ≥ 1, no leading zeros), or null. */
function rowNumberOf(id: string): number | null {
  if (!id.startsWith('row-') || id.length > 20) return null;
  const digits = id.slice(4);
  const n = Number(digits);
  return Number.isSafeInteger(n) && n >= 1 && String(n) === digits ? n : null;
}

/**
 * The sample ids given so far. Rows without an id of their own get `row-<n>`, n their ordinal:
 * those are kept as one bit per row rather than a string each (2M such rows would hold about
 * 100 MB of id strings); every other id as a string.
 */
class GivenIds {
  private readonly strings = new Set<string>();
  /** Bit n: `row-<n>` was given to row n, which had no id of its own. */
  private rowBits = new Uint32Array(1024);

  /** `rowNumber`: the n of an id of the form `row-<n>`, when the caller knows it. */
  has(id: string, rowNumber = rowNumberOf(id)): boolean {
    if (this.strings.has(id)) return true;
    if (rowNumber === null) return false;
    const word = rowNumber >>> 5;
    return word < this.rowBits.length && (this.rowBits[word] & (1 << (rowNumber & 31))) !== 0;
  }

  add(id: string): void {
    this.strings.add(id);
  }

  /** Adds `row-<n>`, given to row n. */
  addRow(n: number): void {
    const word = n >>> 5;
    if (word >= this.rowBits.length) {
      const bigger = new Uint32Array(Math.max(word + 1, this.rowBits.length * 2));
      bigger.set(this.rowBits);
      this.rowBits = bigger;
    }
    this.rowBits[word] |= 1 << (n & 31);
  }
}

/**
 * The format-independent half of an import: holds the first rows until the layout is guessed,
 * normalises every row to a Sample, keeps the statistics, rejections and the current batch.
 */
export class ImportSession implements RowSink {
  /** Set once a preview has what it needs; readers then stop. */
  stopped = false;
  private rows = 0;
  private kept = 0;
  private tagged = 0;
  private readonly tagHistogram: number[] = [];
  private readonly skillCounts = new Map<string, number>();
  private readonly rejected: Rejection[] = [];
  private rejectedNotListed = 0;
  private readonly droppedTags: DroppedTags[] = [];
  private droppedTagsNotListed = 0;
  /** Every sample id given so far, so that none is given twice. */
  private readonly ids = new GivenIds();
  /** For each id that repeated: the last number appended to it (`#2`, `#3`, …). */
  private readonly repeats = new Map<string, number>();
  private duplicateIds = 0;
  /** Kept samples still to be left out of the batches (`skipSamples`). */
  private toSkip: number;
  private pending: PendingRow[] | null = [];
  private shape: ShapeGuess | null = null;
  private tagField: string | null = null;
  private delimiter: string | null = null;
  private candidates: TagFieldCandidate[] = [];
  private fields: string[] = [];
  private batch: Sample[] = [];
  private readonly keepSamples: boolean;
  private readonly sourceSeparator: string;
  private lastProgress = Date.now();

  constructor(
    private readonly file: string,
    private readonly format: CorpusFormat,
    private readonly options: ImportOptions,
    private readonly previewOnly: boolean,
  ) {
    this.keepSamples = previewOnly || options.onBatch !== undefined;
    this.sourceSeparator = format === 'jsonl' || format === 'json' ? ':' : '#';
    this.toSkip = previewOnly ? 0 : (options.skipSamples ?? 0);
  }

  row(cells: unknown, at: number): void {
    if (this.stopped) return;
    const ordinal = ++this.rows;
    const value = this.format === 'csv' && isRow(cells) ? withJsonCells(cells) : cells;
    if (!isRow(value)) {
      this.addRejection(at, `row is not a JSON object (found ${describe(value)})`);
    } else if (this.pending !== null) {
      this.pending.push({ row: value, at, ordinal });
      if (this.pending.length >= SAMPLE_ROWS) this.decideLayout();
    } else {
      this.normalise(value, at, ordinal);
    }
  }

  reject(at: number, reason: string): void {
    if (this.stopped) return;
    this.rows++;
    this.addRejection(at, reason);
  }

  /** Between input chunks: honours the abort signal, hands over a full batch, reports progress. */
  async afterChunk(bytesRead: number): Promise<void> {
    this.options.signal?.throwIfAborted();
    if (this.batch.length >= (this.options.batchSize ?? 1000)) await this.flush(bytesRead);
    const { onProgress } = this.options;
    if (onProgress !== undefined) {
      const now = Date.now();
      if (now - this.lastProgress >= (this.options.progressIntervalMs ?? 100)) {
        this.lastProgress = now;
        onProgress(bytesRead, this.rows);
      }
    }
  }

  async finish(bytesRead: number): Promise<ImportReport> {
    if (this.pending !== null) this.decideLayout();
    this.options.signal?.throwIfAborted();
    await this.flush(bytesRead);
    this.options.onProgress?.(bytesRead, this.rows);
    const tagsPerSample: Record<string, number> = {};
    this.tagHistogram.forEach((count, tags) => {
      if (count > 0) tagsPerSample[String(tags)] = count;
    });
    const skillCounts = [...this.skillCounts].sort(
      (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
    );
    return {
      file: this.file,
      ...this.layout(),
      rows: this.rows,
      kept: this.kept,
      tagged: this.tagged,
      skills: this.skillCounts.size,
      tagsPerSample,
      skillCounts,
      rejected: this.sortedRejections(),
      rejectedNotListed: this.rejectedNotListed,
      duplicateIds: this.duplicateIds,
      droppedTags: byLine(this.droppedTags),
      droppedTagsNotListed: this.droppedTagsNotListed,
    };
  }

  /** The layout and the first samples; call once `stopped` is set or the input has ended. */
  preview(): CorpusPreview {
    if (this.pending !== null) this.decideLayout();
    return {
      ...this.layout(),
      samples: this.batch,
      rejected: this.sortedRejections(),
      droppedTags: byLine(this.droppedTags),
    };
  }

  private layout(): CorpusLayout {
    const shape = this.shape as ShapeGuess;
    return {
      format: this.format,
      shape: shape.shape,
      textFields: shape.textFields,
      tagField: this.tagField,
      delimiter: this.delimiter,
      tagFieldCandidates: this.candidates,
      fields: this.fields,
    };
  }

  private sortedRejections(): Rejection[] {
    return byLine(this.rejected);
  }

  private async flush(bytesRead: number): Promise<void> {
    if (this.batch.length === 0 || this.options.onBatch === undefined) return;
    const batch = this.batch;
    this.batch = [];
    await this.options.onBatch(batch, { rowsRead: this.rows, bytesRead });
  }

  private addRejection(line: number, reason: string): void {
    if (this.rejected.length < (this.options.maxListedRejections ?? 10_000)) {
      this.rejected.push({ line, reason });
    } else {
      this.rejectedNotListed++;
    }
  }

  private addDroppedTags(line: number, dropped: string[]): void {
    if (this.droppedTags.length < (this.options.maxListedRejections ?? 10_000)) {
      this.droppedTags.push({
        line,
        reason: `tag field "${this.tagField}": ${dropped.join('; ')}`,
      });
    } else {
      this.droppedTagsNotListed++;
    }
  }

  /**
   * The row's own id, or `row-<n>`; one given before gets `#2`, `#3`, … appended. Only an own
   * id counts as a duplicate then (a `row-<n>` can meet an own id of that form).
   */
  private uniqueId(row: Row, ordinal: number): { id: string; sourceId?: string } {
    const own = rowId(row);
    const base = own ?? `row-${ordinal}`;
    let id = base;
    if (this.ids.has(base, own === null ? ordinal : undefined)) {
      let count = this.repeats.get(base) ?? 1;
      do id = `${base}#${++count}`;
      while (this.ids.has(id));
      this.repeats.set(base, count);
    }
    if (id === base && own === null) this.ids.addRow(ordinal);
    else this.ids.add(id);
    if (id === base || own === null) return { id };
    this.duplicateIds++;
    return { id, sourceId: own };
  }

  private decideLayout(): void {
    const pending = this.pending ?? [];
    this.pending = null;
    if (pending.length === 0) {
      const first = this.sortedRejections()[0];
      throw new CorpusFileError(
        this.file,
        first === undefined
          ? `${this.file} has no rows`
          : `${this.file} has no usable rows: all ${this.rows} were rejected (line ${first.line}: ${first.reason})`,
      );
    }
    const rows = pending.map((entry) => entry.row);
    this.shape = detectShape(rows);
    if (this.shape.textFields.length === 0) {
      const fields = [...new Set(rows.flatMap((row) => Object.keys(row)))];
      throw new CorpusFileError(
        this.file,
        `${this.file} has no text field in its first ${rows.length} rows (fields: ${fields.join(', ')}); expected conversations, messages, instruction, prompt, question or another text field`,
      );
    }
    this.chooseTagField(rows);
    for (const entry of pending) this.normalise(entry.row, entry.at, entry.ordinal);
    if (this.previewOnly) this.stopped = true;
  }

  private chooseTagField(rows: Row[]): void {
    const choice = findTagFields(rows, (this.shape as ShapeGuess).textFields);
    this.candidates = choice.candidates;
    this.fields = choice.fields;
    const wanted = this.options.tagField;
    if (wanted === undefined) {
      this.tagField = choice.guess?.field ?? null;
      this.delimiter = choice.guess?.delimiter ?? null;
    } else if (wanted !== null) {
      const present = rows.some((row) => {
        try {
          return readField(row, wanted) !== undefined;
        } catch {
          return true;
        }
      });
      if (!present) {
        const fields = [...new Set(rows.flatMap((row) => Object.keys(row)))];
        throw new CorpusFileError(
          this.file,
          `${this.file}: tag field "${wanted}" is not in its first ${rows.length} rows (fields: ${fields.join(', ')})`,
        );
      }
      this.tagField = wanted;
      this.delimiter = choice.candidates.find((c) => c.field === wanted)?.delimiter ?? null;
    }
    if (this.options.delimiter !== undefined) this.delimiter = this.options.delimiter || null;
  }

  private normalise(row: Row, at: number, ordinal: number): void {
    let messages: ChatMessage[];
    let tags: RowTags;
    const provenance = readProvenance(row);
    try {
      messages = messagesOf(row, this.shape as ShapeGuess, provenance !== null);
      tags =
        this.tagField === null
          ? { tags: [], dropped: [] }
          : readTags(row, this.tagField, this.delimiter);
    } catch (error) {
      if (!(error instanceof RowRejection)) throw error;
      this.addRejection(at, error.message);
      return;
    }
    if (tags.dropped.length > 0) this.addDroppedTags(at, tags.dropped);
    // Built field by field: spreading into an object literal costs microseconds per row.
    const { id, sourceId } = this.uniqueId(row, ordinal);
    const skills = tags.tags;
    const source = `${this.file}${this.sourceSeparator}${at}`;
    const sample: Sample =
      sourceId === undefined
        ? { id, messages, skills, source }
        : { id, sourceId, messages, skills, source };
    if (provenance !== null) sample.provenance = provenance;
    this.kept++;
    const tagCount = sample.skills.length;
    if (tagCount > 0) this.tagged++;
    this.tagHistogram[tagCount] = (this.tagHistogram[tagCount] ?? 0) + 1;
    for (const skill of sample.skills) {
      this.skillCounts.set(skill, (this.skillCounts.get(skill) ?? 0) + 1);
    }
    if (this.toSkip > 0) this.toSkip--;
    else if (this.keepSamples) this.batch.push(sample);
  }
}
