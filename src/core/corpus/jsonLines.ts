import { CorpusFileError } from './errors';
import { parseJsonRow } from './jsonRow';
import { invalidJsonReason, tooLongReason, type RowSink, type TextReader } from './rowSink';

/** If this many lines in a row fail to parse before any succeeds, the file is not JSON Lines. */
const LINES_BEFORE_GIVING_UP = 20;

/**
 * JSON Lines: one JSON value per line. Blank lines are skipped; a line over the size limit is
 * rejected and skipped up to the next newline without being held in memory.
 */
export class JsonLinesReader implements TextReader {
  /** The start of the current line, from earlier pieces. */
  private carry = '';
  /** 1-based number of the current line. */
  private line = 1;
  /** Inside a line that is over the limit: drop text until the next newline. */
  private skipping = false;
  private parsed = 0;
  private failed = 0;
  private firstFailure = '';

  constructor(
    private readonly fileName: string,
    private readonly sink: RowSink,
    private readonly maxRowChars: number,
  ) {}

  push(text: string): void {
    let start = 0;
    if (this.skipping) {
      const newline = text.indexOf('\n');
      if (newline < 0) return;
      this.skipping = false;
      this.line++;
      start = newline + 1;
    }
    for (;;) {
      const newline = text.indexOf('\n', start);
      if (newline < 0) break;
      let lineText = text.slice(start, newline);
      if (this.carry !== '') {
        lineText = this.carry + lineText;
        this.carry = '';
      }
      this.handleLine(lineText, false);
      this.line++;
      start = newline + 1;
    }
    if (this.carry.length + text.length - start > this.maxRowChars) {
      this.sink.reject(this.line, tooLongReason(this.maxRowChars));
      this.carry = '';
      this.skipping = true;
    } else if (start < text.length) {
      this.carry += text.slice(start);
    }
  }

  end(): void {
    if (!this.skipping && this.carry !== '') this.handleLine(this.carry, true);
    this.carry = '';
    if (this.parsed === 0 && this.failed > 0) throw this.notJsonLines();
  }

  private handleLine(text: string, unterminated: boolean): void {
    if (text.length > this.maxRowChars) {
      this.sink.reject(this.line, tooLongReason(this.maxRowChars));
      return;
    }
    // 0x7b is '{': almost every line; only others may be blank.
    if (text.charCodeAt(0) !== 0x7b && text.trim() === '') return;
    let value: unknown;
    try {
      value = parseJsonRow(text);
    } catch (error) {
      let reason = invalidJsonReason(error);
      if (unterminated) reason += ' (the file ends inside this line: truncated?)';
      this.failed++;
      if (this.firstFailure === '') this.firstFailure = `line ${this.line}: ${reason}`;
      this.sink.reject(this.line, reason);
      if (this.parsed === 0 && this.failed >= LINES_BEFORE_GIVING_UP) throw this.notJsonLines();
      return;
    }
    this.parsed++;
    this.sink.row(value, this.line);
  }

  private notJsonLines(): CorpusFileError {
    return new CorpusFileError(
      this.fileName,
      `${this.fileName} is neither a JSON array nor JSON Lines: none of its first ${this.failed} non-blank lines is a complete JSON value (${this.firstFailure})`,
    );
  }
}
