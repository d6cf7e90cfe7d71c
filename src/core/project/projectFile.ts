// The project file: every stored record needed to go on in another browser, as JSON Lines. The
// first line names the format and its version, each further line holds one record of one
// section (a store), and a closing line counts them, so a file cut short is told from a whole
// one. Records are written as stored, with typed arrays (graphs, taxonomies) spelled out.

export const PROJECT_FORMAT = 'steps-project';
/** Version 2 added `reviews`; a version 1 file (without them) reads as before. */
export const PROJECT_VERSION = 2;

/**
 * The sections, parents first: a record refers only to records of earlier sections. A new kind
 * of record is a new section here, with its item and references in projectItems.ts.
 */
export const projectSections = [
  'corpora',
  'samples',
  'skills',
  'graphs',
  'taxonomies',
  'combinationSets',
  'synthesisRuns',
  'generatedSamples',
  'reviews',
  'taggingRuns',
  'taggingAttempts',
] as const;

export type ProjectSection = (typeof projectSections)[number];

const sectionNames: ReadonlySet<string> = new Set(projectSections);

/** A stored record: an object whose fields the app reads (typed arrays decoded). */
export type ProjectRecord = { [field: string]: unknown };

export interface ProjectManifest {
  format: typeof PROJECT_FORMAT;
  version: number;
  /** ISO 8601. */
  createdAt: string;
  /** `all`: corpora with their samples; `reference`: each corpus by its name, rows and digest. */
  corpusSamples: 'all' | 'reference';
}

/** What a corpus line carries besides its record: its samples' count and digest. */
export interface CorpusContent {
  samples: number;
  /** `recordsDigest` of its samples and skills (projectItems.ts). */
  digest: string;
}

/** Everything a project file holds, read and checked. */
export interface ProjectContents {
  manifest: ProjectManifest;
  records: Map<ProjectSection, ProjectRecord[]>;
  /** Per corpus id: the content of the corpus as exported (its samples may be left out). */
  corpusContent: Map<string, CorpusContent>;
}

/** A problem with a project file, naming the file and where in it. */
export class ProjectFileError extends Error {
  override name = 'ProjectFileError';
  constructor(fileName: string, line: number | null, problem: string) {
    super(`${fileName}${line === null ? '' : `, line ${line}`}: ${problem}`);
  }
}

const TYPED = '$typed';
const typedArrays = { Int32Array, Float64Array, Uint32Array } as const;
type TypedName = keyof typeof typedArrays;
const typedNames: ReadonlySet<string> = new Set(Object.keys(typedArrays));

/** JSON of a value, with typed arrays as `{"$typed": "Int32Array", "values": […]}`. */
function encode(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) => {
    for (const name of typedNames) {
      if (field instanceof typedArrays[name as TypedName]) {
        return { [TYPED]: name, values: Array.from(field as ArrayLike<number>) };
      }
    }
    return field;
  });
}

/** The value of `encode`'s JSON, typed arrays restored. */
function decode(text: string): unknown {
  return JSON.parse(text, (_key, field: unknown) => {
    if (typeof field !== 'object' || field === null || !Object.hasOwn(field, TYPED)) return field;
    const { [TYPED]: name, values } = field as { [TYPED]: unknown; values: unknown };
    if (typeof name !== 'string' || !typedNames.has(name) || !Array.isArray(values)) {
      throw new Error(`a "${TYPED}" value that is not a typed array`);
    }
    if (!values.every((v) => typeof v === 'number')) {
      throw new Error(`a ${name} with values that are not numbers`);
    }
    return typedArrays[name as TypedName].from(values as number[]);
  });
}

/** The manifest line. */
export function manifestLine(manifest: ProjectManifest): string {
  return `${encode(manifest)}\n`;
}

/** One record's line; a corpus line also carries its samples' count and digest. */
export function recordLine(
  section: ProjectSection,
  record: ProjectRecord,
  corpus?: CorpusContent,
): string {
  return `${encode({ section, record, ...(corpus && { corpus }) })}\n`;
}

/** The closing line: how many records of each section the file holds. */
export function endLine(counts: ReadonlyMap<ProjectSection, number>): string {
  return `${encode({ end: { records: Object.fromEntries(counts) } })}\n`;
}

const isObject = (value: unknown): value is ProjectRecord =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isString = (value: unknown) => typeof value === 'string' && value !== '';
const isWhole = (value: unknown) => typeof value === 'number' && Number.isInteger(value);
const isArrayOf = (value: unknown, item: (v: unknown) => boolean) =>
  Array.isArray(value) && value.every(item);

/** Fields each section's records must have, with the check of each. */
const requiredFields: ReadonlyMap<ProjectSection, [string, (v: unknown) => boolean][]> = new Map<
  ProjectSection,
  [string, (v: unknown) => boolean][]
>([
  [
    'corpora',
    [
      ['id', isString],
      ['name', (v) => typeof v === 'string'],
      ['status', (v) => v === 'ready'],
      ['storedSamples', isWhole],
    ],
  ],
  [
    'samples',
    [
      ['corpusId', isString],
      ['id', isString],
      ['seq', isWhole],
      ['messages', Array.isArray],
      ['skills', (v) => isArrayOf(v, (s) => typeof s === 'string')],
    ],
  ],
  [
    'skills',
    [
      ['corpusId', isString],
      ['name', (v) => typeof v === 'string'],
      ['count', isWhole],
    ],
  ],
  [
    'graphs',
    [
      ['id', isString],
      ['corpusId', isString],
      ['names', (v) => isArrayOf(v, (s) => typeof s === 'string')],
      ['offsets', (v) => v instanceof Int32Array],
      ['targets', (v) => v instanceof Int32Array],
      ['weights', (v) => v instanceof Float64Array],
    ],
  ],
  [
    'taxonomies',
    [
      ['id', isString],
      ['corpusId', isString],
      ['graphId', isString],
      ['communityOf', (v) => isArrayOf(v, (a) => a instanceof Int32Array)],
      ['communityParent', (v) => isArrayOf(v, (a) => a instanceof Int32Array)],
    ],
  ],
  [
    'combinationSets',
    [
      ['id', isString],
      ['corpusId', isString],
      ['taxonomyId', isString],
      ['combinations', Array.isArray],
    ],
  ],
  [
    'synthesisRuns',
    [
      ['id', isString],
      ['corpusId', isString],
      ['taxonomyId', isString],
      ['spec', isObject],
    ],
  ],
  [
    'generatedSamples',
    [
      ['id', isString],
      ['corpusId', isString],
      ['runId', isString],
      ['index', isWhole],
    ],
  ],
  [
    'reviews',
    [
      ['sampleId', isString],
      ['corpusId', isString],
      ['runId', isString],
      ['verdict', (v) => v === null || v === 'accepted' || v === 'rejected'],
      ['edits', (v) => isArrayOf(v, (e) => isObject(e) && Array.isArray(e.messages))],
    ],
  ],
  [
    'taggingRuns',
    [
      ['id', isString],
      ['corpusId', isString],
      ['spec', isObject],
    ],
  ],
  [
    'taggingAttempts',
    [
      ['id', isString],
      ['corpusId', isString],
      ['runId', isString],
      ['index', isWhole],
    ],
  ],
]);

/** The first problem of a record of `section`, or null. */
function recordProblem(section: ProjectSection, record: ProjectRecord): string | null {
  for (const [field, check] of requiredFields.get(section)!) {
    if (!Object.hasOwn(record, field) || !check(record[field])) {
      return `a ${section} record without a valid "${field}"`;
    }
  }
  // A review is keyed by its sample's id, which starts with the run's: a copy of the run renames
  // both together (projectItems.ts).
  if (section === 'reviews' && !String(record.sampleId).startsWith(`${String(record.runId)}:`)) {
    return `a review of sample ${String(record.sampleId)}, which is not of its run ${String(record.runId)}`;
  }
  return null;
}

/**
 * Reads a project file piece by piece (`push` each piece of text as it arrives, then `end`),
 * checking every line: the manifest, each record, the closing counts. Throws ProjectFileError
 * naming the file and the line at the first problem.
 */
export class ProjectFileReader {
  readonly #fileName: string;
  #carry = '';
  #line = 0;
  #manifest: ProjectManifest | null = null;
  #ended = false;
  readonly #records = new Map<ProjectSection, ProjectRecord[]>(
    projectSections.map((section) => [section, []]),
  );
  readonly #corpusContent = new Map<string, CorpusContent>();

  constructor(fileName: string) {
    this.#fileName = fileName;
  }

  push(text: string): void {
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      if (newline < 0) break;
      const line = this.#carry + text.slice(start, newline);
      this.#carry = '';
      this.#read(line);
      start = newline + 1;
    }
    this.#carry += text.slice(start);
  }

  end(): ProjectContents {
    if (this.#carry !== '') this.#read(this.#carry);
    this.#carry = '';
    if (!this.#manifest) this.#fail(null, 'the file is empty; it is not a STEPS project file');
    if (!this.#ended) {
      this.#fail(
        null,
        `the file ends after line ${this.#line} without its closing line: it was cut off`,
      );
    }
    return {
      manifest: this.#manifest!,
      records: this.#records,
      corpusContent: this.#corpusContent,
    };
  }

  #fail(line: number | null, problem: string): never {
    throw new ProjectFileError(this.#fileName, line, problem);
  }

  #read(text: string): void {
    this.#line++;
    const line = this.#line;
    if (text.trim() === '') return;
    if (this.#ended) this.#fail(line, 'text after the closing line');
    let value: unknown;
    try {
      value = decode(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.#fail(line, `not a valid line (${reason})`);
    }
    if (!isObject(value)) this.#fail(line, 'a line that is not a JSON object');
    if (!this.#manifest) {
      this.#manifest = this.#readManifest(value, line);
      return;
    }
    if (Object.hasOwn(value, 'end')) {
      this.#checkEnd(value.end, line);
      this.#ended = true;
      return;
    }
    const { section, record, corpus } = value;
    if (typeof section !== 'string' || !sectionNames.has(section)) {
      this.#fail(line, `unknown section ${JSON.stringify(section)}`);
    }
    const known = section as ProjectSection;
    if (!isObject(record)) this.#fail(line, `a ${known} line without a record`);
    const problem = recordProblem(known, record);
    if (problem) this.#fail(line, problem);
    if (known === 'corpora') {
      if (!isObject(corpus) || !isWhole(corpus.samples) || !isString(corpus.digest)) {
        this.#fail(line, 'a corpus line without the count and digest of its samples');
      }
      this.#corpusContent.set(record.id as string, {
        samples: corpus.samples as number,
        digest: corpus.digest as string,
      });
    }
    this.#records.get(known)!.push(record);
  }

  #readManifest(value: ProjectRecord, line: number): ProjectManifest {
    if (value.format !== PROJECT_FORMAT) {
      this.#fail(line, `not a STEPS project file (its first line names no "${PROJECT_FORMAT}")`);
    }
    if (!isWhole(value.version) || (value.version as number) > PROJECT_VERSION) {
      this.#fail(
        line,
        `format version ${String(value.version)} is newer than this app reads (${PROJECT_VERSION}); update STEPS Studio`,
      );
    }
    if (value.corpusSamples !== 'all' && value.corpusSamples !== 'reference') {
      this.#fail(line, 'the manifest does not say whether the corpus samples are included');
    }
    return {
      format: PROJECT_FORMAT,
      version: value.version as number,
      createdAt: String(value.createdAt),
      corpusSamples: value.corpusSamples,
    };
  }

  #checkEnd(end: unknown, line: number): void {
    if (!isObject(end) || !isObject(end.records)) this.#fail(line, 'a closing line without counts');
    const counts = end.records as ProjectRecord;
    for (const section of projectSections) {
      const expected = Object.hasOwn(counts, section) ? counts[section] : 0;
      const found = this.#records.get(section)!.length;
      if (expected !== found) {
        this.#fail(
          line,
          `the closing line counts ${String(expected)} ${section} records, but the file holds ${found}`,
        );
      }
    }
  }
}
