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

const hex = (byte: number): string => `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;

/** Bytes 0x80–0x9F that Windows-1252 leaves undefined; text in it never holds them. */
const UNDEFINED_IN_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

function isContinuation(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x80 && byte <= 0xbf;
}

/**
 * What is wrong at `bytes[at]`, where UTF-8 breaks, and what to do. Latin-1/Windows-1252 is
 * named only when it fits: a lone high byte that is a character there, among bytes that form no
 * UTF-8 sequence with it (`café` saved as Latin-1 is `caf`, 0xE9, then ASCII). `final`: the
 * bytes end where the file ends.
 */
function describeInvalidUtf8(bytes: Uint8Array, at: number, final: boolean): string {
  const lead = bytes[at];
  const length = sequenceLength(lead);
  const next: number | undefined = bytes[at + 1];
  const cutOff =
    final &&
    length > 1 &&
    at + length > bytes.length &&
    bytes.subarray(at + 1).every(isContinuation);
  const lone = !isContinuation(next) && (at === 0 || bytes[at - 1] < 0x80);
  if (!cutOff && lone && !UNDEFINED_IN_1252.has(lead)) {
    return 'it looks like Latin-1/Windows-1252 — re-save it as UTF-8';
  }
  let fault: string;
  if (cutOff) {
    fault = `the file ends inside a ${length}-byte character (truncated?)`;
  } else if (isContinuation(lead)) {
    fault = `byte ${hex(lead)} continues a character that never started`;
  } else if (length === 0) {
    fault = `byte ${hex(lead)} never occurs in UTF-8`;
  } else if ((lead === 0xe0 && next < 0xa0) || (lead === 0xf0 && next < 0x90)) {
    fault = `${hex(lead)} ${hex(next)} is an overlong encoding`;
  } else if (lead === 0xed && next >= 0xa0) {
    fault = `${hex(lead)} ${hex(next)} encodes half of a UTF-16 surrogate pair (CESU-8 or WTF-8, not UTF-8)`;
  } else if (lead === 0xf4 && next >= 0x90) {
    fault = `${hex(lead)} ${hex(next)} encodes a code point above U+10FFFF`;
  } else {
    let end = at + 1;
    while (isContinuation(bytes[end])) end++;
    const begun = [...bytes.subarray(at, end)].map(hex).join(' ');
    fault = `a ${length}-byte character begun by ${begun} is cut short by ${hex(bytes[end])}`;
  }
  return `${fault}; the file is damaged or not UTF-8 — re-save it as UTF-8`;
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
    const index = Math.max(0, firstInvalidUtf8(joined, final));
    const at = this.offset - carry.length + index;
    return new CorpusFileError(
      this.fileName,
      `${this.fileName} is not UTF-8 text (invalid byte at offset ${at}); ${describeInvalidUtf8(joined, index, final)}`,
    );
  }
}
