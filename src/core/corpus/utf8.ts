import { CorpusFileError } from './errors';

/** Bytes a UTF-8 sequence takes given its lead byte; 0 for a byte that cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/**
 * Offset of the first byte in `bytes` that breaks UTF-8, or -1. A sequence cut off by the end
 * counts as broken only when `final` is set. Only runs after TextDecoder has failed, to say where.
 */
export function firstInvalidUtf8(bytes: Uint8Array, final: boolean): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    const length = sequenceLength(lead);
    if (length === 0) return i;
    if (length === 1) {
      i++;
      continue;
    }
    for (let k = 1; k < length; k++) {
      if (i + k >= bytes.length) return final ? i : -1;
      const next = bytes[i + k];
      let low = 0x80;
      let high = 0xbf;
      if (k === 1) {
        // Exclude overlong forms, surrogates and code points above U+10FFFF.
        if (lead === 0xe0) low = 0xa0;
        else if (lead === 0xed) high = 0x9f;
        else if (lead === 0xf0) low = 0x90;
        else if (lead === 0xf4) high = 0x8f;
      }
      if (next < low || next > high) return i;
    }
    i += length;
  }
  return -1;
}

/** The last three bytes of the stream so far (a chunk may be shorter than a sequence). */
function lastBytes(previous: Uint8Array, chunk: Uint8Array): Uint8Array {
  if (chunk.length >= 3) return chunk.slice(chunk.length - 3);
  const joined = new Uint8Array(Math.min(3, previous.length + chunk.length));
  const fromPrevious = joined.length - chunk.length;
  joined.set(previous.subarray(previous.length - fromPrevious));
  joined.set(chunk, fromPrevious);
  return joined;
}

/** Where an unfinished sequence starts among the last bytes of a chunk, or -1. */
function unfinishedSequenceStart(bytes: Uint8Array): number {
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const byte = bytes[bytes.length - back];
    if (byte < 0x80) return -1;
    if (byte >= 0xc0) return sequenceLength(byte) > back ? bytes.length - back : -1;
  }
  return -1;
}

/**
 * Streaming, strict UTF-8 decoding (the BOM is dropped). Invalid bytes end the import with a
 * message giving their offset, since a wrongly decoded corpus would silently garble skills.
 */
export class Utf8Decoder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** Bytes of all earlier chunks. */
  private offset = 0;
  /** The last bytes before the current chunk, to locate an error in a sequence split across chunks. */
  private previousTail: Uint8Array = new Uint8Array(0);

  constructor(private readonly fileName: string) {}

  decode(chunk: Uint8Array): string {
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      throw this.notUtf8(chunk, false);
    }
    this.previousTail = lastBytes(this.previousTail, chunk);
    this.offset += chunk.length;
    return text;
  }

  /** The text held back for an unfinished sequence at the very end; throws if there is one. */
  end(): string {
    try {
      return this.decoder.decode();
    } catch {
      throw this.notUtf8(new Uint8Array(0), true);
    }
  }

  private notUtf8(chunk: Uint8Array, final: boolean): CorpusFileError {
    const carried = unfinishedSequenceStart(this.previousTail);
    const carry = carried < 0 ? new Uint8Array(0) : this.previousTail.subarray(carried);
    const joined = new Uint8Array(carry.length + chunk.length);
    joined.set(carry);
    joined.set(chunk, carry.length);
    const at = this.offset - carry.length + Math.max(0, firstInvalidUtf8(joined, final));
    return new CorpusFileError(
      this.fileName,
      `${this.fileName} is not UTF-8 text (invalid byte at offset ${at}); it looks like Latin-1/Windows-1252 — re-save it as UTF-8`,
    );
  }
}
