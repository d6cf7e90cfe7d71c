import { errorMessage } from '../errorMessage';

/**
 * Where a format reader sends what it finds. `at` is the 1-based line where the row starts
 * (JSON Lines, JSON array) or the 1-based data row, header excluded (CSV, Parquet).
 */
export interface RowSink {
  /** A parsed row, not yet checked. */
  row(value: unknown, at: number): void;
  /** A row that could not be parsed. */
  reject(at: number, reason: string): void;
}

/** A reader of one text format, fed the decoded text piece by piece. */
export interface TextReader {
  push(text: string): void;
  /** The input has ended: flush the last row. */
  end(): void;
}

/** Size limit of one row, in UTF-16 code units (at least as many UTF-8 bytes). */
export const DEFAULT_MAX_ROW_CHARS = 8 * 1024 * 1024;

export function tooLongReason(limit: number): string {
  return `row is longer than ${limit.toLocaleString('en-US')} characters, the limit for one row; skipped`;
}

/** JSON.parse messages quote the input; keep them short. */
export function invalidJsonReason(error: unknown): string {
  const message = errorMessage(error);
  return `invalid JSON: ${message.length > 160 ? `${message.slice(0, 157)}...` : message}`;
}
