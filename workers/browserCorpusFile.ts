import { chunksFromReader, type CorpusFile } from '../src/core/corpus/source';

/** A browser File as the importer reads it: streamed from the start, sliced for Parquet. */
export function corpusFileFromBlob(file: File): CorpusFile {
  return {
    name: file.name,
    size: file.size,
    chunks: chunksFromReader(file.stream().getReader()),
    randomAccess: {
      byteLength: file.size,
      slice: (start, end) => file.slice(start, end).arrayBuffer(),
    },
  };
}
