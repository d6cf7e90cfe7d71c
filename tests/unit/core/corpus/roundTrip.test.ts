// Every file a dataset export writes imports back as a corpus with the same messages, skills and
// provenance, so a shared dataset can be the next corpus.
import { describe, expect, it } from 'vitest';
import { importCorpus } from '../../../../src/core/corpus/importCorpus';
import type { Sample } from '../../../../src/core/corpus/sample';
import { provenanceOf, type RecordShape } from '../../../../src/core/export/datasetFormats';
import { exportDataset } from '../../../../src/core/export/exportDataset';
import { exportSamples } from '../export/exportSamples';
import { request } from '../export/exportFacts';
import { readZip, streamBytes } from '../export/zipReader';
import { memoryFile } from './corpusFiles';

/** The archive's data files by path (without the folder), exported with these choices. */
async function dataFiles(
  tableShape: RecordShape,
  includeRawOutput: boolean,
  includeProvenance = true,
) {
  const archive = exportDataset({ ...request, tableShape, includeProvenance, includeRawOutput });
  const files = readZip(await streamBytes(archive.stream));
  return [...files]
    .map(([name, bytes]) => [name.slice(archive.root.length + 1), bytes] as const)
    .filter(([path]) => !/^(README\.md|manifest\.json)$/.test(path));
}

async function imported(path: string, bytes: Uint8Array, chunkSize: number) {
  const samples: Sample[] = [];
  const report = await importCorpus(memoryFile(path.replace(/\//g, '-'), bytes, chunkSize), {
    onBatch: (batch) => void samples.push(...batch),
  });
  return { report, samples };
}

describe('round trips of exported datasets', () => {
  for (const tableShape of ['openai', 'sharegpt', 'alpaca'] as const) {
    for (const includeRawOutput of [false, true]) {
      it(`imports every file back (Parquet and CSV as ${tableShape}${includeRawOutput ? ', raw answers' : ''})`, async () => {
        const files = await dataFiles(tableShape, includeRawOutput);
        expect(files.map(([path]) => path)).toEqual([
          'data/train-00000.parquet',
          'openai/train-00000.jsonl',
          'sharegpt/train-00000.jsonl',
          'alpaca/train-00000.jsonl',
          'csv/train-00000.csv',
        ]);
        for (const [path, bytes] of files) {
          // Cut into small chunks, so rows and characters are split across them.
          const { report, samples } = await imported(path, bytes, 97);
          expect(report, path).toMatchObject({ rows: 3, kept: 3, tagField: 'steps.skills' });
          expect(report.rejected, path).toEqual([]);
          samples.forEach((sample, i) => {
            const original = exportSamples[i];
            expect(sample.messages, path).toEqual(original.messages);
            expect(sample.skills, path).toEqual(original.skills);
            expect(sample.provenance, path).toEqual(provenanceOf(original, includeRawOutput));
          });
        }
      });
    }
  }

  it('imports the messages back without provenance, and no skills then', async () => {
    for (const [path, bytes] of await dataFiles('openai', false, false)) {
      const { samples } = await imported(path, bytes, 1 << 16);
      expect(
        samples.map((sample) => sample.messages),
        path,
      ).toEqual(
        path.startsWith('alpaca')
          ? // Without provenance an Alpaca `input` is the instruction's context, as in any corpus.
            exportSamples.map((sample) =>
              sample.messages.length === 5
                ? [
                    sample.messages[0],
                    {
                      role: 'user',
                      content: `${sample.messages[3].content}\n\nUser: ${sample.messages[1].content}\nAssistant: ${sample.messages[2].content}`,
                    },
                    sample.messages[4],
                  ]
                : sample.messages,
            )
          : exportSamples.map((sample) => sample.messages),
      );
      expect(
        samples.map((sample) => [sample.provenance, sample.skills]),
        path,
      ).toEqual(samples.map(() => [undefined, []]));
    }
  });

  it('leaves a `steps` field of another kind alone', async () => {
    const rows = [
      { messages: [{ role: 'user', content: 'Q' }], steps: ['think', 'answer'], tags: ['a'] },
      {
        messages: [{ role: 'user', content: 'R' }],
        steps: { runId: 'x', skills: ['b'] },
        tags: ['b'],
      },
    ];
    const text = rows.map((row) => JSON.stringify(row)).join('\n');
    const samples: Sample[] = [];
    const report = await importCorpus(memoryFile('other.jsonl', text), {
      onBatch: (batch) => void samples.push(...batch),
    });
    expect(report.kept).toBe(2);
    expect(samples.map((sample) => sample.provenance)).toEqual([undefined, undefined]);
  });
});
