import { parseJsonRow } from './jsonRow';
import { invalidJsonReason, tooLongReason, type RowSink, type TextReader } from './rowSink';

const BEFORE_ARRAY = 0;
const BETWEEN_ELEMENTS = 1;
const IN_ELEMENT = 2;
/** After a bad element: looking for where the next one starts. */
const SEEKING = 3;
const AFTER_ARRAY = 4;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** White space allowed between `{`, the first key and its `:` when recognising an element's start. */
const MAX_SIGNATURE_SPACE = 256;

const LINE_BREAK_IN_STRING = 'invalid JSON: a line break inside a string (a missing quote?)';

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === NEWLINE || c === 0x0d || c === 0x09;
}

/**
 * A top-level JSON array read element by element: the scanner tracks strings, escapes and
 * nesting depth to find where each element ends, then JSON.parse reads that element alone, so
 * the whole file is never held. Inside strings it jumps from quote to quote with indexOf.
 *
 * A bad element (one that does not parse, is cut off by the end of the file or outgrows the size
 * limit, or has a line break inside a string, which JSON forbids) is rejected, and its text is
 * read again, seeking the next element inside or after it. A `{` starts one when it lies
 * outside the bad element's braces or right after a `,` at their top level (where valid JSON has
 * a key); when it opens a line indented like the elements before (one element a line, or
 * indented output); or when it is followed by the first key of the first element (`{"id":`, all
 * on one line). While seeking, a string that meets a line break or is followed by anything but
 * `,` `:` `}` `]` was no string — its opening quote closed one — so what followed that quote is
 * read again as structure. So a missing or extra bracket or quote costs one element, not the rest
 * of the file. A stray `]` followed by more elements is reported and reading goes on.
 */
export class JsonArrayReader implements TextReader {
  private state = BEFORE_ARRAY;
  private depth = 0;
  private inString = false;
  /** The previous piece ended with an unpaired backslash inside a string. */
  private escaped = false;
  /** Seeking: a `,` at the bad element's top level (or a line break ending a string) came last. */
  private boundary = false;
  /** Seeking: a string has just closed; the next character tells whether it really did. */
  private stringClosed = false;
  /** White space since the last line break, or -1 once something else came on this line. */
  private lineIndent = -1;
  /** The indentation of the last element that started a line; -1 when elements share lines. */
  private elementIndent = -1;
  /** The first key of the first element, as JSON text (`"id"`); null until one is read. */
  private firstKey: string | null = null;
  /**
   * Seeking: text to read again with the next piece — from a `{` whose first key has not fully
   * arrived, or from the quote of a string that may turn out to be none.
   */
  private carry = '';
  /** Text of the current element from earlier pieces. */
  private parts: string[] = [];
  private partsLength = 0;
  /** Line on which the current element starts. */
  private elementLine = 0;
  /** Line of the scan position, counted lazily up to the positions that need it. */
  private line = 1;
  /** Line of the `]` that closed the array, in case more elements follow it. */
  private closingLine = 0;
  private trailingTextSeen = false;

  constructor(
    private readonly sink: RowSink,
    private readonly maxRowChars: number,
  ) {}

  push(text: string): void {
    const carry = this.carry;
    this.carry = '';
    this.scan(carry + text, 0, false);
  }

  end(): void {
    if (this.carry !== '') {
      const carry = this.carry;
      this.carry = '';
      this.scan(carry, 0, true);
    }
    while (this.state === IN_ELEMENT) {
      const text = this.takeElement('');
      if (this.inString || this.depth > 0) {
        this.sink.reject(this.elementLine, 'the file ends inside this element (truncated)');
        this.scan(text, this.seekIn(text), true);
      } else {
        // The element is complete but the closing ] is missing.
        const rest = this.finishElement(text, '');
        if (rest !== null) this.scan(rest, this.seekIn(rest), true);
        else this.state = AFTER_ARRAY;
      }
    }
  }

  /**
   * Scans `input` from `from`: a piece of input, or the text of a bad element read again.
   * `final`: no more input follows.
   */
  private scan(input: string, from: number, final: boolean): void {
    let text = input;
    let n = text.length;
    let i = from;
    let elementStart = this.state === IN_ELEMENT ? 0 : -1;
    /** Seeking: where the open string's quote is, when it is in this text. */
    let stringStart = -1;
    let nextNewline = text.indexOf('\n');
    const countLinesTo = (position: number): void => {
      while (nextNewline >= 0 && nextNewline < position) {
        this.line++;
        nextNewline = text.indexOf('\n', nextNewline + 1);
      }
    };
    /** Goes on with `replay`, the text of a bad element and what follows it, seeking. */
    const readAgain = (replay: string): void => {
      text = replay;
      n = text.length;
      i = this.seekIn(replay);
      elementStart = -1;
      stringStart = -1;
      nextNewline = text.indexOf('\n');
    };
    const startElement = (): void => {
      countLinesTo(i);
      this.elementLine = this.line;
      this.state = IN_ELEMENT;
      this.depth = 0;
      this.lineIndent = -1;
      elementStart = i;
    };

    for (;;) {
      while (i < n) {
        if (this.inString) {
          if (this.escaped) {
            this.escaped = false;
            i++;
            continue;
          }
          const quote = text.indexOf('"', i);
          countLinesTo(i);
          if (nextNewline >= 0 && (quote < 0 || nextNewline < quote)) {
            // A line break inside a string, which JSON does not allow.
            if (this.state === IN_ELEMENT) {
              this.sink.reject(this.elementLine, LINE_BREAK_IN_STRING);
              readAgain(this.takeElement(text.slice(elementStart)));
            } else {
              // The string is broken: what followed its quote is read as structure.
              this.inString = false;
              if (stringStart >= 0) {
                i = stringStart + 1;
              } else {
                this.boundary = true;
                this.lineIndent = 0;
                i = nextNewline + 1;
              }
              stringStart = -1;
            }
            continue;
          }
          const stop = quote < 0 ? n : quote;
          // An odd run of backslashes right before the quote escapes it.
          let run = 0;
          while (stop - 1 - run >= i && text.charCodeAt(stop - 1 - run) === BACKSLASH) run++;
          if (quote < 0) {
            this.escaped = run % 2 === 1;
            i = n;
          } else {
            if (run % 2 === 0) {
              this.inString = false;
              this.stringClosed = this.state === SEEKING;
            }
            i = quote + 1;
          }
          continue;
        }

        const c = text.charCodeAt(i);
        if (this.state === IN_ELEMENT) {
          let ended = false;
          if (c === QUOTE) {
            this.inString = true;
          } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
            this.depth++;
          } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
            if (this.depth > 0) this.depth--;
            else ended = c === CLOSE_BRACKET;
          } else if (c === COMMA && this.depth === 0) {
            ended = true;
          }
          if (!ended) {
            i++;
            continue;
          }
          const element = this.takeElement(text.slice(elementStart, i));
          const rest = this.finishElement(element, text.slice(i));
          if (rest !== null) {
            readAgain(rest);
          } else if (c === CLOSE_BRACKET) {
            countLinesTo(i);
            this.closingLine = this.line;
            this.state = AFTER_ARRAY;
            i++;
          } else {
            this.state = BETWEEN_ELEMENTS;
            i++;
          }
          continue;
        }

        if (isWhitespace(c)) {
          if (c === NEWLINE) this.lineIndent = 0;
          else if (this.lineIndent >= 0) this.lineIndent++;
          i++;
          continue;
        }
        const indent = this.lineIndent;
        this.lineIndent = -1;
        if (this.state === SEEKING) {
          if (this.stringClosed) {
            this.stringClosed = false;
            if (c !== COMMA && c !== COLON && c !== CLOSE_BRACE && c !== CLOSE_BRACKET) {
              // The quotes are out of step: the string's opening quote closed one, so what
              // followed it is read as structure (or, if it lies in an earlier piece, the last
              // quote opened a string).
              if (stringStart >= 0) i = stringStart + 1;
              else this.inString = true;
              stringStart = -1;
              continue;
            }
          }
          if (c === OPEN_BRACE) {
            let starts =
              this.depth < 0 ||
              (this.depth === 0 && this.boundary) ||
              (indent >= 0 && indent === this.elementIndent);
            if (!starts) {
              const signature = this.firstKeyAt(text, i, final);
              if (signature === undefined) {
                // Decided when more text has come.
                this.carry = text.slice(i);
                this.lineIndent = indent;
                n = i;
                break;
              }
              starts = signature;
            }
            if (starts) {
              startElement();
              continue;
            }
          }
          this.boundary = c === COMMA && this.depth <= 0;
          if (c === QUOTE) {
            this.inString = true;
            stringStart = i;
          } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
            this.depth++;
          } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
            this.depth--;
          }
          i++;
        } else if (this.state === BEFORE_ARRAY) {
          // The format was sniffed from this '['.
          this.state = BETWEEN_ELEMENTS;
          i++;
        } else if (this.state === BETWEEN_ELEMENTS) {
          if (c === CLOSE_BRACKET) {
            countLinesTo(i);
            this.closingLine = this.line;
            this.state = AFTER_ARRAY;
            i++;
          } else if (c === COMMA) {
            // An empty element, as in [a,,b] or a trailing comma: nothing to read.
            i++;
          } else {
            this.elementIndent = indent;
            startElement();
          }
        } else if (!this.trailingTextSeen && (c === COMMA || c === OPEN_BRACE)) {
          // More elements follow: that ] was a stray one, not the end of the array.
          this.sink.reject(this.closingLine, 'unexpected ] before the end of the array');
          this.state = BETWEEN_ELEMENTS;
          this.lineIndent = indent;
        } else {
          if (!this.trailingTextSeen) {
            countLinesTo(i);
            this.sink.reject(this.line, 'unexpected text after the closing ] of the array');
            this.trailingTextSeen = true;
          }
          i = n;
        }
      }
      let end = n;
      if (
        this.state === SEEKING &&
        !final &&
        stringStart >= 0 &&
        (this.inString || this.stringClosed) &&
        n - stringStart <= this.maxRowChars
      ) {
        // Whether the open string is one is not known yet: keep its text to read it again.
        this.carry = text.slice(stringStart);
        this.inString = false;
        this.stringClosed = false;
        this.escaped = false;
        end = stringStart;
      }
      countLinesTo(end);
      if (this.state === IN_ELEMENT) {
        const piece = text.slice(elementStart);
        this.parts.push(piece);
        this.partsLength += piece.length;
        if (this.partsLength > this.maxRowChars) {
          this.sink.reject(this.elementLine, tooLongReason(this.maxRowChars));
          readAgain(this.takeElement(''));
          continue;
        }
      }
      return;
    }
  }

  /**
   * Whether the `{` at `i` is followed by the first key of the first element and its `:`;
   * undefined when the text ends before that is clear and more may come.
   */
  private firstKeyAt(text: string, i: number, final: boolean): boolean | undefined {
    const key = this.firstKey;
    if (key === null) return false;
    let k = i + 1;
    const skipSpace = (): boolean => {
      const limit = k + MAX_SIGNATURE_SPACE;
      while (k < text.length && k < limit && isWhitespace(text.charCodeAt(k))) k++;
      return k < limit;
    };
    if (!skipSpace()) return false;
    const found = text.slice(k, k + key.length);
    if (found !== key.slice(0, found.length)) return false;
    if (found.length === key.length) {
      k += key.length;
      if (!skipSpace()) return false;
      if (k < text.length) return text.charCodeAt(k) === COLON;
    }
    return final ? false : undefined;
  }

  /** The current element's text: the earlier pieces and `last`; the pieces are cleared. */
  private takeElement(last: string): string {
    const text = this.parts.length === 0 ? last : this.parts.join('') + last;
    this.parts = [];
    this.partsLength = 0;
    return text;
  }

  /**
   * Reads an element that ended at a `,` or `]` at its top level. Returns null when that is the
   * whole story (a row, or a rejection for its size). When it does not parse, it is rejected and
   * the text to read again is returned: the element and `rest`, what came after it. So is an
   * array's, after the sink has it (and rejects it, rows being objects): a stray `[` wraps the
   * elements after it into one.
   */
  private finishElement(text: string, rest: string): string | null {
    this.lineIndent = -1;
    if (text.length > this.maxRowChars) {
      this.sink.reject(this.elementLine, tooLongReason(this.maxRowChars));
      return null;
    }
    let value: unknown;
    try {
      value = parseJsonRow(text);
    } catch (error) {
      this.sink.reject(this.elementLine, invalidJsonReason(error));
      return text + rest;
    }
    this.sink.row(value, this.elementLine);
    if (Array.isArray(value)) return text + rest;
    if (this.firstKey === null && typeof value === 'object' && value !== null) {
      const [first] = Object.keys(value);
      if (first !== undefined) this.firstKey = JSON.stringify(first);
    }
    return null;
  }

  /**
   * Seeking state for reading `element`, a bad element's text from its first character, again;
   * returns where to start. After a `{` or `[` that is inside its braces; any other first
   * character is read at the top level.
   */
  private seekIn(element: string): number {
    const first = element.charCodeAt(0);
    const opens = first === OPEN_BRACE || first === OPEN_BRACKET;
    this.state = SEEKING;
    this.depth = opens ? 0 : -1;
    this.inString = false;
    this.escaped = false;
    this.boundary = false;
    this.stringClosed = false;
    this.lineIndent = -1;
    this.line = this.elementLine;
    return opens ? 1 : 0;
  }
}
