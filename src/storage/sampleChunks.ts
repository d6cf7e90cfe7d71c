// Samples are stored in chunks: runs of one corpus's samples in import order, one record each
// (schema.ts says why). This module makes chunk records and reads samples and positions out of them.
import type { Sample } from '../core/corpus/sample';
import type { SampleChunk, StoredSample } from './types';

/**
 * Samples per chunk at most. Big enough that IndexedDB's cost per record is spread over many
 * samples, small enough that reading one sample (`getSample`) clones little besides it.
 */
export const CHUNK_SAMPLES = 500;

/** The chunks holding `samples`, of which the first is at position `first` in the corpus. */
export function chunksOf(
  corpusId: string,
  first: number,
  samples: readonly Sample[],
): SampleChunk[] {
  const chunks: SampleChunk[] = [];
  for (let start = 0; start < samples.length; start += CHUNK_SAMPLES) {
    chunks.push({
      corpusId,
      first: first + start,
      samples: samples.slice(start, start + CHUNK_SAMPLES),
    });
  }
  return chunks;
}

/** The chunk's samples as the storage API gives them, with their corpus and position. */
export function storedSamplesOf(chunk: SampleChunk): StoredSample[] {
  const { corpusId, first } = chunk;
  return chunk.samples.map((sample, i) => ({ ...sample, corpusId, seq: first + i }));
}

/**
 * The index in `firsts` (the corpus's chunk starts, ascending) of the chunk that holds the sample
 * at position `seq`; -1 when `seq` is before them all. Chunk starts are irregular: a chunk never
 * spans two batches of an import.
 */
export function chunkHolding(firsts: readonly number[], seq: number): number {
  let low = 0;
  let high = firsts.length; // the answer is below `high`, and at or above `low - 1`
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (firsts[middle] <= seq) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}
