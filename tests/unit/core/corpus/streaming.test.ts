// Batches, progress, cancellation, preview and web-stream input.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importCorpus, previewCorpus } from '../../../../src/core/corpus/importCorpus';
import {
  chunksFromByobReader,
  chunksFromReader,
  type CorpusFile,
} from '../../../../src/core/corpus/source';
import { sharedPath } from '../../../sharedData';
import { memoryFile } from './corpusFiles';

const ifeval = readFileSync(sharedPath('data', 'ifeval', 'input_data.jsonl'));

/** IFEval in 4 KB chunks, counting how many chunks the importer pulled. */
function countedFile(): { file: CorpusFile; pulled: () => number } {
  let pulled = 0;
  const file = memoryFile('input_data.jsonl', ifeval, 4096);
  const inner = file.chunks;
  file.chunks = (async function* () {
    for await (const chunk of inner) {
      pulled++;
      yield chunk;
    }
  })();
  return { file, pulled: () => pulled };
}

describe('streaming import', () => {
  it('hands over every kept sample in batches, in file order', async () => {
    const sizes: number[] = [];
    const ids: string[] = [];
    const report = await importCorpus(memoryFile('input_data.jsonl', ifeval, 4096), {
      batchSize: 100,
      onBatch: async (batch) => {
        sizes.push(batch.length);
        ids.push(...batch.map((s) => s.id));
        await new Promise((resolve) => setTimeout(resolve, 1));
      },
    });
    expect(report.kept).toBe(541);
    expect(sizes.length).toBeGreaterThan(4);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(541);
    expect(ids[0]).toBe('1000');
    expect(new Set(ids).size).toBe(541);
  });

  it('an error thrown by onBatch ends the import unchanged, and reading stops', async () => {
    const quota = new Error('QuotaExceededError: storage full');
    const { file, pulled } = countedFile();
    let calls = 0;
    const importing = importCorpus(file, {
      batchSize: 50,
      onBatch: () => {
        calls++;
        if (calls === 2) throw quota;
      },
    });
    await expect(importing).rejects.toBe(quota);
    expect(calls).toBe(2);
    expect(pulled()).toBeLessThan(Math.ceil(ifeval.length / 4096));
  });

  it('reports progress with growing byte counts and a final call at the end', async () => {
    const calls: [number, number][] = [];
    await importCorpus(memoryFile('input_data.jsonl', ifeval, 1024), {
      progressIntervalMs: 0,
      onProgress: (bytes, rows) => calls.push([bytes, rows]),
    });
    expect(calls.length).toBeGreaterThan(100);
    for (let k = 1; k < calls.length; k++) {
      expect(calls[k][0]).toBeGreaterThanOrEqual(calls[k - 1][0]);
      expect(calls[k][1]).toBeGreaterThanOrEqual(calls[k - 1][1]);
    }
    expect(calls.at(-1)).toEqual([ifeval.length, 541]);
  });

  it('cancels with an AbortError', async () => {
    const controller = new AbortController();
    const importing = importCorpus(memoryFile('input_data.jsonl', ifeval, 4096), {
      batchSize: 10,
      signal: controller.signal,
      onBatch: () => controller.abort(),
    });
    await expect(importing).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a preview reads only the first rows and offers the tag fields', async () => {
    const { file, pulled } = countedFile();
    const preview = await previewCorpus(file);
    expect(preview).toMatchObject({
      format: 'jsonl',
      shape: 'ifeval',
      tagField: 'instruction_id_list',
      tagFieldCandidates: [
        { field: 'instruction_id_list', kind: 'list', delimiter: null, rows: 50 },
      ],
    });
    expect(preview.samples).toHaveLength(50);
    expect(pulled()).toBeLessThan(10);
  });

  it('reads a web ReadableStream through its reader, and cancels it when stopped early', async () => {
    const blob = new Blob([ifeval]);
    const report = await importCorpus({
      name: 'input_data.jsonl',
      size: blob.size,
      chunks: chunksFromReader(blob.stream().getReader()),
    });
    expect(report.kept).toBe(541);

    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(ifeval.subarray(0, ifeval.indexOf(10) + 1)),
      cancel: () => {
        cancelled = true;
      },
    });
    await previewCorpus({
      name: 'endless.jsonl',
      size: 0,
      chunks: chunksFromReader(stream.getReader()),
    });
    expect(cancelled).toBe(true);
  });

  it('reads a byte stream into one reused buffer, even one shorter than the format sniff', async () => {
    const blob = new Blob([ifeval]);
    const batches = (chunks: AsyncIterable<Uint8Array>) => {
      const ids: string[] = [];
      const file = { name: 'input_data.jsonl', size: blob.size, chunks };
      const onBatch = (samples: { id: string }[]) => void ids.push(...samples.map((s) => s.id));
      return importCorpus(file, { batchSize: 100, onBatch }).then((report) => ({ report, ids }));
    };
    const plain = await batches(chunksFromReader(blob.stream().getReader()));
    const sizes: number[] = [];
    const buffers = new Set<number>();
    const reused = (async function* () {
      // 1000 bytes: the first 4096 (the format sniff) take five reads into the same memory.
      for await (const chunk of chunksFromByobReader(
        blob.stream().getReader({ mode: 'byob' }),
        1000,
      )) {
        sizes.push(chunk.length);
        buffers.add(chunk.buffer.byteLength);
        yield chunk;
      }
    })();
    const byob = await batches(reused);
    expect(byob).toEqual(plain);
    expect(byob.report.kept).toBe(541);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(ifeval.length);
    expect(Math.max(...sizes)).toBe(1000);
    expect([...buffers]).toEqual([1000]);

    // Stopped early (a preview of a long file): the stream is cancelled.
    let cancelled = false;
    const long = new Blob(Array.from({ length: 20 }, () => ifeval));
    const reader = long.stream().getReader({ mode: 'byob' });
    await previewCorpus({
      name: 'input_data.jsonl',
      size: long.size,
      chunks: chunksFromByobReader(
        {
          read: (view) => reader.read(view),
          cancel: (reason) => {
            cancelled = true;
            return reader.cancel(reason);
          },
        },
        1 << 16,
      ),
    });
    expect(cancelled).toBe(true);
  });
});
