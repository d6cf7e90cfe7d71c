import type { GeneratedSample } from '../synthesis/generatedSample';

/**
 * The samples to export, readable once per file: IndexedDB read a batch at a time in the app
 * (src/ui/dataset/storedSamples.ts), a file read again for each format by the CLI, a generator
 * in the benchmark. So no writer needs them all at once.
 */
export interface SampleSource {
  /** Samples each reading yields (progress and the card need it before writing). */
  count: number;
  /** A new reading from the first sample on. */
  read(): Iterable<GeneratedSample> | AsyncIterable<GeneratedSample>;
}

/** A source over samples held in memory (tests, and the benchmark's comparison). */
export function samplesInMemory(samples: readonly GeneratedSample[]): SampleSource {
  return { count: samples.length, read: () => samples };
}

/** One reading of the source in batches of up to `size` samples. */
export async function* sampleBatches(
  source: SampleSource,
  size: number,
): AsyncGenerator<GeneratedSample[]> {
  let batch: GeneratedSample[] = [];
  for await (const sample of source.read()) {
    batch.push(sample);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
