import Papa from 'papaparse';
import { tooLongReason, type RowSink, type TextReader } from './rowSink';

interface PapaError {
  row: number;
  message: string;
}

interface PapaResult {
  data: string[][];
  errors: PapaError[];
  meta: { cursor: number };
}

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
 * CSV/TSV with a header row, through papaparse's incremental parser: each piece is parsed up to
 * its last complete row and the rest is carried into the next piece (quoted fields may span
 * lines). Rows are objects keyed by the header; row numbers exclude the header.
 */
export class CsvReader implements TextReader {
  private parser: Papa.Parser | null = null;
  private carry = '';
  private header: string[] | null = null;
  private dataRow = 0;
  /** A row went over the size limit: drop text until the next newline. */
  private skipping = false;

  constructor(
    private readonly sink: RowSink,
    private readonly delimiter: string,
    private readonly maxRowChars: number,
  ) {}

  push(text: string): void {
    if (this.skipping) {
      const newline = text.indexOf('\n');
      if (newline < 0) return;
      this.skipping = false;
      text = text.slice(newline + 1);
    }
    const input = this.carry + text;
    const parser = this.parserFor(input, false);
    if (parser === null) {
      this.carry = input;
      return;
    }
    const result = parser.parse(input, 0, true) as PapaResult;
    this.take(result);
    this.carry = input.slice(result.meta.cursor);
    if (this.carry.length > this.maxRowChars) {
      this.dataRow++;
      this.sink.reject(this.dataRow, tooLongReason(this.maxRowChars));
      this.carry = '';
      this.skipping = true;
    }
  }

  end(): void {
    if (this.skipping || this.carry === '') return;
    const parser = this.parserFor(this.carry, true);
    if (parser !== null) this.take(parser.parse(this.carry, 0, false) as PapaResult);
    this.carry = '';
  }

  /** The parser, made once the line ending is known (from the first newline). */
  private parserFor(input: string, final: boolean): Papa.Parser | null {
    if (this.parser !== null) return this.parser;
    const newline = input.indexOf('\n');
    if (newline < 0 && !final) return null;
    this.parser = new Papa.Parser({
      delimiter: this.delimiter,
      newline: newline > 0 && input[newline - 1] === '\r' ? '\r\n' : '\n',
    });
    return this.parser;
  }

  private take(result: PapaResult): void {
    const errors = new Map<number, string>();
    for (const error of result.errors) errors.set(error.row, error.message);
    result.data.forEach((fields, index) => {
      if (fields.length === 1 && fields[0].trim() === '') return; // blank line
      if (this.header === null) {
        this.header = uniqueNames(fields);
        return;
      }
      this.dataRow++;
      const error = errors.get(index);
      if (error !== undefined) {
        this.sink.reject(this.dataRow, `malformed CSV: ${error.toLowerCase()}`);
      } else if (fields.length !== this.header.length) {
        this.sink.reject(
          this.dataRow,
          `row has ${fields.length} fields, the header has ${this.header.length}`,
        );
      } else {
        const row: Record<string, string> = {};
        for (let k = 0; k < fields.length; k++) row[this.header[k]] = fields[k];
        this.sink.row(row, this.dataRow);
      }
    });
  }
}
