// A project file's records as items (a corpus with its samples and skills, a run with its
// attempts, a taxonomy, …), compared with what a database holds, and the records to write once
// the user has decided each conflict. Pure: storage reads the local side and writes the result.
//
// Ids. Corpus ids are random; graph, taxonomy and combination-set ids are made of their
// parameters (the corpus id, then the graph's, the taxonomy's); run ids are fingerprints of their
// parameters, and attempt and sample ids (so the ids of reviews, which are
// their samples') start with their run's id. "Keep both" gives the file's
// item a new id, `<id>~<8 hex of its content>`, and every item of the file that refers to it,
// directly or through another, a new id the same way, with all references rewritten: a copy
// never shares an id with the local original, and importing the same file again with the same
// choices finds the copies already there.
import { fnv1a64 } from '../hash';
import { canonicalJson } from '../synthesis/generatedSample';
import type { ProjectContents, ProjectRecord, ProjectSection } from './projectFile';

export type ItemKind =
  'corpus' | 'graph' | 'taxonomy' | 'combination set' | 'synthesis run' | 'tagging run';

/** A reference from one record to an item, by the item's main section and id. */
interface Reference {
  section: ProjectSection;
  id: string;
}

/** A record with its item's id and the references it holds changed. */
type Rename = (
  record: ProjectRecord,
  id: string,
  mapped: (ref: Reference) => string,
) => ProjectRecord;

interface ItemShape {
  kind: ItemKind;
  /** Sections whose records belong to the item, found by `partOf` (the item's id). */
  parts: { section: ProjectSection; partOf: (record: ProjectRecord) => string; rename: Rename }[];
  /** The items a main record refers to. */
  references: (record: ProjectRecord) => Reference[];
  label: (record: ProjectRecord) => string;
  rename: Rename;
}

const str = (value: unknown) => String(value);
const corpusRef = (record: ProjectRecord): Reference => ({
  section: 'corpora',
  id: str(record.corpusId),
});

/** An attempt's id and its sample's id start with its run's id; they follow a renamed run. */
function movedPrefix(value: unknown, from: string, to: string): unknown {
  return typeof value === 'string' && value.startsWith(`${from}:`)
    ? to + value.slice(from.length)
    : value;
}

const renameAttempt: Rename = (record, runId, mapped) => {
  const from = str(record.runId);
  const renamed: ProjectRecord = {
    ...record,
    id: movedPrefix(record.id, from, runId),
    runId,
    corpusId: mapped(corpusRef(record)),
  };
  const sample = record.sample;
  if (typeof sample === 'object' && sample !== null) {
    const fields = sample as ProjectRecord;
    renamed.sample = { ...fields, id: movedPrefix(fields.id, from, runId), runId };
  }
  return renamed;
};

/** A review is keyed by its sample's id, so it follows its sample into the renamed run. */
const renameReview: Rename = (record, runId, mapped) => ({
  ...record,
  sampleId: movedPrefix(record.sampleId, str(record.runId), runId),
  runId,
  corpusId: mapped(corpusRef(record)),
});

const ofCorpus = (r: ProjectRecord) => str(r.corpusId);
const ofRun = (r: ProjectRecord) => str(r.runId);

/** The item each section's main records form; sections not listed are parts of an item. */
const itemShapes: ReadonlyMap<ProjectSection, ItemShape> = new Map<ProjectSection, ItemShape>([
  [
    'corpora',
    {
      kind: 'corpus',
      parts: [
        { section: 'samples', partOf: ofCorpus, rename: (r, id) => ({ ...r, corpusId: id }) },
        { section: 'skills', partOf: ofCorpus, rename: (r, id) => ({ ...r, corpusId: id }) },
      ],
      references: () => [],
      label: (r) => str(r.name),
      rename: (r, id, mapped) => {
        const taggedFrom = r.taggedFrom as ProjectRecord | undefined;
        return {
          ...r,
          id,
          ...(taggedFrom && {
            taggedFrom: {
              ...taggedFrom,
              corpusId: mapped({ section: 'corpora', id: str(taggedFrom.corpusId) }),
              runId: mapped({ section: 'taggingRuns', id: str(taggedFrom.runId) }),
            },
          }),
        };
      },
    },
  ],
  [
    'graphs',
    {
      kind: 'graph',
      parts: [],
      references: (r) => [corpusRef(r)],
      label: (r) => `${str(r.weighting)} weights, min count ${str(r.minCount)}`,
      rename: (r, id, mapped) => ({ ...r, id, corpusId: mapped(corpusRef(r)) }),
    },
  ],
  [
    'taxonomies',
    {
      kind: 'taxonomy',
      parts: [],
      references: (r) => [corpusRef(r), { section: 'graphs', id: str(r.graphId) }],
      label: (r) => `${str(r.builder)}, ${str(r.levels)} levels`,
      rename: (r, id, mapped) => ({
        ...r,
        id,
        corpusId: mapped(corpusRef(r)),
        graphId: mapped({ section: 'graphs', id: str(r.graphId) }),
      }),
    },
  ],
  [
    'combinationSets',
    {
      kind: 'combination set',
      parts: [],
      references: (r) => [corpusRef(r), { section: 'taxonomies', id: str(r.taxonomyId) }],
      label: (r) => `k = ${str(r.size)}, ${str(r.mode)}`,
      rename: (r, id, mapped) => ({
        ...r,
        id,
        corpusId: mapped(corpusRef(r)),
        taxonomyId: mapped({ section: 'taxonomies', id: str(r.taxonomyId) }),
      }),
    },
  ],
  [
    'synthesisRuns',
    {
      kind: 'synthesis run',
      // Reviews travel with their run: each is keyed by a sample of it, so a copy of the run
      // (keep both) must copy them under the copy's sample ids, and they conflict with it.
      parts: [
        { section: 'generatedSamples', partOf: ofRun, rename: renameAttempt },
        { section: 'reviews', partOf: ofRun, rename: renameReview },
      ],
      references: (r) => [
        corpusRef(r),
        { section: 'taxonomies', id: str(r.taxonomyId) },
        ...setsOf(r).map((id) => ({ section: 'combinationSets' as const, id })),
      ],
      label: (r) => str(r.id),
      rename: (r, id, mapped) => {
        const spec = r.spec as ProjectRecord;
        return {
          ...r,
          id,
          corpusId: mapped(corpusRef(r)),
          taxonomyId: mapped({ section: 'taxonomies', id: str(r.taxonomyId) }),
          spec: {
            ...spec,
            runId: id,
            ...(Array.isArray(spec.combinationSets) && {
              combinationSets: setsOf(r).map((set) =>
                mapped({ section: 'combinationSets', id: set }),
              ),
            }),
          },
        };
      },
    },
  ],
  [
    'taggingRuns',
    {
      kind: 'tagging run',
      parts: [{ section: 'taggingAttempts', partOf: ofRun, rename: renameAttempt }],
      references: (r) => [corpusRef(r)],
      label: (r) => str(r.id),
      rename: (r, id, mapped) => ({
        ...r,
        id,
        corpusId: mapped(corpusRef(r)),
        spec: { ...(r.spec as ProjectRecord), runId: id },
      }),
    },
  ],
]);

function setsOf(run: ProjectRecord): string[] {
  const spec = run.spec as ProjectRecord;
  return Array.isArray(spec.combinationSets) ? spec.combinationSets.map(str) : [];
}

/**
 * A digest of records that ignores their order: the sum (mod 2^64) of each record's FNV-1a 64
 * of its canonical JSON, and their count. Records are added one by one (storage reads in batches).
 */
export class RecordsDigest {
  #hi = 0;
  #lo = 0;
  #count = 0;

  add(record: ProjectRecord): void {
    const hash = fnv1a64(canonicalJson(record));
    const lo = this.#lo + parseInt(hash.slice(8), 16);
    this.#lo = lo >>> 0;
    this.#hi = (this.#hi + parseInt(hash.slice(0, 8), 16) + (lo > 0xffffffff ? 1 : 0)) >>> 0;
    this.#count++;
  }

  get value(): string {
    const hex = (n: number) => n.toString(16).padStart(8, '0');
    return `${this.#count}:${hex(this.#hi)}${hex(this.#lo)}`;
  }
}

export function recordsDigest(records: Iterable<ProjectRecord>): string {
  const digest = new RecordsDigest();
  for (const record of records) digest.add(record);
  return digest.value;
}

/**
 * What a corpus's samples and skills are, whatever its id: added without their `corpusId`, so
 * the same corpus imported in two browsers (under two random ids) has one digest.
 */
export class CorpusSamplesDigest {
  readonly #digest = new RecordsDigest();

  add(section: 'samples' | 'skills', record: ProjectRecord): void {
    const { corpusId: _corpusId, ...content } = record;
    this.#digest.add({ section, ...content });
  }

  get value(): string {
    return this.#digest.value;
  }
}

/** A stored corpus's digest: its record and the digest of its samples and skills. */
export function corpusDigest(corpus: ProjectRecord, samplesDigest: string): string {
  return `${recordsDigest([corpus])}/${samplesDigest}`;
}

/** The digest of an item's records (for a corpus, `corpusDigest`). */
function digestOf(
  section: ProjectSection,
  records: ReadonlyMap<ProjectSection, ProjectRecord[]>,
  samplesDigest: string | null,
): string {
  if (section === 'corpora') return corpusDigest(records.get('corpora')![0], samplesDigest!);
  return recordsDigest([...records.values()].flat());
}

/** The key of an item: its main section and id (sections have no spaces). */
export const itemKey = (section: ProjectSection, id: string) => `${section} ${id}`;

/** One item of the file: a main record and its parts. */
export interface ProjectItem {
  key: string;
  kind: ItemKind;
  section: ProjectSection;
  id: string;
  label: string;
  /** The main record first, then its parts, by section. */
  records: Map<ProjectSection, ProjectRecord[]>;
  /** Items of the file this one refers to (keys). */
  references: string[];
  /** A corpus's `CorpusSamplesDigest` as the file states it; null for other items. */
  samplesDigest: string | null;
  digest: string;
}

/**
 * A corpus's samples and skills must be those its line describes (nothing lost or altered), and
 * its sample ids unique (the storage finds samples by id).
 */
function checkSamples(records: ReadonlyMap<ProjectSection, ProjectRecord[]>, expected: string) {
  const corpus = records.get('corpora')![0];
  const ids = new Set<string>();
  for (const sample of records.get('samples')!) {
    const id = str(sample.id);
    if (ids.has(id)) {
      throw new Error(
        `the sample id "${id}" occurs twice in corpus "${str(corpus.name)}" (${str(corpus.id)})`,
      );
    }
    ids.add(id);
  }
  const digest = new CorpusSamplesDigest();
  for (const section of ['samples', 'skills'] as const) {
    for (const record of records.get(section)!) digest.add(section, record);
  }
  if (digest.value !== expected) {
    throw new Error(
      `the samples of corpus "${str(corpus.name)}" (${str(corpus.id)}) differ from the digest its line gives: the file was altered or is incomplete`,
    );
  }
}

/** The file's records as items, parents before the items that refer to them. */
export function projectItems(contents: ProjectContents, fileName: string): ProjectItem[] {
  const items: ProjectItem[] = [];
  const keys = new Set<string>();
  for (const [section, shape] of itemShapes) {
    const partsOf = new Map<ProjectSection, Map<string, ProjectRecord[]>>();
    for (const part of shape.parts) {
      const byOwner = new Map<string, ProjectRecord[]>();
      for (const record of contents.records.get(part.section) ?? []) {
        const owner = part.partOf(record);
        byOwner.set(owner, [...(byOwner.get(owner) ?? []), record]);
      }
      partsOf.set(part.section, byOwner);
    }
    for (const record of contents.records.get(section) ?? []) {
      const id = str(record.id);
      const key = itemKey(section, id);
      if (keys.has(key)) throw new Error(`${fileName}: the ${section} record ${id} occurs twice`);
      keys.add(key);
      const records = new Map<ProjectSection, ProjectRecord[]>([[section, [record]]]);
      for (const [part, byOwner] of partsOf) {
        records.set(part, byOwner.get(id) ?? []);
        byOwner.delete(id);
      }
      let samplesDigest: string | null = null;
      if (section === 'corpora') {
        samplesDigest = contents.corpusContent.get(id)!.digest;
        if (contents.manifest.corpusSamples === 'all') checkSamples(records, samplesDigest);
      }
      items.push({
        key,
        kind: shape.kind,
        section,
        id,
        label: shape.label(record),
        records,
        references: shape.references(record).map((ref) => itemKey(ref.section, ref.id)),
        samplesDigest,
        digest: digestOf(section, records, samplesDigest),
      });
    }
    for (const [part, byOwner] of partsOf) {
      const [owner] = byOwner.keys();
      if (owner !== undefined) {
        throw new Error(
          `${fileName}: ${part} records of ${owner}, which the file does not contain (${byOwner.get(owner)!.length} of them)`,
        );
      }
    }
  }
  return items;
}

/** Where an item stands against the database. */
export type ItemStatus =
  /** Not stored here: it will be added. */
  | 'added'
  /** Stored here with the same content: nothing to do. */
  | 'existing'
  /** Stored here under the same id with other content: the user decides. */
  | 'conflict'
  /** A corpus exported without its samples that this browser does not have. */
  | 'missing corpus'
  /** Refers to a corpus that is missing here: it cannot be imported. */
  | 'needs a missing corpus';

export type ConflictChoice = 'keep mine' | 'take theirs' | 'keep both';

/** What the database holds for an item key: the digest of its records, if stored. */
export type LocalDigests = ReadonlyMap<string, string>;

export interface ItemOutcome {
  /** The item as it will be written (with its new id when it, or one it refers to, is copied). */
  item: ProjectItem;
  /** The item's key in the file. */
  fileKey: string;
  status: ItemStatus;
  /** The user's choice for a conflict (absent until made). */
  choice?: ConflictChoice;
  /** For a corpus exported without samples: the local corpus with the same samples. */
  matchedCorpus?: string;
  /** Why the choice was made for the user. */
  note?: string;
}

export interface ImportAnalysis {
  outcomes: ItemOutcome[];
  /** Conflicts without a choice: nothing is written until every one has one. */
  undecided: number;
}

/**
 * Where each item of the file stands against the database, given the user's choices so far.
 * `local` holds the digest of every stored item whose key the analysis asks about (call
 * `keysToLook` first, then again with its answer until it asks for nothing new). Corpora exported
 * without samples are matched by `corpusByDigest` (samples digest → a local corpus id).
 */
export function analyseImport(
  contents: ProjectContents,
  items: readonly ProjectItem[],
  local: LocalDigests,
  choices: ReadonlyMap<string, ConflictChoice>,
  corpusByDigest: ReadonlyMap<string, string>,
): ImportAnalysis {
  const renamed = new Map<string, string>();
  const blocked = new Set<string>();
  const outcomes: ItemOutcome[] = [];
  for (const original of items) {
    const shape = itemShapes.get(original.section)!;
    if (original.references.some((ref) => blocked.has(ref))) {
      blocked.add(original.key);
      outcomes.push({ item: original, fileKey: original.key, status: 'needs a missing corpus' });
      continue;
    }
    const withoutSamples =
      original.section === 'corpora' && contents.manifest.corpusSamples === 'reference';
    if (withoutSamples && !local.has(original.key)) {
      const content = contents.corpusContent.get(original.id)!;
      const match = corpusByDigest.get(content.digest);
      if (match === undefined) {
        blocked.add(original.key);
        outcomes.push({ item: original, fileKey: original.key, status: 'missing corpus' });
      } else {
        renamed.set(original.key, match);
        outcomes.push({
          item: original,
          fileKey: original.key,
          status: 'existing',
          matchedCorpus: match,
        });
      }
      continue;
    }
    const choice = choices.get(original.key);
    const copied = original.references.some((ref) => renamed.has(ref));
    const item =
      copied || (choice === 'keep both' && local.has(original.key) && !withoutSamples)
        ? renamedItem(original, shape, renamed)
        : original;
    if (item !== original) renamed.set(original.key, item.id);
    const stored = local.get(item.key);
    const status: ItemStatus =
      stored === undefined ? 'added' : stored === item.digest ? 'existing' : 'conflict';
    if (status === 'conflict' && withoutSamples) {
      // Without its samples the file's corpus can neither replace this one nor be a copy.
      outcomes.push({
        item,
        fileKey: original.key,
        status,
        choice: 'keep mine',
        note: 'exported without its samples: only the stored corpus can be kept',
      });
      continue;
    }
    outcomes.push({
      item,
      fileKey: original.key,
      status,
      ...(status === 'conflict' && choice !== undefined && { choice }),
      ...(item !== original && status !== 'conflict' && { choice: 'keep both' as const }),
    });
  }
  return {
    outcomes,
    undecided: outcomes.filter((o) => o.status === 'conflict' && !o.choice).length,
  };
}

function renamedItem(
  item: ProjectItem,
  shape: ItemShape,
  renamed: ReadonlyMap<string, string>,
): ProjectItem {
  const id = `${item.id}~${item.digest.slice(-8)}`;
  const mapped = (ref: { section: ProjectSection; id: string }) =>
    renamed.get(itemKey(ref.section, ref.id)) ?? ref.id;
  const records = new Map<ProjectSection, ProjectRecord[]>();
  for (const [section, list] of item.records) {
    const rename =
      section === item.section
        ? shape.rename
        : shape.parts.find((part) => part.section === section)!.rename;
    records.set(
      section,
      list.map((record) => rename(record, id, mapped)),
    );
  }
  const main = records.get(item.section)![0];
  return {
    ...item,
    key: itemKey(item.section, id),
    id,
    label: shape.label(main),
    records,
    references: shape.references(main).map((ref) => itemKey(ref.section, ref.id)),
    digest: digestOf(item.section, records, item.samplesDigest),
  };
}

/** Item keys whose local digests an analysis needs: those of the items as they would be written. */
export function keysToLook(
  analysis: ImportAnalysis | null,
  items: readonly ProjectItem[],
): string[] {
  const keys = new Set(items.map((item) => item.key));
  for (const outcome of analysis?.outcomes ?? []) keys.add(outcome.item.key);
  return [...keys];
}

/** What storage writes: per item, its records, and whether the stored item is replaced first. */
export interface ItemWrite {
  item: ProjectItem;
  replace: boolean;
}

/** The writes an analysis with every conflict decided asks for; throws while one is undecided. */
export function writesOf(analysis: ImportAnalysis): ItemWrite[] {
  if (analysis.undecided > 0) {
    throw new Error(`${analysis.undecided} conflicts are undecided; nothing was imported`);
  }
  const writes: ItemWrite[] = [];
  for (const outcome of analysis.outcomes) {
    if (outcome.status === 'added') writes.push({ item: outcome.item, replace: false });
    if (outcome.status === 'conflict' && outcome.choice === 'take theirs') {
      writes.push({ item: outcome.item, replace: true });
    }
  }
  return writes;
}
