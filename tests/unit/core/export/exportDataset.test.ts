import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exportDataset, type ExportRequest } from '../../../../src/core/export/exportDataset';
import { exportLines, provenanceOf } from '../../../../src/core/export/datasetFormats';
import type { DatasetManifest } from '../../../../src/core/export/manifest';
import { exportSamples } from './exportSamples';
import { request } from './exportFacts';
import { readZip, streamBytes } from './zipReader';

// Keeping a byte order mark, to see it.
const text = (bytes: Uint8Array | undefined) =>
  new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
const root = 'Demo-skills-run-7f3a-2025-02-02';

async function exported(changes: Partial<ExportRequest> = {}) {
  const progress: [number, number][] = [];
  const archive = exportDataset({
    ...request,
    ...changes,
    onProgress: (written, total) => progress.push([written, total]),
  });
  const files = readZip(await streamBytes(archive.stream));
  return { archive, files, progress, manifest: await archive.manifest };
}

/** The card's YAML front matter, parsed. */
function frontMatter(card: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(card);
  expect(match).not.toBeNull();
  return parse(match![1]) as Record<string, unknown>;
}

describe('exportDataset', () => {
  it('writes one folder named after the dataset, run and date, with data, card and manifest', async () => {
    const { archive, files, progress } = await exported();
    expect(archive.fileName).toBe(`${root}.zip`);
    expect([...files.keys()]).toEqual([
      `${root}/data/train-00000.parquet`,
      `${root}/openai/train-00000.jsonl`,
      `${root}/sharegpt/train-00000.jsonl`,
      `${root}/alpaca/train-00000.jsonl`,
      `${root}/csv/train-00000.csv`,
      `${root}/README.md`,
      `${root}/manifest.json`,
    ]);
    expect(progress.at(-1)).toEqual([15, 15]);
  });

  it('writes the JSONL files line for line as exportLines does', async () => {
    const { files } = await exported();
    for (const format of ['openai', 'sharegpt', 'alpaca'] as const) {
      const { lines } = exportLines(exportSamples, { format, includeProvenance: true });
      expect(text(files.get(`${root}/${format}/train-00000.jsonl`))).toBe(
        lines.map((line) => `${line}\n`).join(''),
      );
    }
  });

  it('writes Parquet that hyparquet reads back row for row, typed', async () => {
    const { files } = await exported();
    const bytes = files.get(`${root}/data/train-00000.parquet`)!;
    const buffer = bytes.slice().buffer;
    const metadata = parquetMetadata(buffer);
    expect(metadata.created_by).toBe('STEPS Studio 0.1.0');
    const rows = await parquetReadObjects({ file: buffer });
    expect(rows).toHaveLength(exportSamples.length);
    rows.forEach((row, i) => {
      const sample = exportSamples[i];
      expect(row.messages).toEqual(sample.messages);
      const steps = row.steps as Record<string, unknown>;
      const expected = provenanceOf(sample);
      expect(steps.seed).toBe(BigInt(sample.seed));
      // Parquet's JSON type: the text, which readers parse.
      expect(JSON.parse(steps.parameters as string)).toEqual(expected.parameters);
      expect({
        ...steps,
        seed: Number(steps.seed),
        parameters: expected.parameters,
        usage: {
          ...(steps.usage as object),
          promptTokens: Number((steps.usage as { promptTokens: bigint }).promptTokens),
          completionTokens: Number((steps.usage as { completionTokens: bigint }).completionTokens),
        },
      }).toEqual(expected);
    });
  });

  it('writes Alpaca and ShareGPT columns to Parquet when asked, system null where absent', async () => {
    for (const tableShape of ['alpaca', 'sharegpt'] as const) {
      const { files } = await exported({
        formats: ['parquet'],
        tableShape,
        includeProvenance: false,
      });
      const buffer = files.get(`${root}/data/train-00000.parquet`)!.slice().buffer;
      const rows = await parquetReadObjects({ file: buffer });
      const { lines } = exportLines(exportSamples, { format: tableShape });
      const expected = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(rows).toEqual(
        tableShape === 'alpaca' ? expected.map((row) => ({ system: null, ...row })) : expected,
      );
    }
  });

  it('writes CSV as RFC 4180 with JSON text for the nested columns', async () => {
    const { files } = await exported({ formats: ['csv'], includeProvenance: false });
    const csv = text(files.get(`${root}/data/train-00000.csv`));
    const first = JSON.stringify(exportSamples[0].messages).replace(/"/g, '""');
    expect(csv).toBe(
      `\ufeff"messages"\r\n"${first}"\r\n` +
        exportSamples
          .slice(1)
          .map((sample) => `"${JSON.stringify(sample.messages).replace(/"/g, '""')}"\r\n`)
          .join(''),
    );
  });

  it('states sizes, hashes and counts in a manifest the card agrees with', async () => {
    const { files, manifest } = await exported();
    const parsed = JSON.parse(text(files.get(`${root}/manifest.json`))) as DatasetManifest;
    expect(parsed).toEqual(manifest);
    expect(manifest.dataset).toMatchObject({ samples: 3, sizeCategory: 'n<1K' });
    expect(manifest.review).toEqual({ accepted: 0, rejected: 0, edited: 0, unreviewed: 3 });
    for (const file of manifest.files) {
      const bytes = files.get(`${root}/${file.path}`)!;
      expect(file.bytes).toBe(bytes.length);
      expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(file.rows).toBe(3);
    }
    expect(manifest.files.find((file) => file.format === 'alpaca')?.foldedMultiTurn).toBe(1);

    const card = text(files.get(`${root}/README.md`));
    const yaml = frontMatter(card);
    expect(yaml).toEqual({
      pretty_name: 'STEPS synthetic conversations: Demo skills',
      license: 'cc-by-4.0',
      language: ['en'],
      annotations_creators: ['machine-generated'],
      language_creators: ['machine-generated'],
      source_datasets: ['BAAI/Infinity-Instruct'],
      task_categories: ['text-generation'],
      size_categories: ['n<1K'],
      tags: ['synthetic', 'steps', 'skill-composition'],
      configs: [
        {
          config_name: 'default',
          data_files: [{ split: 'train', path: 'data/train-00000.parquet' }],
        },
        ...['openai', 'sharegpt', 'alpaca'].map((format) => ({
          config_name: format,
          data_files: [{ split: 'train', path: `${format}/train-00000.jsonl` }],
        })),
        { config_name: 'csv', data_files: [{ split: 'train', path: 'csv/train-00000.csv' }] },
      ],
    });
    for (const file of manifest.files) {
      expect(card).toContain(
        `| \`${file.path}\` | ${file.format} | ${file.config} | 3 | ${file.bytes} | \`${file.sha256}\` |`,
      );
    }
    expect(card).toContain(`| file SHA-256 | \`${'ab'.repeat(32)}\` |`);
    expect(card).toContain('| 2 | 2 |\n| 3 | 1 |\n| total | 3 |');
    expect(card).toContain('| unreviewed | 3 |');
    expect(card).toContain('| prompt | 240 |\n| completion | 106 |');
    expect(card).toContain('in STEPS Studio 0.1.0');
    expect(card).toContain('1 rows were folded that way');
  });

  it('counts a review outcome it is given', async () => {
    const review = { accepted: 2, rejected: 4, edited: 1, unreviewed: 0 };
    const { files, manifest } = await exported({ formats: ['openai'], review });
    expect(manifest.review).toEqual(review);
    const card = text(files.get(`${root}/README.md`));
    expect(card).toContain('A person reviewed 7 samples');
    expect(card).toContain('| rejected (left out) | 4 |');
  });

  it('names a licence "other" with its name and link', async () => {
    const { files } = await exported({
      formats: ['openai'],
      dataset: {
        ...request.dataset,
        license: { id: 'other', name: 'corpus-terms-1.0', link: 'https://example.org/terms' },
      },
    });
    const yaml = frontMatter(text(files.get(`${root}/README.md`)));
    expect(yaml).toMatchObject({
      license: 'other',
      license_name: 'corpus-terms-1.0',
      license_link: 'https://example.org/terms',
    });
  });

  it('refuses a request it cannot publish, naming the field', () => {
    const refused = (changes: Partial<ExportRequest>) => () =>
      exportDataset({ ...request, ...changes });
    expect(refused({ formats: [] })).toThrow('formats: choose at least one format');
    expect(refused({ formats: ['xml' as 'csv'] })).toThrow(
      'formats: must be among openai, sharegpt, alpaca, parquet, csv, got "xml"',
    );
    expect(refused({ dataset: { ...request.dataset, license: { id: 'other' } } })).toThrow(
      /^licence name:/,
    );
    expect(refused({ dataset: { ...request.dataset, license: { id: 'wtfpl' } } })).toThrow(
      /^licence: must be one of/,
    );
    expect(refused({ dataset: { ...request.dataset, language: ['english!'] } })).toThrow(
      'language: "english!" is not a language code',
    );
    expect(refused({ dataset: { ...request.dataset, sourceDatasets: ['a b'] } })).toThrow(
      'source datasets: "a b" is not a Hub id',
    );
    expect(refused({ dataset: { ...request.dataset, name: ' ' } })).toThrow(
      'name: give the dataset a name',
    );
  });

  it('keeps hostile text inert in the YAML and the Markdown of the card', async () => {
    const hostile = 'x"\n---\nlicense: mit\n<script>alert(1)</script>|\u2028# h';
    const { files } = await exported({
      formats: ['openai'],
      dataset: { ...request.dataset, name: hostile },
      facts: {
        ...request.facts,
        corpus: { ...request.facts.corpus!, name: hostile },
        taxonomies: [
          {
            ...request.facts.taxonomies[0],
            nodeNames: [{ level: 1, community: 0, name: hostile, source: 'model' }],
          },
        ],
      },
    });
    const [name] = [...files.keys()];
    expect(name).toBe(
      'x-license-mit-script-alert-1-script-h-run-7f3a-2025-02-02/data/train-00000.jsonl',
    );
    const card = text([...files.values()][1]);
    const yaml = frontMatter(card);
    expect(yaml.license).toBe('cc-by-4.0');
    expect(yaml.pretty_name).toBe(
      'STEPS synthetic conversations: x" --- license: mit &lt;script&gt;alert(1)&lt;/script&gt;| # h',
    );
    expect(card).not.toMatch(/<script/);
    expect(card.split('\n').filter((line) => line === '---')).toHaveLength(2);
    expect(card).toContain(
      '| 1 | 0 | x" --- license: mit &lt;script&gt;alert(1)&lt;/script&gt;\\| # h | model |',
    );
  });
});
