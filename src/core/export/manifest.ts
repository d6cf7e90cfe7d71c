import type { DiscardGroup } from '../synthesis/discardReason';
import type { GeneratedSample } from '../synthesis/generatedSample';
import type { TemplateKind } from '../synthesis/prompts';
import type { CurriculumKUse, CurriculumShortfall } from './curriculumOrder';
import type { DatasetFormat, RecordShape } from './datasetFormats';

/**
 * The facts of an exported dataset, for programs (`manifest.json` in the archive) and for people
 * (the card, README.md, rendered from the same object by datasetCard.ts). Every field is picked
 * from a record field by field, never spread, so nothing else a stored record carries (an
 * endpoint's key, say) can reach either.
 */
export interface DatasetManifest {
  manifest: 'steps-dataset';
  manifestVersion: 1;
  app: { name: 'STEPS Studio'; version: string };
  /** ISO 8601 time the archive was written. */
  createdAt: string;
  dataset: DatasetChoices & {
    /** The card's title. */
    title: string;
    /** Samples in each data file. */
    samples: number;
    /** The Hugging Face `size_categories` value. */
    sizeCategory: string;
  };
  /** The data files, paths relative to the archive's folder (where README.md lies). */
  files: ManifestFile[];
  /** null when the samples came without their corpus (`steps export`). */
  corpus: CorpusCardInfo | null;
  taxonomies: TaxonomyCardInfo[];
  combinationSets: CombinationSetCardInfo[];
  runs: RunCardInfo[];
  /** Samples exported per k (before any curriculum repetition). */
  validPerK: { k: number; samples: number }[];
  /** Discarded attempts grouped by code (`groupDiscardReasons`); null when not recorded. */
  discarded: DiscardGroup[] | null;
  review: ReviewOutcome;
  tokens: TokenTotals;
  curriculum: CurriculumCardInfo | null;
  /** STEPS against its baselines, for the combination searches that were compared. */
  baselines?: BaselinesCardInfo[];
}

/** A stored comparison of STEPS with its baselines (src/core/combinations/compareMethods.ts). */
export interface BaselinesCardInfo {
  /** The combination search whose taxonomy, k and beam width were compared. */
  combinationSetId: string;
  size: number;
  beamWidth: number;
  /** Seed of the random sets. */
  seed: number;
  rows: {
    method: string;
    /** A STEPS local row's coherence scope; absent for the others. */
    scope?: number;
    sets: number;
    shortSets: number;
    meanConditionalEntropy: number;
    unseenShare: number;
    meanCommonDepth: number;
    topPartnerShare: number;
  }[];
}

/** What the user chooses about the dataset as published. */
export interface DatasetChoices {
  name: string;
  license: DatasetLicense;
  /** ISO 639-1 codes, e.g. ["en"]. */
  language: string[];
  /** Hub ids of the datasets the corpus came from; empty: none named. */
  sourceDatasets: string[];
}

/** A Hub licence id; with `other`, a name and a link to the terms. */
export interface DatasetLicense {
  id: string;
  name?: string;
  link?: string;
}

export interface ManifestFile {
  path: string;
  format: DatasetFormat;
  /** The record shape the file's columns follow. */
  shape: RecordShape;
  /** The card's `configs` entry that reads this file. */
  config: string;
  rows: number;
  bytes: number;
  sha256: string;
  includeProvenance: boolean;
  includeRawOutput: boolean;
  /** Alpaca records of multi-turn samples, whose earlier turns went into `input`. */
  foldedMultiTurn: number;
}

/** Review decisions over the samples the export started from; all unreviewed without a review. */
export interface ReviewOutcome {
  accepted: number;
  rejected: number;
  edited: number;
  unreviewed: number;
}

/** Tokens the valid samples' generations took (discarded attempts record no usage). */
export interface TokenTotals {
  samples: number;
  promptTokens: number;
  completionTokens: number;
}

export interface CorpusCardInfo {
  name: string;
  fileName: string;
  samples: number;
  /** null when the import did not finish with statistics. */
  taggedSamples: number | null;
  skills: number | null;
  /** SHA-256 of the imported file; null for corpora imported before it was kept. */
  sha256: string | null;
}

export interface TaxonomyCardInfo {
  id: string;
  levels: number;
  builder: string;
  weighting: string;
  minCount: number;
  entropyMode: string;
  skillCount: number;
  edgeCount: number;
  /** Communities on each level, level 1 first. */
  communityCount: number[];
  structuralEntropy: number;
  firstOrderEntropy: number;
  sweetSpot: number;
  /** Named tree nodes, by level then community. */
  nodeNames: { level: number; community: number; name: string; source: string }[];
}

export interface CombinationSetCardInfo {
  id: string;
  taxonomyId: string;
  size: number;
  beamWidth: number;
  mode: string;
  perStart: number;
  combinations: number;
}

/** A run as its samples show it; `settings` only where the run itself is stored. */
export interface RunCardInfo {
  id: string;
  model: { id: string; engine: string };
  template: { id: string; kind: TemplateKind; version: number };
  /** `frequency_penalty` absent: 0. */
  generation: {
    temperature: number;
    top_p: number;
    max_tokens: number;
    frequency_penalty?: number;
  };
  /** null when the attempts are not known. */
  attempts: number | null;
  valid: number;
  discarded: number | null;
  /** null for samples without their run (`steps export` of a samples file). */
  settings: RunSettings | null;
}

export interface RunSettings {
  status: string;
  taxonomyId: string;
  /** The combination searches the run's combinations came from; empty when not recorded. */
  combinationSetIds: string[];
  createdAt: string;
  templateText: { system: string; user: string };
  seed: number;
  maxPromptTokens: number;
  maxAttemptsPerSlot: number;
  quality: {
    dedup: boolean;
    nearDuplicateThreshold: number;
    novelty: boolean;
    /** The model-judged skill-coverage gate and the share of skills it required. */
    coverage: boolean;
    minCoverage: number;
  };
  /** The agentic-check template the run asked each combination with; null when not asked. */
  agenticCheck: { id: string; version: number } | null;
  targetPerK: { k: number; target: number }[];
  /** Combinations the run drew from, per k. */
  combinationsPerK: { k: number; combinations: number }[];
}

export interface CurriculumCardInfo {
  epochs: number;
  samplesPerEpoch: number;
  seed: number;
  ks: number[];
  /** Per epoch, per k (parallel to ks). */
  weights: number[][];
  counts: number[][];
  shortfalls: CurriculumShortfall[];
  perK: CurriculumKUse[];
}

/** Licence ids of the Hub offered to choose from; `other` needs a name (and a link). */
export const hubLicenses: readonly string[] = [
  'unknown',
  'apache-2.0',
  'mit',
  'cc-by-4.0',
  'cc-by-sa-4.0',
  'cc-by-nc-4.0',
  'cc-by-nc-sa-4.0',
  'cc0-1.0',
  'odc-by',
  'llama3.1',
  'gemma',
  'other',
];

/** What is wrong with a licence choice, naming the field; null when it can be published. */
export function licenseProblem(license: DatasetLicense): string | null {
  if (!hubLicenses.includes(license.id)) {
    return `licence: must be one of ${hubLicenses.join(', ')}, got "${license.id}"`;
  }
  if (license.id !== 'other') return null;
  if (!license.name || !/^[a-z0-9][a-z0-9.-]*$/.test(license.name)) {
    return 'licence name: with "other", give the licence a name of lower-case letters, digits, dots and dashes (e.g. my-licence-1.0)';
  }
  if (license.link !== undefined && license.link !== '' && !/^https?:\/\/\S+$/.test(license.link)) {
    return 'licence link: must be an http(s) address';
  }
  return null;
}

/** Token totals over the valid samples' usage. */
export function tokenTotals(usages: Iterable<GeneratedSample['usage']>): TokenTotals {
  const totals: TokenTotals = { samples: 0, promptTokens: 0, completionTokens: 0 };
  for (const usage of usages) {
    totals.samples++;
    totals.promptTokens += usage.promptTokens;
    totals.completionTokens += usage.completionTokens;
  }
  return totals;
}

/** The Hugging Face `size_categories` value for a row count. */
export function sizeCategory(rows: number): string {
  const bounds: [number, string][] = [
    [1e3, '1K'],
    [1e4, '10K'],
    [1e5, '100K'],
    [1e6, '1M'],
    [1e7, '10M'],
    [1e8, '100M'],
    [1e9, '1B'],
  ];
  let lower = 'n';
  for (const [bound, name] of bounds) {
    if (rows < bound) return lower === 'n' ? `n<${name}` : `${lower}<n<${name}`;
    lower = name;
  }
  return 'n>1B';
}

/**
 * Text as part of a file name safe on every system: accents dropped, anything but ASCII letters,
 * digits, `.`, `_` and `-` made `-` (so none of / \ : * ? " < > |, no control character), no
 * leading or trailing dot or dash, at most `max` characters; `fallback` when nothing is left.
 */
export function safeNamePart(text: string, max: number, fallback: string): string {
  const part = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .slice(0, max)
    .replace(/^[.-]+|[.-]+$/g, '');
  return part || fallback;
}

/**
 * The archive's folder (and, with `.zip`, its file name): `<name>-<run id>-<yyyy-mm-dd>`, with
 * `<n>-runs` for samples of several runs; the name without a corpus file's extension.
 */
export function archiveRoot(name: string, runIds: readonly string[], createdAt: string): string {
  const base = safeNamePart(
    name.replace(/\.(jsonl|ndjson|json|csv|tsv|parquet|txt)$/i, ''),
    60,
    'dataset',
  );
  const runs = runIds.length === 1 ? safeNamePart(runIds[0], 40, 'run') : `${runIds.length}-runs`;
  return `${base}-${runs}-${createdAt.slice(0, 10)}`;
}
