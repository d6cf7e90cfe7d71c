import { invalidJsonReason, tooLongReason, type RowSink, type TextReader } from './rowSink';

const BEFORE_ARRAY = 0;
const BETWEEN_ELEMENTS = 1;
const IN_ELEMENT = 2;
const AFTER_ARRAY = 3;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * A top-level JSON array read element by element: the scanner tracks strings, escapes and
 * nesting depth to find where each element ends, then JSON.parse reads that element alone, so
 * the whole file is never held. Inside strings it jumps from quote to quote with indexOf.
 */
export class JsonArrayReader implements TextReader {
  private state = BEFORE_ARRAY;
  private depth = 0;
  private inString = false;
  /** The previous piece ended with an unpaired backslash inside a string. */
  private escaped = false;
  /** Text of the current element from earlier pieces. */
  private parts: string[] = [];
  private partsLength = 0;
  private tooLong = false;
  /** Line on which the current element starts. */
  private elementLine = 0;
  /** Line of the scan position, counted lazily up to the positions that need it. */
  private line = 1;
  private trailingTextSeen = false;

  constructor(
    private readonly sink: RowSink,
    private readonly maxRowChars: number,
  ) {}

  push(text: string): void {
    const n = text.length;
    let i = 0;
    let elementStart = this.state === IN_ELEMENT ? 0 : -1;
    let nextNewline = text.indexOf('\n');
    const countLinesTo = (position: number): void => {
      while (nextNewline >= 0 && nextNewline < position) {
        this.line++;
        nextNewline = text.indexOf('\n', nextNewline + 1);
      }
    };

    while (i < n) {
      if (this.state === IN_ELEMENT) {
        if (this.inString) {
          if (this.escaped) {
            this.escaped = false;
            i++;
            continue;
          }
          const quote = text.indexOf('"', i);
          const stop = quote < 0 ? n : quote;
          // An odd run of backslashes right before the quote escapes it.
          let run = 0;
          while (stop - 1 - run >= i && text.charCodeAt(stop - 1 - run) === BACKSLASH) run++;
          if (quote < 0) {
            this.escaped = run % 2 === 1;
            i = n;
          } else {
            if (run % 2 === 0) this.inString = false;
            i = quote + 1;
          }
          continue;
        }
        const c = text.charCodeAt(i);
        if (c === QUOTE) {
          this.inString = true;
        } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
          this.depth++;
        } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
          if (this.depth > 0) {
            this.depth--;
          } else if (c === CLOSE_BRACKET) {
            this.finishElement(text.slice(elementStart, i));
            this.state = AFTER_ARRAY;
          }
        } else if (c === COMMA && this.depth === 0) {
          this.finishElement(text.slice(elementStart, i));
          this.state = BETWEEN_ELEMENTS;
        }
        i++;
        continue;
      }

      const c = text.charCodeAt(i);
      if (isWhitespace(c)) {
        i++;
      } else if (this.state === BEFORE_ARRAY) {
        // The format was sniffed from this '['.
        this.state = BETWEEN_ELEMENTS;
        i++;
      } else if (this.state === BETWEEN_ELEMENTS) {
        if (c === CLOSE_BRACKET) {
          this.state = AFTER_ARRAY;
          i++;
        } else if (c === COMMA) {
          // An empty element, as in [a,,b] or a trailing comma: nothing to read.
          i++;
        } else {
          countLinesTo(i);
          this.elementLine = this.line;
          this.state = IN_ELEMENT;
          this.depth = 0;
          elementStart = i;
        }
      } else {
        if (!this.trailingTextSeen) {
          countLinesTo(i);
          this.sink.reject(this.line, 'unexpected text after the closing ] of the array');
          this.trailingTextSeen = true;
        }
        i = n;
      }
    }
    if (this.state === IN_ELEMENT) this.keep(text.slice(elementStart));
    countLinesTo(n);
  }

  end(): void {
    if (this.state !== IN_ELEMENT) return;
    this.state = AFTER_ARRAY;
    if (this.tooLong) {
      this.sink.reject(this.elementLine, tooLongReason(this.maxRowChars));
    } else if (this.inString || this.depth > 0) {
      this.sink.reject(this.elementLine, 'the file ends inside this element (truncated)');
    } else {
      // The element is complete but the closing ] is missing.
      this.finishElement('');
    }
  }

  private keep(piece: string): void {
    if (this.tooLong) return;
    this.partsLength += piece.length;
    if (this.partsLength > this.maxRowChars) {
      this.tooLong = true;
      this.parts = [];
    } else {
      this.parts.push(piece);
    }
  }

  private finishElement(lastPiece: string): void {
    this.keep(lastPiece);
    const text = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    const tooLong = this.tooLong;
    this.parts = [];
    this.partsLength = 0;
    this.tooLong = false;
    if (tooLong) {
      this.sink.reject(this.elementLine, tooLongReason(this.maxRowChars));
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.sink.reject(this.elementLine, invalidJsonReason(error));
      return;
    }
    this.sink.row(value, this.elementLine);
  }
}
