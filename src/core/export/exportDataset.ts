import { makeZip } from 'client-zip';
import { Sha256 } from '../sha256';
import type { GeneratedSample } from '../synthesis/generatedSample';
import { csvChunks } from './csvFile';
import { datasetCard } from './datasetCard';
import {
  datasetFormats,
  jsonlChunks,
  recordShapes,
  type DatasetFormat,
  type ExportOptions,
  type FileTally,
  type RecordShape,
} from './datasetFormats';
import {
  archiveRoot,
  licenseProblem,
  sizeCategory,
  type DatasetChoices,
  type DatasetManifest,
  type ManifestFile,
  type ReviewOutcome,
} from './manifest';
import { parquetChunks } from './parquetFile';
import { sampleBatches, type SampleSource } from './sampleSource';

/** The facts the card and manifest state that the export itself does not produce. */
export type CardFacts = Pick<
  DatasetManifest,
  | 'corpus'
  | 'taxonomies'
  | 'combinationSets'
  | 'runs'
  | 'validPerK'
  | 'discarded'
  | 'tokens'
  | 'curriculum'
  | 'baselines'
>;

export interface ExportRequest {
  /** The samples to write, in file order: only those meant for the dataset (e.g. accepted). */
  samples: SampleSource;
  formats: readonly DatasetFormat[];
  /** The record shape whose columns the Parquet and CSV files have. */
  tableShape: RecordShape;
  includeProvenance: boolean;
  /** Only with includeProvenance: also keep the model's raw answer. */
  includeRawOutput: boolean;
  dataset: DatasetChoices;
  facts: CardFacts;
  /** The review's outcome; without one, every sample counts as unreviewed. */
  review?: ReviewOutcome;
  appVersion: string;
  /** ISO 8601; default now. */
  createdAt?: string;
  /** Samples written so far over all files, and the total. */
  onProgress?: (written: number, total: number) => void;
}

export interface DatasetArchive {
  /** The archive's folder, also its file name without `.zip`. */
  root: string;
  fileName: string;
  /** The zip, produced as it is read. */
  stream: ReadableStream<Uint8Array>;
  /** Resolves once the data files are written (before the card and manifest are). */
  manifest: Promise<DatasetManifest>;
}

/** Samples per Parquet row group, JSONL and CSV chunk: small enough to keep memory flat. */
const BATCH = 1000;

const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const HUB_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/;

function checkRequest(request: ExportRequest): void {
  const { formats, dataset } = request;
  if (formats.length === 0) throw new Error('formats: choose at least one format');
  for (const format of formats) {
    if (!datasetFormats.includes(format)) {
      throw new Error(`formats: must be among ${datasetFormats.join(', ')}, got "${format}"`);
    }
  }
  if (new Set(formats).size !== formats.length) throw new Error('formats: a format is repeated');
  if (!recordShapes.includes(request.tableShape)) {
    throw new Error(`table shape: must be one of ${recordShapes.join(', ')}`);
  }
  if (dataset.name.trim() === '') throw new Error('name: give the dataset a name');
  const licence = licenseProblem(dataset.license);
  if (licence) throw new Error(licence);
  if (dataset.language.length === 0) throw new Error('language: give at least one language code');
  const language = dataset.language.find((code) => !LANGUAGE.test(code));
  if (language !== undefined) {
    throw new Error(`language: "${language}" is not a language code such as en or pt-BR`);
  }
  const source = dataset.sourceDatasets.find((id) => !HUB_ID.test(id));
  if (source !== undefined) {
    throw new Error(`source datasets: "${source}" is not a Hub id such as owner/name`);
  }
  if (request.samples.count === 0) throw new Error('samples: there is no sample to export');
}

interface PlannedFile {
  format: DatasetFormat;
  path: string;
  config: string;
}

/**
 * Where each file goes: the Parquet file (or, without one, the first format chosen) is the
 * `default` config under `data/`, the Hub viewer's first choice; every other format is a config
 * of its own name in a folder of that name. One file each, named as the Hub names shards.
 */
function plan(formats: readonly DatasetFormat[]): PlannedFile[] {
  const ordered = datasetFormats.filter((format) => formats.includes(format));
  const first = ordered.includes('parquet') ? 'parquet' : ordered[0];
  const extension = (format: DatasetFormat) =>
    format === 'parquet' ? 'parquet' : format === 'csv' ? 'csv' : 'jsonl';
  return [first, ...ordered.filter((format) => format !== first)].map((format) => ({
    format,
    config: format === first ? 'default' : format,
    path: `${format === first ? 'data' : format}/train-00000.${extension(format)}`,
  }));
}

const encoder = new TextEncoder();

/**
 * Writes the dataset as one zip: a folder `<name>-<run id>-<date>` holding the data files, the
 * card (README.md) and the manifest (manifest.json). Everything is produced while the zip is
 * read: each file reads the samples again in batches, so memory stays bounded by a batch, and
 * the card and manifest come last, with each file's size and SHA-256.
 */
export function exportDataset(request: ExportRequest): DatasetArchive {
  checkRequest(request);
  const createdAt = request.createdAt ?? new Date().toISOString();
  const root = archiveRoot(
    request.dataset.name,
    request.facts.runs.map((run) => run.id),
    createdAt,
  );
  const lastModified = new Date(createdAt);
  const files = plan(request.formats);
  const { count } = request.samples;
  const total = count * files.length;
  const options = (format: DatasetFormat): ExportOptions => ({
    format: format === 'parquet' || format === 'csv' ? request.tableShape : format,
    includeProvenance: request.includeProvenance,
    includeRawOutput: request.includeProvenance && request.includeRawOutput,
  });
  let written = 0;

  async function* batches(): AsyncGenerator<GeneratedSample[]> {
    for await (const batch of sampleBatches(request.samples, BATCH)) {
      yield batch;
      written += batch.length;
      request.onProgress?.(written, total);
      // A turn of the event loop between batches, so a page can show the progress.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }

  function chunksOf(file: PlannedFile, tally: FileTally): AsyncIterable<Uint8Array | string> {
    const fileOptions = options(file.format);
    if (file.format === 'parquet') {
      return parquetChunks(batches(), fileOptions, tally, `STEPS Studio ${request.appVersion}`);
    }
    if (file.format === 'csv') return csvChunks(batches(), fileOptions, tally);
    return jsonlChunks(batches(), fileOptions, tally);
  }

  const writtenFiles: ManifestFile[] = [];
  let resolveManifest!: (manifest: DatasetManifest) => void;
  let rejectManifest!: (error: unknown) => void;
  const manifest = new Promise<DatasetManifest>((resolve, reject) => {
    resolveManifest = resolve;
    rejectManifest = reject;
  });
  manifest.catch(() => {}); // the zip's stream reports the same error to its reader

  async function* hashed(file: PlannedFile): AsyncGenerator<Uint8Array> {
    const tally: FileTally = { rows: 0, foldedMultiTurn: 0 };
    const hash = new Sha256();
    let bytes = 0;
    for await (const chunk of chunksOf(file, tally)) {
      const data = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
      hash.update(data);
      bytes += data.length;
      yield data;
    }
    if (tally.rows !== count) {
      throw new Error(`${file.path}: the samples gave ${tally.rows} rows, ${count} were expected`);
    }
    const fileOptions = options(file.format);
    writtenFiles.push({
      path: file.path,
      format: file.format,
      shape: fileOptions.format,
      config: file.config,
      rows: tally.rows,
      bytes,
      sha256: hash.hex(),
      includeProvenance: fileOptions.includeProvenance ?? false,
      includeRawOutput: fileOptions.includeRawOutput ?? false,
      foldedMultiTurn: tally.foldedMultiTurn,
    });
  }

  async function* entries() {
    try {
      for (const file of files) {
        yield { name: `${root}/${file.path}`, lastModified, input: hashed(file) };
      }
      if (writtenFiles.length !== files.length) throw new Error('a data file was not written');
      const facts: DatasetManifest = {
        manifest: 'steps-dataset',
        manifestVersion: 1,
        app: { name: 'STEPS Studio', version: request.appVersion },
        createdAt,
        dataset: {
          name: request.dataset.name,
          license: { ...request.dataset.license },
          language: [...request.dataset.language],
          sourceDatasets: [...request.dataset.sourceDatasets],
          title: `STEPS synthetic conversations: ${request.dataset.name}`,
          samples: count,
          sizeCategory: sizeCategory(count),
        },
        files: writtenFiles,
        ...request.facts,
        review: request.review ?? { accepted: 0, rejected: 0, edited: 0, unreviewed: count },
      };
      resolveManifest(facts);
      yield { name: `${root}/README.md`, lastModified, input: datasetCard(facts) };
      yield {
        name: `${root}/manifest.json`,
        lastModified,
        input: `${JSON.stringify(facts, null, 2)}\n`,
      };
    } catch (error) {
      rejectManifest(error);
      throw error;
    }
  }

  return { root, fileName: `${root}.zip`, stream: makeZip(entries()), manifest };
}
