import { CorpusFileError } from './errors';
import { tooLongReason, type RowSink, type TextReader } from './rowSink';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

const UNTERMINATED = 'malformed CSV: quoted field unterminated';
const TEXT_AFTER_QUOTE = 'malformed CSV: text after the closing quote of a field';

/** Header names made unique the way pandas does: `name`, `name.1`, `name.2`. */
function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((raw) => {
    const name = raw.trim();
    const count = seen.get(name) ?? 0;
    seen.set(name, count + 1);
    return count === 0 ? name : `${name}.${count}`;
  });
}

/**
 * CSV/TSV with a header row, read as RFC 4180: a field is quoted when it starts with a quote, a
 * doubled quote inside stands for one, quoted fields may span lines, and \n or \r\n ends a record
 * (a quote elsewhere in a field is kept as text). Rows are objects keyed by the header; row numbers
 * exclude the header and blank lines.
 *
 * A stray quote must not swallow the rest of the file, so a record is trusted only when it ends
 * cleanly: a closing quote followed by the delimiter or a line end, within the size limit, and a
 * record that spans lines must have as many fields as the header. Any other record is rejected
 * and reading starts again at the line after the one the record started on. The text of the open
 * record is kept for that, never more than the size limit of one row.
 */
export class CsvReader implements TextReader {
  /** Text from the start of the open record on. */
  private text = '';
  private recordStart = 0;
  /** Where reading goes on: the start of a field, or inside the open quoted field. */
  private pos = 0;
  /** An unquoted field has no delimiter or line end before this position (to scan it once). */
  private scanned = 0;
  private fields: string[] = [];
  /** The content of the open quoted field, in pieces; null outside quotes. */
  private quoted: string[] | null = null;
  /** The open record has a line break inside quotes. */
  private spansLines = false;
  /** A record was rejected on its first line before that line ended: drop text up to its end. */
  private skipping = false;
  private header: string[] | null = null;
  private dataRow = 0;
  private readonly delimiterCode: number;

  constructor(
    private readonly fileName: string,
    private readonly sink: RowSink,
    delimiter: string,
    private readonly maxRowChars: number,
  ) {
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  push(text: string): void {
    if (this.skipping) {
      const newline = text.indexOf('\n');
      if (newline < 0) return;
      this.skipping = false;
      text = text.slice(newline + 1);
    }
    this.text += text;
    this.read(false);
    // Keep only the open record.
    if (this.recordStart > 0) {
      this.text = this.text.slice(this.recordStart);
      this.pos -= this.recordStart;
      this.scanned = Math.max(0, this.scanned - this.recordStart);
      this.recordStart = 0;
    }
  }

  end(): void {
    if (!this.skipping) this.read(true);
    this.text = '';
    this.recordStart = this.pos = this.scanned = 0;
  }

  /** Reads every record it can; `final`: no more text will come. */
  private read(final: boolean): void {
    for (;;) {
      const { text } = this;
      const n = text.length;
      let value: string;
      /** Where the field's content ends: at a delimiter, a line end, or the end of the text. */
      let next: number;
      if (this.quoted !== null) {
        const quote = text.indexOf('"', this.pos);
        // Whether a quote closes the field depends on the character after it (and after a \r).
        const undecided =
          !final && (quote === n - 1 || (quote === n - 2 && text.charCodeAt(n - 1) === CR));
        if (quote < 0 || undecided) {
          const end = quote < 0 ? n : quote;
          this.keepQuoted(text.slice(this.pos, end));
          this.pos = end;
          if (final) this.rejectOpenRecord(UNTERMINATED);
          else if (!this.overLimit()) return;
          continue;
        }
        if (text.charCodeAt(quote + 1) === QUOTE) {
          this.keepQuoted(text.slice(this.pos, quote + 1));
          this.pos = quote + 2;
          continue;
        }
        this.keepQuoted(text.slice(this.pos, quote));
        value = this.quoted.join('');
        next = quote + 1;
        const after = next < n ? text.charCodeAt(next) : -1;
        const endsRecord =
          after === LF || (after === CR && (next + 1 === n || text.charCodeAt(next + 1) === LF));
        if (after !== -1 && after !== this.delimiterCode && !endsRecord) {
          this.rejectOpenRecord(TEXT_AFTER_QUOTE);
          continue;
        }
        this.quoted = null;
        if (after === CR) next++;
      } else if (this.pos < n && text.charCodeAt(this.pos) === QUOTE) {
        this.quoted = [];
        this.pos++;
        continue;
      } else {
        let i = Math.max(this.pos, this.scanned);
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === this.delimiterCode || c === LF) break;
          i++;
        }
        if (i === n && !final) {
          this.scanned = i;
          if (!this.overLimit()) return;
          continue;
        }
        if (i === n && this.pos === n && this.fields.length === 0) return; // nothing open
        next = i;
        // The \r of a \r\n line end is not part of the field.
        const lastOfRecord = i === n || text.charCodeAt(i) === LF;
        value = text.slice(
          this.pos,
          lastOfRecord && i > this.pos && text.charCodeAt(i - 1) === CR ? i - 1 : i,
        );
      }
      this.scanned = 0;
      this.fields.push(value);
      if (next < n && text.charCodeAt(next) === this.delimiterCode) this.pos = next + 1;
      else this.endRecord(Math.min(next + 1, n));
    }
  }

  private keepQuoted(piece: string): void {
    if (!this.spansLines && piece.includes('\n')) this.spansLines = true;
    this.quoted!.push(piece);
  }

  /** The open record has outgrown the size limit: rejected, and reading starts again. */
  private overLimit(): boolean {
    if (this.text.length - this.recordStart <= this.maxRowChars) return false;
    this.rejectOpenRecord(tooLongReason(this.maxRowChars));
    return true;
  }

  private endRecord(next: number): void {
    const { fields, recordStart, spansLines } = this;
    this.fields = [];
    this.spansLines = false;
    this.recordStart = this.pos = next;
    if (next - recordStart > this.maxRowChars) {
      this.rejectRecord(recordStart, tooLongReason(this.maxRowChars));
      return;
    }
    if (fields.length === 1 && fields[0].trim() === '') return; // a blank line
    if (this.header === null) {
      this.header = uniqueNames(fields);
      return;
    }
    if (fields.length !== this.header.length) {
      const reason = `row has ${fields.length} fields, the header has ${this.header.length}`;
      if (spansLines) {
        this.rejectRecord(recordStart, `${reason} (a quoted field spans lines: a stray quote?)`);
        this.restartAfterLineOf(recordStart);
      } else {
        this.rejectRecord(recordStart, reason);
      }
      return;
    }
    const { header } = this;
    this.dataRow++;
    this.sink.row(Object.fromEntries(header.map((name, k) => [name, fields[k]])), this.dataRow);
  }

  /** Rejects the record being read and starts again at the line after its first. */
  private rejectOpenRecord(reason: string): void {
    const start = this.recordStart;
    this.rejectRecord(start, reason);
    this.restartAfterLineOf(start);
  }

  private rejectRecord(start: number, reason: string): void {
    if (this.header === null) {
      const firstLine = this.text.slice(start, start + 200).split('\n')[0];
      throw new CorpusFileError(
        this.fileName,
        `${this.fileName} has a malformed header row (${reason}): ${firstLine}`,
      );
    }
    this.dataRow++;
    this.sink.reject(this.dataRow, reason);
  }

  private restartAfterLineOf(start: number): void {
    this.fields = [];
    this.quoted = null;
    this.spansLines = false;
    this.scanned = 0;
    const newline = this.text.indexOf('\n', start);
    if (newline < 0) {
      this.skipping = true;
      this.text = '';
      this.recordStart = this.pos = 0;
    } else {
      this.recordStart = this.pos = newline + 1;
    }
  }
}
