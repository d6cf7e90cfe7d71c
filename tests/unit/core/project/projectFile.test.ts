// The project file in Node: records → lines → records, checked; items compared with a database
// held here as maps (the IndexedDB side is tested in tests/e2e/project.spec.ts), with added,
// existing and conflicting items reported exactly and each choice written as it says.
import { describe, expect, it } from 'vitest';
import {
  endLine,
  manifestLine,
  PROJECT_FORMAT,
  PROJECT_VERSION,
  ProjectFileReader,
  projectSections,
  recordLine,
  type ProjectContents,
  type ProjectRecord,
  type ProjectSection,
} from '../../../../src/core/project/projectFile';
import {
  analyseImport,
  corpusDigest,
  CorpusSamplesDigest,
  keysToLook,
  projectItems,
  recordsDigest,
  writesOf,
  type ConflictChoice,
  type ImportAnalysis,
} from '../../../../src/core/project/projectItems';

/** A database as maps: section → key → record (samples and skills keyed with their corpus). */
type Db = Map<ProjectSection, Map<string, ProjectRecord>>;

const keyOf = (section: ProjectSection, record: ProjectRecord) =>
  section === 'samples'
    ? `${String(record.corpusId)}/${String(record.id)}`
    : section === 'skills'
      ? `${String(record.corpusId)}/${String(record.name)}`
      : section === 'reviews'
        ? String(record.sampleId)
        : String(record.id);

function emptyDb(): Db {
  return new Map(projectSections.map((section) => [section, new Map()]));
}

const corpusId = 'corpus-abc';
const taxonomyId = `taxonomy|graph|${corpusId}|pmi|1|3|optimised|ratio`;
const setId = `combinations|v2|${taxonomyId}|2|8|global|1|0`;
const runId = 'run-0123456789abcdef';

function sampleDb(): Db {
  const db = emptyDb();
  const put = (section: ProjectSection, record: ProjectRecord) =>
    db.get(section)!.set(keyOf(section, record), record);
  put('corpora', {
    id: corpusId,
    name: 'demo <b>corpus</b>',
    fileName: 'demo.jsonl',
    status: 'ready',
    storedSamples: 3,
    importedAt: 1,
    stats: { rows: 3, kept: 3, tagged: 3, skills: 2, tagsPerSample: { 1: 1, 2: 2 } },
    rejected: [],
    rejectedTotal: 0,
  });
  ['a', 'b', 'c'].forEach((id, seq) =>
    put('samples', {
      corpusId,
      id,
      seq,
      source: `line ${seq + 1}`,
      messages: [
        { role: 'user', content: `question ${id}` },
        { role: 'assistant', content: `answer ${id}` },
      ],
      skills: seq === 0 ? ['sql'] : ['sql', 'poetry'],
    }),
  );
  put('skills', { corpusId, name: 'sql', count: 3 });
  put('skills', { corpusId, name: 'poetry', count: 2 });
  const graphId = `graph|${corpusId}|pmi|1`;
  put('graphs', {
    id: graphId,
    corpusId,
    weighting: 'pmi',
    minCount: 1,
    names: ['sql', 'poetry'],
    counts: Int32Array.from([3, 2]),
    offsets: Int32Array.from([0, 1, 2]),
    targets: Int32Array.from([1, 0]),
    weights: Float64Array.from([0.25, 0.25]),
    edgeCount: 1,
    createdAt: 2,
  });
  put('taxonomies', {
    id: taxonomyId,
    corpusId,
    graphId,
    levels: 3,
    builder: 'optimised',
    communityOf: [Int32Array.from([0, 0])],
    communityParent: [Int32Array.from([0])],
    communityCount: [1],
    nodeNames: { '1:0': { name: 'Data', source: 'user' } },
    createdAt: 3,
  });
  put('combinationSets', {
    id: setId,
    corpusId,
    taxonomyId,
    size: 2,
    mode: 'global',
    combinations: [{ skills: [0, 1], score: 0.5, lowestCommonNode: { level: 0, community: 0 } }],
    createdAt: 4,
  });
  put('synthesisRuns', {
    id: runId,
    corpusId,
    taxonomyId,
    status: 'paused',
    spec: { runId, combinationSets: [setId], targetPerK: { 2: 2 } },
    createdAt: 5,
    updatedAt: 6,
  });
  for (const index of [0, 1]) {
    put('generatedSamples', {
      id: `${runId}:${String(index).padStart(8, '0')}`,
      corpusId,
      runId,
      index,
      status: index === 0 ? 'valid' : 'discarded',
      sample: index === 0 ? { id: `${runId}:0`, runId, messages: [] } : null,
    });
  }
  put('taggingRuns', { id: 'tag-1', corpusId, status: 'done', spec: { runId: 'tag-1' } });
  put('taggingAttempts', { id: 'tag-1:00000000', corpusId, runId: 'tag-1', index: 0 });
  return db;
}

/**
 * `sampleDb` with two more valid samples and a review of three: one rejected, one edited twice
 * (each version kept) and not judged, one edited and then accepted.
 */
function reviewedDb(): Db {
  const db = sampleDb();
  const put = (section: ProjectSection, record: ProjectRecord) =>
    db.get(section)!.set(keyOf(section, record), record);
  for (const index of [2, 3]) {
    put('generatedSamples', {
      id: `${runId}:${String(index).padStart(8, '0')}`,
      corpusId,
      runId,
      index,
      status: 'valid',
      sample: { id: `${runId}:${index}`, runId, messages: [] },
    });
  }
  const edit = (text: string, editedAt: number) => ({
    messages: [
      { role: 'user', content: text },
      { role: 'assistant', content: 'an answer' },
    ],
    editedAt,
  });
  put('reviews', {
    sampleId: `${runId}:0`,
    corpusId,
    runId,
    verdict: 'rejected',
    edits: [],
    updatedAt: 10,
  });
  put('reviews', {
    sampleId: `${runId}:2`,
    corpusId,
    runId,
    verdict: null,
    edits: [edit('first <i>edit</i>', 11), edit('second edit', 12)],
    updatedAt: 12,
  });
  put('reviews', {
    sampleId: `${runId}:3`,
    corpusId,
    runId,
    verdict: 'accepted',
    edits: [edit('edited, then accepted', 13)],
    updatedAt: 14,
  });
  return db;
}

/** The project file of `db`, as projectStore.ts writes it (`version` 1 had no reviews). */
function exportDb(
  db: Db,
  corpusSamples: 'all' | 'reference' = 'all',
  version = PROJECT_VERSION,
): string {
  let text = manifestLine({
    format: PROJECT_FORMAT,
    version,
    createdAt: '2026-01-01T00:00:00.000Z',
    corpusSamples,
  });
  const counts = new Map<ProjectSection, number>();
  for (const section of projectSections) {
    if (corpusSamples === 'reference' && (section === 'samples' || section === 'skills')) continue;
    if (version === 1 && section === 'reviews') continue;
    for (const record of db.get(section)!.values()) {
      const corpus =
        section === 'corpora'
          ? { samples: 3, digest: samplesDigestOf(db, String(record.id)) }
          : undefined;
      text += recordLine(section, record, corpus);
      counts.set(section, (counts.get(section) ?? 0) + 1);
    }
  }
  return text + endLine(counts);
}

function samplesDigestOf(db: Db, corpus: string): string {
  const digest = new CorpusSamplesDigest();
  for (const section of ['samples', 'skills'] as const) {
    for (const record of db.get(section)!.values()) {
      if (record.corpusId === corpus) digest.add(section, record);
    }
  }
  return digest.value;
}

/** The digest of each stored item among `keys`, as projectStore.ts's `localDigests`. */
function localDigests(db: Db, keys: string[]): Map<string, string> {
  const digests = new Map<string, string>();
  for (const key of keys) {
    const section = key.slice(0, key.indexOf(' ')) as ProjectSection;
    const id = key.slice(key.indexOf(' ') + 1);
    const record = db.get(section)!.get(id);
    if (!record) continue;
    if (section === 'corpora') {
      digests.set(key, corpusDigest(record, samplesDigestOf(db, id)));
      continue;
    }
    const parts: ProjectSection[] =
      section === 'synthesisRuns'
        ? ['generatedSamples', 'reviews']
        : section === 'taggingRuns'
          ? ['taggingAttempts']
          : [];
    const owned = parts.flatMap((part) =>
      [...db.get(part)!.values()].filter((r) => r.runId === id),
    );
    digests.set(key, recordsDigest([record, ...owned]));
  }
  return digests;
}

function read(text: string, fileName = 'project.steps.jsonl'): ProjectContents {
  const reader = new ProjectFileReader(fileName);
  // In uneven pieces, as a stream delivers them.
  for (let i = 0; i < text.length; i += 97) reader.push(text.slice(i, i + 97));
  return reader.end();
}

/** Analyses until the keys it needs are all looked up, as the project panel does. */
function analyse(
  contents: ProjectContents,
  db: Db,
  choices: Map<string, ConflictChoice> = new Map(),
  corpusByDigest: Map<string, string> = new Map(),
): ImportAnalysis {
  const items = projectItems(contents, 'project.steps.jsonl');
  let keys = keysToLook(null, items);
  for (;;) {
    const analysis = analyseImport(
      contents,
      items,
      localDigests(db, keys),
      choices,
      corpusByDigest,
    );
    const next = keysToLook(analysis, items);
    if (next.every((key) => keys.includes(key))) return analysis;
    keys = next;
  }
}

/** Applies the writes to `db` as projectStore.ts's `commitImport` does. */
function commit(db: Db, analysis: ImportAnalysis): void {
  for (const { item, replace } of writesOf(analysis)) {
    if (replace) {
      db.get(item.section)!.delete(item.id);
      for (const [section, records] of db) {
        if (section === item.section) continue;
        for (const [key, record] of records) {
          const owner =
            section === 'samples' || section === 'skills' ? record.corpusId : record.runId;
          if (item.records.has(section) && owner === item.id) records.delete(key);
        }
      }
    }
    for (const [section, records] of item.records) {
      for (const record of records) db.get(section)!.set(keyOf(section, record), record);
    }
  }
}

const statusOf = (analysis: ImportAnalysis) =>
  Object.fromEntries(analysis.outcomes.map((o) => [o.fileKey, o.status]));

describe('the project file', () => {
  it('round-trips every record into an empty database, typed arrays included', () => {
    const source = sampleDb();
    const contents = read(exportDb(source));
    const analysis = analyse(contents, emptyDb());
    expect(analysis.outcomes.map((o) => o.status)).toEqual(Array(6).fill('added'));
    expect(analysis.outcomes.map((o) => o.item.kind)).toEqual([
      'corpus',
      'graph',
      'taxonomy',
      'combination set',
      'synthesis run',
      'tagging run',
    ]);
    const target = emptyDb();
    commit(target, analysis);
    expect(target).toEqual(source);
    const graph = target.get('graphs')!.values().next().value!;
    expect(graph.weights).toBeInstanceOf(Float64Array);
    expect(graph.offsets).toEqual(Int32Array.from([0, 1, 2]));
  });

  it('reports everything as already there on a second import, and writes nothing', () => {
    const db = sampleDb();
    const analysis = analyse(read(exportDb(db)), db);
    expect(analysis.outcomes.every((o) => o.status === 'existing')).toBe(true);
    expect(writesOf(analysis)).toEqual([]);
  });

  it('into a database with some of it: added, existing and conflicts reported exactly', () => {
    const source = sampleDb();
    const file = read(exportDb(source));
    const target = sampleDb();
    target.get('graphs')!.clear();
    target.get('synthesisRuns')!.clear();
    target.get('generatedSamples')!.clear();
    const taxonomy = target.get('taxonomies')!.get(taxonomyId)!;
    taxonomy.nodeNames = { '1:0': { name: 'Renamed here', source: 'user' } };
    const attempt = target.get('taggingAttempts')!.get('tag-1:00000000')!;
    attempt.status = 'tagged';

    const analysis = analyse(file, target);
    expect(statusOf(analysis)).toEqual({
      [`corpora ${corpusId}`]: 'existing',
      [`graphs graph|${corpusId}|pmi|1`]: 'added',
      [`taxonomies ${taxonomyId}`]: 'conflict',
      [`combinationSets ${setId}`]: 'existing',
      [`synthesisRuns ${runId}`]: 'added',
      'taggingRuns tag-1': 'conflict',
    });
    expect(analysis.undecided).toBe(2);
    // Nothing is written while a conflict is undecided.
    expect(() => writesOf(analysis)).toThrow(/2 conflicts are undecided/);

    // Keep mine for all: only the added items are written; the local edits stay.
    const mine = analyse(
      file,
      target,
      new Map([
        [`taxonomies ${taxonomyId}`, 'keep mine'],
        ['taggingRuns tag-1', 'keep mine'],
      ]),
    );
    expect(writesOf(mine).map((w) => w.item.key)).toEqual([
      `graphs graph|${corpusId}|pmi|1`,
      `synthesisRuns ${runId}`,
    ]);
    commit(target, mine);
    expect(target.get('taxonomies')!.get(taxonomyId)!.nodeNames).toEqual({
      '1:0': { name: 'Renamed here', source: 'user' },
    });
    expect(target.get('taggingAttempts')!.get('tag-1:00000000')!.status).toBe('tagged');
    expect(target.get('generatedSamples')!.size).toBe(2);
  });

  it('takes theirs: the stored item is replaced, attempts included', () => {
    const source = sampleDb();
    const target = sampleDb();
    target.get('taggingAttempts')!.set('tag-1:00000001', {
      id: 'tag-1:00000001',
      corpusId,
      runId: 'tag-1',
      index: 1,
    });
    const analysis = analyse(
      read(exportDb(source)),
      target,
      new Map([['taggingRuns tag-1', 'take theirs']]),
    );
    expect(writesOf(analysis)).toMatchObject([
      { item: { key: 'taggingRuns tag-1' }, replace: true },
    ]);
    commit(target, analysis);
    expect(target).toEqual(source);
  });

  it('keeps both: the copy and everything that refers to it get new ids, references rewritten', () => {
    const source = sampleDb();
    const target = sampleDb();
    target.get('taxonomies')!.get(taxonomyId)!.nodeNames = {};
    const file = read(exportDb(source));
    const choices = new Map<string, ConflictChoice>([[`taxonomies ${taxonomyId}`, 'keep both']]);
    const analysis = analyse(file, target, choices);
    const byKey = new Map(analysis.outcomes.map((o) => [o.fileKey, o]));
    const copy = byKey.get(`taxonomies ${taxonomyId}`)!;
    expect(copy).toMatchObject({ status: 'added', choice: 'keep both' });
    expect(copy.item.id).toMatch(new RegExp(`^${taxonomyId.replaceAll('|', '\\|')}~[0-9a-f]{8}$`));
    // The combination set and the run of the copy are copies too; the corpus and graph are not.
    const set = byKey.get(`combinationSets ${setId}`)!;
    const run = byKey.get(`synthesisRuns ${runId}`)!;
    expect(set.status).toBe('added');
    expect(set.item.records.get('combinationSets')![0].taxonomyId).toBe(copy.item.id);
    expect(run.status).toBe('added');
    const runRecord = run.item.records.get('synthesisRuns')![0];
    expect(runRecord).toMatchObject({
      id: run.item.id,
      taxonomyId: copy.item.id,
      spec: { runId: run.item.id, combinationSets: [set.item.id] },
    });
    const attempts = run.item.records.get('generatedSamples')!;
    expect(attempts.map((a) => a.id)).toEqual([
      `${run.item.id}:00000000`,
      `${run.item.id}:00000001`,
    ]);
    expect(attempts[0].sample).toMatchObject({ id: `${run.item.id}:0`, runId: run.item.id });
    expect(byKey.get(`corpora ${corpusId}`)!.status).toBe('existing');

    commit(target, analysis);
    expect(target.get('taxonomies')!.size).toBe(2);
    expect(target.get('taxonomies')!.get(taxonomyId)!.nodeNames).toEqual({});
    // Imported again with the same choice: the copies are already there.
    const again = analyse(file, target, choices);
    expect(again.outcomes.map((o) => o.status)).toEqual(Array(6).fill('existing'));
  });

  it('matches a corpus exported without samples to a stored one with the same samples', () => {
    const source = sampleDb();
    const file = read(exportDb(source, 'reference'));
    // The same corpus imported here under another id, without any derived records.
    const target = emptyDb();
    for (const section of ['corpora', 'samples', 'skills'] as const) {
      for (const record of source.get(section)!.values()) {
        const moved =
          section === 'corpora'
            ? { ...record, id: 'corpus-here' }
            : { ...record, corpusId: 'corpus-here' };
        target.get(section)!.set(keyOf(section, moved), moved);
      }
    }
    const digest = samplesDigestOf(source, corpusId);
    const analysis = analyse(file, target, new Map(), new Map([[digest, 'corpus-here']]));
    expect(analysis.outcomes[0]).toMatchObject({
      status: 'existing',
      matchedCorpus: 'corpus-here',
    });
    commit(target, analysis);
    const [taxonomy] = target.get('taxonomies')!.values();
    expect(taxonomy.corpusId).toBe('corpus-here');

    // Without a match, the corpus is missing and nothing that needs it is imported.
    const lonely = analyse(file, emptyDb());
    expect(lonely.outcomes.map((o) => o.status)).toEqual([
      'missing corpus',
      ...Array(5).fill('needs a missing corpus'),
    ]);
    expect(writesOf(lonely)).toEqual([]);
  });
});

describe('reviews in the project file', () => {
  const reviewsOf = (db: Db) => [...db.get('reviews')!.values()];

  it('travel with their run: accepted, rejected and edited, every version kept', () => {
    const source = reviewedDb();
    const text = exportDb(source);
    expect(text.split('\n').filter((line) => line.startsWith('{"section":"reviews"'))).toHaveLength(
      3,
    );
    const analysis = analyse(read(text), emptyDb());
    const run = analysis.outcomes.find((o) => o.item.kind === 'synthesis run')!;
    expect(run.item.records.get('reviews')!.map((r) => r.sampleId)).toEqual([
      `${runId}:0`,
      `${runId}:2`,
      `${runId}:3`,
    ]);
    const target = emptyDb();
    commit(target, analysis);
    expect(target).toEqual(source);
    const edited = target.get('reviews')!.get(`${runId}:2`)!;
    expect(edited.edits).toEqual(source.get('reviews')!.get(`${runId}:2`)!.edits);
  });

  it('are compared with the stored run: the same is already there, another review conflicts', () => {
    const file = read(exportDb(reviewedDb()));
    const same = analyse(file, reviewedDb());
    expect(same.outcomes.every((o) => o.status === 'existing')).toBe(true);

    // Here the rejected sample was accepted instead, and one more sample edited.
    const target = reviewedDb();
    target.get('reviews')!.get(`${runId}:0`)!.verdict = 'accepted';
    const local = target.get('reviews')!.get(`${runId}:2`)!;
    local.edits = [...(local.edits as unknown[]), { messages: [], editedAt: 20 }];
    const runKey = `synthesisRuns ${runId}`;
    expect(statusOf(analyse(file, target))[runKey]).toBe('conflict');
    // So does a run stored without the file's reviews.
    const unreviewed = reviewedDb();
    unreviewed.get('reviews')!.clear();
    expect(statusOf(analyse(file, unreviewed))[runKey]).toBe('conflict');

    // Keep mine: the reviews here stay as they are.
    const before = structuredClone(reviewsOf(target));
    commit(target, analyse(file, target, new Map([[runKey, 'keep mine']])));
    expect(reviewsOf(target)).toEqual(before);

    // Take theirs: the run's reviews are the file's, a review the file lacks deleted with them.
    target.get('reviews')!.set(`${runId}:1`, {
      sampleId: `${runId}:1`,
      corpusId,
      runId,
      verdict: 'rejected',
      edits: [],
      updatedAt: 30,
    });
    commit(target, analyse(file, target, new Map([[runKey, 'take theirs']])));
    expect(target).toEqual(reviewedDb());
  });

  it('keep both copies the reviews under the copied run, each keyed by its copied sample', () => {
    const source = reviewedDb();
    const target = reviewedDb();
    target.get('reviews')!.get(`${runId}:0`)!.verdict = 'accepted';
    const file = read(exportDb(source));
    const runKey = `synthesisRuns ${runId}`;
    const choices = new Map<string, ConflictChoice>([[runKey, 'keep both']]);
    const analysis = analyse(file, target, choices);
    const copy = analysis.outcomes.find((o) => o.fileKey === runKey)!;
    expect(copy).toMatchObject({ status: 'added', choice: 'keep both' });
    const copyId = copy.item.id;
    expect(copyId).toMatch(new RegExp(`^${runId}~[0-9a-f]{8}$`));
    const samples = copy.item.records
      .get('generatedSamples')!
      .flatMap((a) => (a.sample ? [String((a.sample as ProjectRecord).id)] : []));
    const reviews = copy.item.records.get('reviews')!;
    expect(reviews.map((r) => [r.sampleId, r.runId, r.verdict])).toEqual([
      [`${copyId}:0`, copyId, 'rejected'],
      [`${copyId}:2`, copyId, null],
      [`${copyId}:3`, copyId, 'accepted'],
    ]);
    for (const review of reviews) expect(samples).toContain(review.sampleId);
    // Only the keys changed: verdicts and every edit as in the file.
    const strip = ({ sampleId: _s, runId: _r, ...rest }: ProjectRecord) => rest;
    expect(reviews.map(strip)).toEqual(reviewsOf(source).map(strip));

    commit(target, analysis);
    expect(target.get('reviews')!.size).toBe(6);
    expect(target.get('reviews')!.get(`${runId}:0`)!.verdict).toBe('accepted');
    expect(target.get('reviews')!.get(`${copyId}:0`)!.verdict).toBe('rejected');
    // Imported again with the same choice: the copy and its reviews are already there.
    const again = analyse(file, target, choices);
    expect(again.outcomes.map((o) => o.status)).toEqual(Array(6).fill('existing'));
  });

  it('a file written before reviews (version 1) still imports', () => {
    const source = reviewedDb();
    const text = exportDb(source, 'all', 1);
    expect(text.startsWith('{"format":"steps-project","version":1,')).toBe(true);
    expect(text).not.toContain('"reviews"');
    const contents = read(text);
    expect(contents.manifest.version).toBe(1);
    const analysis = analyse(contents, emptyDb());
    expect(analysis.outcomes.map((o) => o.status)).toEqual(Array(6).fill('added'));
    const target = emptyDb();
    commit(target, analysis);
    source.get('reviews')!.clear();
    expect(target).toEqual(source);
  });

  it('refuses a review of a sample that is not of its run', () => {
    const lines = exportDb(reviewedDb()).trimEnd().split('\n');
    const at = lines.findIndex((line) => line.startsWith('{"section":"reviews"'));
    lines[at] = lines[at].replace(`"sampleId":"${runId}:0"`, '"sampleId":"run-other:0"');
    expect(() => read(lines.join('\n'))).toThrow(
      new RegExp(
        `line ${at + 1}: a review of sample run-other:0, which is not of its run ${runId}`,
      ),
    );
  });
});

describe('bad project files', () => {
  const whole = exportDb(sampleDb());
  const lines = whole.trimEnd().split('\n');

  it('names the file and the line of a damaged record', () => {
    const damaged = [...lines];
    damaged[3] = damaged[3].slice(0, 20);
    expect(() => read(damaged.join('\n'), 'mine.steps.jsonl')).toThrow(
      /^mine\.steps\.jsonl, line 4: not a valid line/,
    );
  });

  it('tells a file cut off from a whole one', () => {
    const cut = lines.slice(0, 8).join('\n');
    expect(() => read(cut)).toThrow(/ends after line 8 without its closing line: it was cut off/);
  });

  it('refuses a newer version, an unknown section and a record without its fields', () => {
    const newer = whole.replace(`"version":${PROJECT_VERSION}`, '"version":99');
    expect(() => read(newer)).toThrow(/line 1: format version 99 is newer/);
    const unknown = [...lines];
    unknown.splice(2, 0, '{"section":"__proto__","record":{}}');
    expect(() => read(unknown.join('\n'))).toThrow(/line 3: unknown section "__proto__"/);
    const incomplete = [...lines];
    incomplete[2] = JSON.stringify({ section: 'samples', record: { corpusId, id: 'x' } });
    expect(() => read(incomplete.join('\n'))).toThrow(
      /line 3: a samples record without a valid "seq"/,
    );
  });

  it('refuses a corpus whose samples repeat an id, even with a digest that fits', () => {
    const db = sampleDb();
    const b = [...db.get('samples')!.values()].find((sample) => sample.id === 'b')!;
    b.id = 'a';
    expect(() => projectItems(read(exportDb(db)), 'f')).toThrow(
      /the sample id "a" occurs twice in corpus "demo <b>corpus<\/b>" \(corpus-abc\)/,
    );
  });

  it('finds a sample changed or left out by the digest of its corpus', () => {
    const altered = whole.replace('answer b', 'answer B');
    expect(() => projectItems(read(altered), 'f')).toThrow(
      /samples of corpus "demo <b>corpus<\/b>" \(corpus-abc\) differ from the digest/,
    );
  });
});
