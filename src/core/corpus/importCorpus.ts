import { CsvReader } from './csv';
import {
  ImportSession,
  type CorpusPreview,
  type ImportOptions,
  type ImportReport,
} from './importSession';
import { JsonArrayReader } from './jsonArray';
import { JsonLinesReader } from './jsonLines';
import { readParquet } from './parquet';
import { DEFAULT_MAX_ROW_CHARS, type TextReader } from './rowSink';
import { detectFormat, SNIFF_BYTES, type CorpusFile, type FormatGuess } from './source';
import { Utf8Decoder } from './utf8';

export type {
  CorpusLayout,
  CorpusPreview,
  ImportOptions,
  ImportReport,
  Rejection,
} from './importSession';

/** Larger input chunks are cut to this, so that batches and progress stay frequent. */
const MAX_PIECE_BYTES = 1 << 20;

/** Reads the first SNIFF_BYTES bytes (fewer if the file is shorter), keeping the chunks read. */
async function readHead(
  iterator: AsyncIterator<Uint8Array>,
): Promise<{ chunks: Uint8Array[]; head: Uint8Array; ended: boolean }> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  let ended = false;
  while (length < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    // Copied: the chunk's memory may be reused for the next (CorpusFile.chunks).
    chunks.push(next.value.slice());
    length += next.value.length;
  }
  const head = new Uint8Array(Math.min(length, SNIFF_BYTES));
  let filled = 0;
  for (const chunk of chunks) {
    if (filled === head.length) break;
    const part = chunk.subarray(0, head.length - filled);
    head.set(part, filled);
    filled += part.length;
  }
  return { chunks, head, ended };
}

function textReader(
  file: CorpusFile,
  guess: FormatGuess,
  session: ImportSession,
  maxRowChars: number,
): TextReader {
  switch (guess.format) {
    case 'json':
      return new JsonArrayReader(session, maxRowChars);
    case 'csv':
      return new CsvReader(file.name, session, guess.csvDelimiter, maxRowChars);
    default:
      return new JsonLinesReader(file.name, session, maxRowChars);
  }
}

/** Reads the whole file (or up to the layout guess, for a preview) into the session. */
async function run(
  file: CorpusFile,
  options: ImportOptions,
  previewOnly: boolean,
): Promise<{ session: ImportSession; bytesRead: number }> {
  const iterator = file.chunks[Symbol.asyncIterator]();
  let exhausted = false;
  try {
    const { chunks, head, ended } = await readHead(iterator);
    exhausted = ended;
    const guess = detectFormat(file.name, head);
    const session = new ImportSession(file.name, guess.format, options, previewOnly);
    if (guess.format === 'parquet') {
      // Parquet is read by random access, not from the stream.
      exhausted = true;
      await iterator.return?.();
      let bytesRead = 0;
      await readParquet(file, session, async (bytes) => {
        bytesRead = bytes;
        await session.afterChunk(bytes);
        return !session.stopped;
      });
      return { session, bytesRead };
    }

    const maxRowChars = options.maxRowChars ?? DEFAULT_MAX_ROW_CHARS;
    const reader = textReader(file, guess, session, maxRowChars);
    const decoder = new Utf8Decoder(file.name);
    let bytesRead = 0;
    const feed = async (chunk: Uint8Array): Promise<void> => {
      for (let start = 0; start < chunk.length && !session.stopped; start += MAX_PIECE_BYTES) {
        const piece = chunk.subarray(start, start + MAX_PIECE_BYTES);
        reader.push(decoder.decode(piece));
        bytesRead += piece.length;
        await session.afterChunk(bytesRead);
      }
    };
    for (const chunk of chunks) await feed(chunk);
    while (!exhausted && !session.stopped) {
      const next = await iterator.next();
      if (next.done) exhausted = true;
      else await feed(next.value);
    }
    if (!session.stopped) {
      reader.push(decoder.end());
      reader.end();
    }
    return { session, bytesRead };
  } finally {
    // Release the underlying stream when reading stopped early (preview, Parquet, error).
    if (!exhausted) await iterator.return?.();
  }
}

/**
 * Imports a corpus file: detects its format and layout, normalises every row to a Sample and hands
 * the kept samples to `options.onBatch`. Memory stays bounded by the batch size and the row size
 * limit, whatever the file size. Malformed rows are listed in the report, never thrown; problems
 * with the file as a whole throw CorpusFileError (messages: README.md in this folder).
 */
export async function importCorpus(
  file: CorpusFile,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const { session, bytesRead } = await run(file, options, false);
  return session.finish(bytesRead);
}

/**
 * Reads only the first rows: the guessed layout (format, shape, tag field and the other candidate
 * tag fields) and those rows as samples, so the user can confirm or change the tag field and
 * delimiter before importing.
 */
export async function previewCorpus(
  file: CorpusFile,
  options: Pick<ImportOptions, 'tagField' | 'delimiter' | 'signal' | 'maxRowChars'> = {},
): Promise<CorpusPreview> {
  const { session } = await run(file, options, true);
  return session.preview();
}
