import { chunksFromByobReader, chunksFromReader, type CorpusFile } from '../src/core/corpus/source';

/** Bytes read from a file at a time, into one buffer reused for the whole file. */
const READ_BUFFER_BYTES = 1 << 20;

/**
 * The bytes of `blob` from the start, read into one reused buffer where the browser's
 * Blob.stream() is a byte stream (each chunk is valid until the next is asked for), else in the
 * stream's own chunks.
 */
export function blobChunks(blob: Blob): AsyncGenerator<Uint8Array> {
  const stream = blob.stream();
  let reader: ReadableStreamBYOBReader;
  try {
    reader = stream.getReader({ mode: 'byob' });
  } catch {
    return chunksFromReader(stream.getReader()); // not a byte stream: no BYOB reader
  }
  return chunksFromByobReader(reader, READ_BUFFER_BYTES);
}

/** A browser File as the importer reads it: streamed from the start, sliced for Parquet. */
export function corpusFileFromBlob(file: File): CorpusFile {
  return {
    name: file.name,
    size: file.size,
    chunks: blobChunks(file),
    randomAccess: {
      byteLength: file.size,
      slice: (start, end) => file.slice(start, end).arrayBuffer(),
    },
  };
}
