import type { AsyncBuffer } from 'hyparquet';
import { CorpusFileError } from './errors';

/**
 * A corpus file as the caller hands it over; nothing here reads a disk or the DOM.
 * Browser: `{name: file.name, size: file.size, chunks: chunksFromByobReader(...), randomAccess:
 * {byteLength: file.size, slice: (s, e) => file.slice(s, e).arrayBuffer()}}` (workers/browserCorpusFile.ts).
 * Node: a read stream for `chunks`, positioned reads for `randomAccess`.
 */
export interface CorpusFile {
  /** Shown in messages and in each sample's `source`. */
  name: string;
  /** Bytes in the file, for progress. */
  size: number;
  /**
   * The bytes from the start, in chunks of any size; iterated once. A chunk may be overwritten by
   * the next (chunksFromByobReader), so it is used up before the next is asked for.
   */
  chunks: AsyncIterable<Uint8Array>;
  /** Random access (hyparquet's AsyncBuffer); only Parquet needs it. */
  randomAccess?: AsyncBuffer;
}

export type CorpusFormat = 'jsonl' | 'json' | 'csv' | 'parquet';

/** The reading half of a web ReadableStream, described structurally so src/core needs no DOM types. */
export interface ChunkReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
}

/**
 * Async iteration over a web stream reader, for browsers whose ReadableStream is not async
 * iterable (Safari). Stopping early cancels the stream.
 */
export async function* chunksFromReader(reader: ChunkReader): AsyncGenerator<Uint8Array> {
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      if (value) yield value;
    }
  } finally {
    if (!finished) await reader.cancel();
  }
}

/** The reading half of a web byte stream's BYOB reader, described structurally as ChunkReader is. */
export interface ByobChunkReader {
  read(view: Uint8Array): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
}

/**
 * Async iteration over a byte stream read into one buffer of `bufferBytes`, reused for every
 * chunk: each chunk is a view of it, valid until the next is asked for. A stream read with a
 * default reader hands out a new buffer per chunk, and spent buffers are freed only when the
 * garbage collector next runs in their thread: in the 1 GB import the import and hash workers
 * held 80–120 MB of them. Stopping early cancels the stream.
 */
export async function* chunksFromByobReader(
  reader: ByobChunkReader,
  bufferBytes: number,
): AsyncGenerator<Uint8Array> {
  let buffer: ArrayBufferLike = new ArrayBuffer(bufferBytes);
  let finished = false;
  try {
    for (;;) {
      // Reading detaches `buffer`; the view read into comes back over the same memory.
      const { done, value } = await reader.read(new Uint8Array(buffer));
      if (done || value === undefined) {
        finished = true;
        return;
      }
      buffer = value.buffer;
      if (value.length > 0) yield value;
    }
  } finally {
    if (!finished) await reader.cancel();
  }
}

/** How many leading bytes decide the format and whether the file is text at all. */
export const SNIFF_BYTES = 4096;

export interface FormatGuess {
  format: CorpusFormat;
  /** CSV only: the field delimiter. */
  csvDelimiter: string;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"
const GZIP_MAGIC = [0x1f, 0x8b];
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const UTF16_LE_BOM = [0xff, 0xfe];
const UTF16_BE_BOM = [0xfe, 0xff];

/**
 * UTF-16 without a byte order mark, from its zero bytes: text whose characters are mostly ASCII
 * (as JSON and CSV punctuation and keys are) has a zero in every other byte, in the high half of
 * each code unit. Null when the first bytes do not look like that.
 */
function utf16ByteOrder(head: Uint8Array): 'LE' | 'BE' | null {
  const units = head.length >> 1;
  if (units < 2) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i + 1 < head.length; i += 2) {
    if (head[i] === 0) evenZeros++;
    if (head[i + 1] === 0) oddZeros++;
  }
  if (oddZeros * 2 >= units && evenZeros * 10 <= oddZeros) return 'LE';
  if (evenZeros * 2 >= units && oddZeros * 10 <= evenZeros) return 'BE';
  return null;
}

/** The message for UTF-16 text, which the importer does not decode: how to convert it. */
function utf16Message(name: string, head: Uint8Array): string | null {
  let how: string;
  if (startsWith(head, UTF16_LE_BOM) || startsWith(head, UTF16_BE_BOM)) {
    const order = head[0] === 0xff ? 'little' : 'big';
    how = `iconv -f UTF-16 -t UTF-8 (it starts with a ${order}-endian byte order mark)`;
  } else {
    const order = utf16ByteOrder(head);
    if (order === null) return null;
    how = `iconv -f UTF-16${order} -t UTF-8 (it is ${order === 'LE' ? 'little' : 'big'}-endian, without a byte order mark)`;
  }
  return `${name} is UTF-16 text; re-save it as UTF-8, for example with ${how}`;
}

/** Text never holds C0 control bytes other than tab, newline, form feed, carriage return and escape. */
function isControlByte(byte: number): boolean {
  return (
    byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d && byte !== 0x1b
  );
}

function isJsonWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Delimiter of a CSV file: the most frequent of , ; tab | on its first line. */
function guessCsvDelimiter(head: Uint8Array, extension: string): string {
  if (extension === 'tsv') return '\t';
  let end = head.indexOf(0x0a);
  if (end < 0) end = head.length;
  const counts = new Map<number, number>([
    [0x2c, 0],
    [0x3b, 0],
    [0x09, 0],
    [0x7c, 0],
  ]);
  for (let i = 0; i < end; i++) {
    const count = counts.get(head[i]);
    if (count !== undefined) counts.set(head[i], count + 1);
  }
  let best = 0x2c;
  for (const [byte, count] of counts) if (count > (counts.get(best) ?? 0)) best = byte;
  return String.fromCharCode(best);
}

/**
 * Decides the format from the extension and the first bytes, and rejects files that are not
 * text corpora at all. `head` holds the first SNIFF_BYTES bytes (fewer if the file is shorter).
 */
export function detectFormat(name: string, head: Uint8Array): FormatGuess {
  const extension = extensionOf(name);
  const guess = (format: CorpusFormat): FormatGuess => ({
    format,
    csvDelimiter: format === 'csv' ? guessCsvDelimiter(head, extension) : ',',
  });
  if (head.length === 0) throw new CorpusFileError(name, `${name} is empty`);
  if (startsWith(head, PARQUET_MAGIC)) return guess('parquet');
  if (extension === 'parquet') {
    throw new CorpusFileError(name, `${name} is not a Parquet file (it does not start with PAR1)`);
  }
  if (startsWith(head, GZIP_MAGIC)) {
    throw new CorpusFileError(name, `${name} is gzip-compressed; decompress it first`);
  }
  if (startsWith(head, ZIP_MAGIC)) {
    throw new CorpusFileError(name, `${name} is a zip archive; extract the corpus file first`);
  }
  const utf16 = utf16Message(name, head);
  if (utf16 !== null) throw new CorpusFileError(name, utf16);
  let controlBytes = 0;
  for (let i = 0; i < head.length; i++) {
    const byte = head[i];
    if (byte === 0) {
      throw new CorpusFileError(
        name,
        `${name} is not a text file (binary data: a NUL byte at offset ${i})`,
      );
    }
    if (isControlByte(byte)) controlBytes++;
  }
  if (controlBytes * 100 > head.length) {
    throw new CorpusFileError(
      name,
      `${name} is not a text file (binary data: ${controlBytes} control bytes in the first ${head.length})`,
    );
  }

  let first = startsWith(head, UTF8_BOM) ? UTF8_BOM.length : 0;
  while (first < head.length && isJsonWhitespace(head[first])) first++;
  if (first === head.length && head.length < SNIFF_BYTES) {
    throw new CorpusFileError(name, `${name} is empty (it holds only white space)`);
  }
  if (extension === 'csv' || extension === 'tsv') return guess('csv');
  if (extension === 'jsonl' || extension === 'ndjson') return guess('jsonl');
  if (head[first] === 0x5b) return guess('json'); // [
  if (head[first] === 0x7b) return guess('jsonl'); // {
  if (extension === 'json') {
    throw new CorpusFileError(
      name,
      `${name} is neither a JSON array nor JSON Lines: it must start with [ (an array of rows) or { (one JSON object per line)`,
    );
  }
  throw new CorpusFileError(
    name,
    `${name} has an unknown format: expected a .jsonl, .json, .csv, .tsv or .parquet file`,
  );
}
