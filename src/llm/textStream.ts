// Streaming text out of token ids, and cutting it at stop sequences, so that the pieces handed to
// `onToken` always join to exactly the final answer.

/**
 * Decodes token ids into text pieces as they arrive. Decoding each token on its own is wrong (a
 * character can span tokens; SentencePiece decoders drop the leading space of a decoded span),
 * and decoding everything again per token costs O(n²). So, after Hugging Face's
 * text-generation-inference, it decodes a short window that starts a little before the unread
 * tokens: the window's text minus the text it had before is the new piece. The window restarts
 * every few tokens (keeping one token of left context), so each token costs about one decode
 * of a few tokens. A piece ending in U+FFFD (half a UTF-8 character) waits for the next token.
 */
export class IncrementalDecoder {
  readonly #decode: (ids: number[]) => string;
  readonly #ids: number[] = [];
  /** Start of the decoded window. */
  #prefixOffset = 0;
  /** End of the text already handed out, and that text's decoding from `#prefixOffset`. */
  #readOffset = 0;
  #readText = '';

  constructor(decode: (ids: number[]) => string) {
    this.#decode = decode;
  }

  /** Adds one token; returns the text it completes ('' when none yet). */
  push(id: number): string {
    this.#ids.push(id);
    return this.#advance(false);
  }

  /** The text still held back at the end of generation. */
  finish(): string {
    return this.#advance(true);
  }

  #advance(final: boolean): string {
    if (this.#readOffset === this.#ids.length) return '';
    const text = this.#decode(this.#ids.slice(this.#prefixOffset));
    if (text.length <= this.#readText.length || (!final && text.endsWith('\uFFFD'))) return '';
    const piece = text.slice(this.#readText.length);
    this.#readOffset = this.#ids.length;
    this.#readText = text;
    if (this.#readOffset - this.#prefixOffset > WINDOW_TOKENS) {
      this.#prefixOffset = this.#readOffset - 1;
      this.#readText = this.#decode(this.#ids.slice(this.#prefixOffset, this.#readOffset));
    }
    return piece;
  }
}

/** Longest decoded window before it restarts. */
const WINDOW_TOKENS = 8;

/**
 * Cuts streamed text before the first stop sequence. Text that could be the start of a stop
 * sequence is held back until the next piece shows whether it is one.
 */
export class StopSequenceFilter {
  readonly #stops: string[];
  #held = '';
  #stopped = false;

  constructor(stops: string[]) {
    this.#stops = stops;
  }

  /** True once a stop sequence was seen; no text is passed on after it. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Takes the next piece; returns the text that is certainly before any stop sequence. */
  push(piece: string): string {
    if (this.#stopped) return '';
    const text = this.#held + piece;
    let cut = -1;
    for (const stop of this.#stops) {
      const at = text.indexOf(stop);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      this.#stopped = true;
      this.#held = '';
      return text.slice(0, cut);
    }
    let hold = 0;
    for (const stop of this.#stops) {
      for (let length = Math.min(stop.length - 1, text.length); length > hold; length--) {
        if (text.endsWith(stop.slice(0, length))) {
          hold = length;
          break;
        }
      }
    }
    this.#held = text.slice(text.length - hold);
    return text.slice(0, text.length - hold);
  }

  /** The held-back text at the end of generation (it turned out not to be a stop sequence). */
  finish(): string {
    const rest = this.#stopped ? '' : this.#held;
    this.#held = '';
    return rest;
  }
}
