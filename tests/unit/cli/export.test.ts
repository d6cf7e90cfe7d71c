// `steps export` as a real child process: a samples file (and its attempts file) in, the
// dataset zip out, its files and their contents checked.
import { parquetReadObjects } from 'hyparquet';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exportLines } from '../../../src/core/export/datasetFormats';
import type { DatasetManifest } from '../../../src/core/export/manifest';
import type { SynthesisAttempt } from '../../../src/core/synthesis/synthesisRun';
import { exportSamples } from '../core/export/exportSamples';
import { readZip } from '../core/export/zipReader';
import { stepsJson, stepsSync } from './runSteps';

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

function samplesFile(withAttempts: boolean): string {
  const folder = mkdtempSync(join(tmpdir(), 'steps-export-'));
  const path = join(folder, 'samples.jsonl');
  writeFileSync(path, exportSamples.map((sample) => `${JSON.stringify(sample)}\n`).join(''));
  if (withAttempts) {
    const attempt = (index: number, sample: (typeof exportSamples)[number] | null) =>
      ({
        runId: 'run-a',
        index,
        slot: index,
        k: 2,
        combinationIndex: 0,
        atomicSampleIds: ['c-1', 'c-2'],
        seed: index,
        status: sample ? 'valid' : 'discarded',
        reason: sample ? null : { code: 'exact-duplicate', of: 'run-a:0' },
        rawOutput: '',
        sample,
        createdAt: '2025-01-31T12:00:00.000Z',
      }) satisfies SynthesisAttempt;
    const attempts = [attempt(0, exportSamples[0]), attempt(1, null), attempt(2, exportSamples[1])];
    attempts.push(attempt(3, exportSamples[2]));
    writeFileSync(
      `${path}.attempts.jsonl`,
      attempts.map((entry) => `${JSON.stringify(entry)}\n`).join(''),
    );
  }
  return path;
}

describe('steps export', () => {
  it('writes the zip of the samples: data files, card and manifest', async () => {
    const samples = samplesFile(true);
    const out = join(samples, '..', 'dataset.zip');
    const printed = stepsJson<{ folder: string; files: { path: string }[] }>(
      'export',
      samples,
      '--out',
      out,
      '--formats',
      'parquet,alpaca,csv',
      '--name',
      'My set',
      '--license',
      'mit',
      '--language',
      'en,de',
      '--provenance',
    );
    const date = new Date().toISOString().slice(0, 10);
    const root = `My-set-run-a-${date}`;
    expect(printed.folder).toBe(root);
    expect(printed.files.map((file) => file.path)).toEqual([
      'data/train-00000.parquet',
      'alpaca/train-00000.jsonl',
      'csv/train-00000.csv',
    ]);
    const files = readZip(new Uint8Array(readFileSync(out)));
    expect([...files.keys()]).toEqual([
      `${root}/data/train-00000.parquet`,
      `${root}/alpaca/train-00000.jsonl`,
      `${root}/csv/train-00000.csv`,
      `${root}/README.md`,
      `${root}/manifest.json`,
    ]);
    expect(existsSync(`${out}.partial`)).toBe(false);

    const { lines } = exportLines(exportSamples, { format: 'alpaca', includeProvenance: true });
    expect(text(files.get(`${root}/alpaca/train-00000.jsonl`))).toBe(
      lines.map((line) => `${line}\n`).join(''),
    );
    const parquet = files.get(`${root}/data/train-00000.parquet`)!.slice().buffer;
    const rows = await parquetReadObjects({ file: parquet });
    expect(rows.map((row) => row.messages)).toEqual(exportSamples.map((sample) => sample.messages));

    const manifest = JSON.parse(text(files.get(`${root}/manifest.json`))) as DatasetManifest;
    expect(manifest.corpus).toBeNull();
    expect(manifest.runs).toEqual([
      {
        id: 'run-a',
        model: { id: 'fixture-tiny', engine: 'transformers' },
        template: { id: 'steps-fusion', kind: 'fusion', version: 1 },
        generation: { temperature: 0.7, top_p: 0.9, max_tokens: 512 },
        attempts: 4,
        valid: 3,
        discarded: 1,
        settings: null,
      },
    ]);
    expect(manifest.validPerK).toEqual([
      { k: 2, samples: 2 },
      { k: 3, samples: 1 },
    ]);
    expect(manifest.tokens).toEqual({ samples: 3, promptTokens: 240, completionTokens: 106 });
    expect(manifest.discarded).toEqual([
      {
        code: 'exact-duplicate',
        reason: 'exact duplicate of a kept sample',
        count: 1,
        example: 'exact duplicate of run-a:0',
      },
    ]);
    expect(manifest.app.version).toBe(
      (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version,
    );

    const card = text(files.get(`${root}/README.md`));
    const yaml = parse(card.split('\n---\n')[0].slice('---\n'.length)) as Record<string, unknown>;
    expect(yaml).toMatchObject({
      license: 'mit',
      language: ['en', 'de'],
      size_categories: ['n<1K'],
    });
    expect(card).toContain('| other settings | not recorded (exported from the samples alone) |');
    expect(card).toContain('| attempts | 4 |');
  });

  it('says what is not recorded without an attempts file', () => {
    const samples = samplesFile(false);
    const out = join(samples, '..', 'plain.zip');
    stepsJson('export', samples, '--out', out);
    const files = readZip(new Uint8Array(readFileSync(out)));
    const names = [...files.keys()].map((name) => name.slice(name.indexOf('/') + 1));
    expect(names).toEqual([
      'data/train-00000.parquet',
      'openai/train-00000.jsonl',
      'README.md',
      'manifest.json',
    ]);
    const card = text([...files.values()][2]);
    expect(card).toContain('Discarded attempts: not recorded.');
    expect(card).toContain('| attempts | not recorded |');
  });

  it('names the option or the line that is wrong', () => {
    const samples = samplesFile(false);
    const out = join(samples, '..', 'x.zip');
    const run = (...args: string[]) => stepsSync('export', samples, '--out', out, ...args);
    const bad = run('--formats', 'openai,xml');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(
      'steps export: --formats[1] must be one of openai, sharegpt, alpaca, parquet, csv, got "xml"',
    );
    const other = run('--license', 'other');
    expect(other.status).toBe(2);
    expect(other.stderr).toContain('steps export: licence name:');
    expect(run('--raw-output').stderr).toContain('--raw-output needs --provenance');

    writeFileSync(samples, `${JSON.stringify(exportSamples[0])}\n{"id": "x"}\n`);
    const broken = run();
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain(
      'steps export: samples.jsonl line 2: not a generated sample (runId: missing)',
    );
    expect(existsSync(out)).toBe(false);
  });
});
