// `steps export`: the samples file `steps synthesize` writes, as the same zip the app's Dataset
// step downloads (src/core/export/exportDataset.ts). Its `<samples>.attempts.jsonl`, when present
// beside it, gives each run's attempts and discards.
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { datasetFormats, recordShapes, type DatasetFormat } from '../core/export/datasetFormats';
import { exportDataset, type CardFacts } from '../core/export/exportDataset';
import { hubLicenses, tokenTotals, type RunCardInfo } from '../core/export/manifest';
import type { SampleSource } from '../core/export/sampleSource';
import { groupDiscardReasons } from '../core/synthesis/discardReason';
import { validateGeneratedSample, type GeneratedSample } from '../core/synthesis/generatedSample';
import type { SynthesisAttempt } from '../core/synthesis/synthesisRun';
import { errorMessage } from '../core/errorMessage';
import { CommandArgs } from './args';

const syntax = {
  usage:
    'steps export <samples.jsonl> --out <file.zip> [--formats openai,sharegpt,alpaca,parquet,csv] ' +
    '[--name N] [--license L] [--license-name N] [--license-link URL] [--language en,fr] ' +
    '[--source owner/name] [--table-shape openai|sharegpt|alpaca] [--provenance] [--raw-output]',
  positionals: ['<samples.jsonl>'],
  options: {
    out: 'value',
    formats: 'value',
    name: 'value',
    license: 'value',
    'license-name': 'value',
    'license-link': 'value',
    language: 'value',
    source: 'value',
    'table-shape': 'value',
    provenance: 'switch',
    'raw-output': 'switch',
  },
} as const;

/** The non-blank lines of a JSON Lines file, parsed, with their line numbers. */
async function* jsonLines(path: string): AsyncGenerator<{ line: number; value: unknown }> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    try {
      yield { line, value: JSON.parse(text) as unknown };
    } catch (error) {
      throw new Error(`${basename(path)} line ${line}: not JSON (${errorMessage(error)})`, {
        cause: error,
      });
    }
  }
}

/** The samples file, read again on each call; every sample checked against the schema. */
async function* readSamples(path: string): AsyncGenerator<GeneratedSample> {
  for await (const { line, value } of jsonLines(path)) {
    const problems = validateGeneratedSample(value);
    if (problems.length > 0) {
      throw new Error(`${basename(path)} line ${line}: not a generated sample (${problems[0]})`);
    }
    yield value as GeneratedSample;
  }
}

/** What the samples (and the attempts file, when there is one) tell of how they were made. */
async function factsOf(path: string): Promise<{ count: number; facts: CardFacts }> {
  const runs = new Map<string, RunCardInfo>();
  const perK = new Map<number, number>();
  const usage: GeneratedSample['usage'][] = [];
  let count = 0;
  for await (const sample of readSamples(path)) {
    count++;
    perK.set(sample.k, (perK.get(sample.k) ?? 0) + 1);
    usage.push(sample.usage);
    const run = runs.get(sample.runId);
    if (run) run.valid++;
    else {
      const { temperature, top_p, max_tokens, frequency_penalty } = sample.parameters;
      runs.set(sample.runId, {
        id: sample.runId,
        model: { id: sample.model.id, engine: sample.model.engine },
        template: { ...sample.template },
        generation: {
          temperature,
          top_p,
          max_tokens,
          ...(typeof frequency_penalty === 'number' &&
            frequency_penalty > 0 && { frequency_penalty }),
        },
        attempts: null,
        valid: 1,
        discarded: null,
        settings: null,
      });
    }
  }
  const attemptsFile = `${path}.attempts.jsonl`;
  let discarded: CardFacts['discarded'] = null;
  if (existsSync(attemptsFile)) {
    const reasons: SynthesisAttempt['reason'][] = [];
    for await (const { value } of jsonLines(attemptsFile)) {
      const attempt = value as SynthesisAttempt;
      const run = runs.get(attempt.runId);
      // Attempts of runs whose samples are not exported are not counted.
      if (!run) continue;
      run.attempts = (run.attempts ?? 0) + 1;
      if (attempt.status === 'discarded') {
        run.discarded = (run.discarded ?? 0) + 1;
        reasons.push(attempt.reason);
      } else run.discarded ??= 0;
    }
    discarded = groupDiscardReasons(reasons);
  }
  return {
    count,
    facts: {
      corpus: null,
      taxonomies: [],
      combinationSets: [],
      runs: [...runs.values()],
      validPerK: [...perK].sort((a, b) => a[0] - b[0]).map(([k, samples]) => ({ k, samples })),
      discarded,
      tokens: tokenTotals(usage),
      curriculum: null,
    },
  };
}

async function appVersion(): Promise<string> {
  const manifest = await readFile(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(manifest) as { version: string }).version;
}

export async function runExport(argv: string[]): Promise<void> {
  const args = CommandArgs.parse(argv, syntax);
  const [samplesPath] = args.positionals;
  const out = resolve(args.requiredText('out'));
  const formats = (args.text('formats') ?? 'parquet,openai').split(',').map((format, i) => {
    const found = datasetFormats.find((known) => known === format.trim());
    return (
      found ??
      args.fail(
        `--formats[${i}] must be one of ${datasetFormats.join(', ')}, got ${JSON.stringify(format)}`,
      )
    );
  }) satisfies DatasetFormat[];
  const licenseId = args.choice('license', hubLicenses, 'unknown');
  const includeProvenance = args.switch('provenance');
  if (args.switch('raw-output') && !includeProvenance) {
    args.fail('--raw-output needs --provenance');
  }
  if (!existsSync(samplesPath)) throw new Error(`${samplesPath} does not exist`);

  const { count, facts } = await factsOf(samplesPath);
  const samples: SampleSource = { count, read: () => readSamples(samplesPath) };
  const list = (name: string) =>
    (args.text(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  if (count === 0) throw new Error(`${samplesPath} holds no sample`);
  const request = {
    samples,
    formats,
    tableShape: args.choice('table-shape', recordShapes, 'openai'),
    includeProvenance,
    includeRawOutput: args.switch('raw-output'),
    dataset: {
      name: args.text('name') ?? basename(samplesPath).replace(/\.jsonl$/i, ''),
      license: {
        id: licenseId,
        ...(args.text('license-name') === undefined ? {} : { name: args.text('license-name') }),
        ...(args.text('license-link') === undefined ? {} : { link: args.text('license-link') }),
      },
      language: args.text('language') === undefined ? ['en'] : list('language'),
      sourceDatasets: list('source'),
    },
    facts,
    appVersion: await appVersion(),
  };
  const archive = (() => {
    try {
      return exportDataset(request);
    } catch (error) {
      // What exportDataset refuses before writing is a choice made on the command line.
      return args.fail(errorMessage(error));
    }
  })();
  // Written beside the target and renamed at the end, so a failed export leaves no broken zip.
  const partial = `${out}.partial`;
  try {
    await pipeline(
      Readable.fromWeb(archive.stream as NodeReadableStream<Uint8Array>),
      createWriteStream(partial),
    );
    await rename(partial, out);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  const manifest = await archive.manifest;
  process.stdout.write(
    `${JSON.stringify({
      out,
      folder: archive.root,
      samples: count,
      files: manifest.files.map(({ path, format, rows, bytes, sha256 }) => ({
        path,
        format,
        rows,
        bytes,
        sha256,
      })),
    })}\n`,
  );
}
