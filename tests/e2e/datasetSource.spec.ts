// The Dataset step's reading of IndexedDB in real Chromium, against the in-memory path it
// replaced: the batched attempt reader, then the export's sample source with the Review step's
// verdicts and edits and with a curriculum, compared row for row (and archive byte for byte)
// with `samplesForExport`, which reads every sample at once; and the step's table, read a page
// at a time. The page is the app's test build,
// which exposes the modules on `window.__stepsStorage` (tests/e2e/hooks/storageHook.ts); each
// test gets a fresh browser context, hence an empty database.
import { expect, test, type Page } from '@playwright/test';
import type { GeneratedSample } from '../../src/core/synthesis/generatedSample';
import { defaultTemplates } from '../../src/core/synthesis/prompts';
import type { SynthesisAttempt } from '../../src/core/synthesis/synthesisRun';
import type { SynthesisRunRecord } from '../../src/storage/synthesisStore';
import type { ReviewRecord } from '../../src/storage/types';
import type { StorageTestHook } from './hooks/storageHook';
import { importDemoCorpus } from './workflow';

interface PageGlobals {
  __stepsStorage: StorageTestHook;
}

const CORPUS = 'corpus-source';
/** More attempts than two reads of a batch (1000), with a partial last batch. */
const RUNS = [
  { id: 'run-older', attempts: 2345, createdAt: 1 },
  { id: 'run-newer', attempts: 40, createdAt: 2 },
];

function attempt(runId: string, index: number): SynthesisAttempt {
  const k = 2 + (index % 3);
  const skills = Array.from({ length: k }, (_, i) => `skill ${(index + i * 7) % 50}`);
  const base = {
    runId,
    index,
    slot: index,
    k,
    combinationIndex: index % 11,
    atomicSampleIds: skills.map((_, i) => `row-${index}-${i}`),
    seed: 100 + index,
    createdAt: '2026-01-31T12:00:00.000Z',
  };
  // Every seventh attempt is a discard, as a real run has them.
  if (index % 7 === 3) {
    return {
      ...base,
      status: 'discarded',
      reason: { code: 'exact-duplicate', of: `${runId}:0` },
      rawOutput: 'same again',
      sample: null,
    };
  }
  const messages = [
    { role: 'user' as const, content: `question ${runId} ${index} about ${skills.join(', ')}` },
    { role: 'assistant' as const, content: `answer ${index} <b>not markup</b>` },
  ];
  const sample: GeneratedSample = {
    id: `${runId}:${index}`,
    runId,
    messages,
    skills,
    k,
    combination: {
      skills,
      score: index / 10,
      lowestCommonNode: { level: 1, community: index % 5 },
    },
    atomicSampleIds: base.atomicSampleIds,
    template: { id: 'steps-fusion', kind: 'fusion', version: 1 },
    model: { id: 'fixture', engine: 'transformers' },
    seed: base.seed,
    parameters: { temperature: 0, top_p: 1, max_tokens: 64 },
    rawOutput: JSON.stringify(messages),
    repairs: [],
    usage: {
      promptTokens: 100 + index,
      completionTokens: 20 + (index % 13),
      timeToFirstTokenMs: null,
      tokensPerSecond: null,
    },
    createdAt: base.createdAt,
  };
  return { ...base, status: 'valid', reason: null, rawOutput: sample.rawOutput, sample };
}

/** Reviews of some of the samples: rejections, edits, an edit then a rejection, acceptances. */
function reviews(samples: GeneratedSample[], corpusId = CORPUS): ReviewRecord[] {
  return samples.flatMap((sample, i): ReviewRecord[] => {
    const record = { sampleId: sample.id, corpusId, runId: sample.runId, updatedAt: 1 };
    const edit = {
      messages: [{ role: 'user' as const, content: `edited ${sample.id}` }, sample.messages[1]],
      editedAt: 2,
    };
    if (i % 10 === 1) return [{ ...record, verdict: 'rejected', edits: [] }];
    if (i % 10 === 2) return [{ ...record, verdict: null, edits: [edit] }];
    if (i % 10 === 3) return [{ ...record, verdict: 'accepted', edits: [edit, edit] }];
    if (i % 10 === 4) return [{ ...record, verdict: 'rejected', edits: [edit] }];
    if (i % 10 === 5) return [{ ...record, verdict: 'accepted', edits: [] }];
    return [];
  });
}

/**
 * The runs of the corpus, their attempts (through `saveAttempt`, as a run stores them) and the
 * reviews, into the page's database; the samples, the older run's first.
 */
async function store(page: Page, corpusId = CORPUS): Promise<GeneratedSample[]> {
  const runs = RUNS.map((run) => ({
    record: {
      id: run.id,
      corpusId,
      status: 'done',
      createdAt: run.createdAt,
      updatedAt: run.createdAt,
      taxonomyId: 'taxonomy-source',
      spec: {
        runId: run.id,
        combinations: [],
        targetPerK: { 2: 1000, 3: 1000, 4: 1000 },
        template: defaultTemplates.fusion,
        model: { id: 'fixture', engine: 'transformers' },
        generation: { temperature: 0, top_p: 1, max_tokens: 64 },
        maxPromptTokens: 448,
        seed: 1,
        maxAttemptsPerSlot: 3,
        quality: {
          dedup: true,
          nearDuplicateThreshold: 0.8,
          novelty: false,
          coverage: false,
          minCoverage: 1,
        },
        checkMaxTokens: 64,
      },
    } satisfies SynthesisRunRecord,
    attempts: Array.from({ length: run.attempts }, (_, index) => attempt(run.id, index)),
  }));
  const samples = runs.flatMap((run) => run.attempts.flatMap((a) => (a.sample ? [a.sample] : [])));
  await page.evaluate(
    async ({ corpusId, runs, reviews }) => {
      const storage = (globalThis as unknown as PageGlobals).__stepsStorage;
      for (const run of runs) {
        await storage.openRun(run.record);
        await Promise.all(run.attempts.map((a) => storage.saveAttempt(corpusId, a)));
      }
      await storage.saveReviews(reviews);
    },
    { corpusId, runs, reviews: reviews(samples, corpusId) },
  );
  return samples;
}

test('the batched reader gives every attempt of a run once, in order, in batches of the size asked', async ({
  page,
}) => {
  await page.goto('/');
  await store(page);
  const read = await page.evaluate(async () => {
    const storage = (globalThis as unknown as PageGlobals).__stepsStorage;
    const all = await storage.listAttempts('run-older');
    const sizes: Record<number, number[]> = {};
    const same: Record<number, boolean> = {};
    for (const size of [1000, 469, 1, 5000]) {
      const batches = [];
      for await (const batch of storage.attemptBatches('run-older', size)) batches.push(batch);
      sizes[size] = batches.map((batch) => batch.length);
      same[size] = JSON.stringify(batches.flat()) === JSON.stringify(all);
    }
    const none = [];
    for await (const batch of storage.attemptBatches('run-unknown', 1000)) none.push(batch);
    const keys = ['run-newer:00000005', 'run-older:00002344', 'run-older:00002345'];
    const found = await storage.getAttempts(keys);
    return {
      count: all.length,
      indexes: all.map((a) => a.index),
      sizes,
      same,
      none: none.length,
      found: found.map((a) => a && `${a.runId}:${a.index}`),
    };
  });
  expect(read.count).toBe(2345);
  expect(read.indexes).toEqual(Array.from({ length: 2345 }, (_, i) => i));
  expect(read.sizes[1000]).toEqual([1000, 1000, 345]);
  // 2345 = 5 × 469: the last full batch is followed by an empty read, not an empty batch.
  expect(read.sizes[469]).toEqual([469, 469, 469, 469, 469]);
  expect(read.sizes[1]).toHaveLength(2345);
  expect(read.sizes[5000]).toEqual([2345]);
  expect(read.same).toEqual({ 1: true, 469: true, 1000: true, 5000: true });
  expect(read.none).toBe(0);
  expect(read.found).toEqual(['run-newer:5', 'run-older:2344', undefined]);
});

test('the export source reads the reviewed samples as the in-memory path gave them, in run and in curriculum order', async ({
  page,
}) => {
  await page.goto('/');
  const samples = await store(page);
  const result = await page.evaluate(async (corpusId) => {
    const storage = (globalThis as unknown as PageGlobals).__stepsStorage;
    const collect = async (source: ReturnType<StorageTestHook['storedSampleSource']>) => {
      const read = [];
      for await (const sample of source.read()) read.push(sample);
      return read;
    };
    const sha256 = async (stream: ReadableStream<Uint8Array>) => {
      const bytes = await new Response(stream).arrayBuffer();
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      return {
        bytes: bytes.byteLength,
        sha256: [...digest].map((b) => b.toString(16).padStart(2, '0')).join(''),
      };
    };
    const archive = (samples: ReturnType<StorageTestHook['samplesInMemory']>) =>
      storage.exportDataset({
        samples,
        formats: ['parquet', 'openai', 'csv'],
        tableShape: 'sharegpt',
        includeProvenance: true,
        includeRawOutput: true,
        dataset: { name: 'source', license: { id: 'mit' }, language: ['en'], sourceDatasets: [] },
        facts: {
          corpus: null,
          taxonomies: [],
          combinationSets: [],
          runs: [],
          validPerK: [],
          discarded: null,
          tokens: { samples: 0, promptTokens: 0, completionTokens: 0 },
          curriculum: null,
        },
        appVersion: 'test',
        createdAt: '2026-02-01T00:00:00.000Z',
      }).stream;

    // As the Dataset step loads a corpus: refs only, newest run first, reviews applied.
    const loaded = await storage.loadDataset(corpusId);
    const reviewOf = (id: string) => loaded.reviews.get(id);
    const runIds = loaded.runs.map((run) => run.record.id);
    const refs = storage.reviewedRefs(
      loaded.runs.flatMap((run) => run.samples),
      reviewOf,
    );
    const source = storage.storedSampleSource({ runIds, samples: refs.samples, reviewOf }, null);
    const inMemory = await storage.samplesForExport(corpusId, runIds);
    // A run still going stores another sample after the step loaded: the export leaves it out.
    const late = structuredClone(
      (await storage.getAttempts(['run-newer:00000000']))[0]!,
    ) as Parameters<StorageTestHook['saveAttempt']>[1];
    late.index = 40;
    late.sample = { ...late.sample!, id: 'run-newer:40' };
    await storage.saveAttempt(corpusId, late);
    const first = await collect(source);
    const second = await collect(source);

    // One run left out.
    const olderRefs = storage.reviewedRefs(loaded.runs[1].samples, reviewOf);
    const older = await collect(
      storage.storedSampleSource(
        { runIds: ['run-older'], samples: olderRefs.samples, reviewOf },
        null,
      ),
    );
    const olderInMemory = await storage.samplesForExport(corpusId, ['run-older']);

    // A curriculum of more draws than samples, so samples repeat.
    const ks = [2, 3, 4];
    const schedule = storage.curriculumSchedule({ epochs: 2, samplesPerEpoch: 1800, ks, seed: 5 });
    const order = storage.curriculumOrder(refs.samples, schedule, 5);
    const curriculum = storage.storedSampleSource(
      { runIds, samples: refs.samples, reviewOf },
      order,
    );
    const ordered = await collect(curriculum);
    const byId = new Map(inMemory.samples.map((sample) => [sample.id, sample]));
    const orderedInMemory = order.epochs.flatMap((epoch) => epoch.ids.map((id) => byId.get(id)!));

    return {
      runIds,
      count: source.count,
      first,
      second,
      inMemory,
      review: refs.review,
      older: { read: older, expected: olderInMemory.samples, review: olderRefs.review },
      olderReview: olderInMemory.review,
      curriculum: { count: curriculum.count, read: ordered, expected: orderedInMemory },
      repeats: order.shortfalls.length,
      archives: {
        stored: await sha256(archive(source)),
        inMemory: await sha256(archive(storage.samplesInMemory(inMemory.samples))),
        storedCurriculum: await sha256(archive(curriculum)),
        inMemoryCurriculum: await sha256(archive(storage.samplesInMemory(orderedInMemory))),
      },
    };
  }, CORPUS);

  expect(result.runIds).toEqual(['run-newer', 'run-older']);
  // The in-memory path itself: rejected left out, edits in.
  const rejected = new Set(
    reviews(samples)
      .filter((review) => review.verdict === 'rejected')
      .map((review) => review.sampleId),
  );
  expect(result.inMemory.samples).toHaveLength(
    samples.filter((sample) => !rejected.has(sample.id)).length,
  );
  expect(result.inMemory.samples.some((s) => s.messages[0].content.startsWith('edited '))).toBe(
    true,
  );
  // The stored source: the same rows, in the same order, at every reading.
  expect(result.count).toBe(result.inMemory.samples.length);
  expect(result.first).toEqual(result.inMemory.samples);
  expect(result.second).toEqual(result.inMemory.samples);
  expect(result.review).toEqual(result.inMemory.review);
  expect(result.older.read).toEqual(result.older.expected);
  expect(result.older.review).toEqual(result.olderReview);
  expect(result.repeats).toBeGreaterThan(0);
  expect(result.curriculum.count).toBe(3600);
  expect(result.curriculum.read).toEqual(result.curriculum.expected);
  // The same archive, byte for byte.
  expect(result.archives.stored).toEqual(result.archives.inMemory);
  expect(result.archives.storedCurriculum).toEqual(result.archives.inMemoryCurriculum);
  expect(result.archives.stored.bytes).toBeGreaterThan(0);
});

test('the Dataset step shows the reviewed samples a page at a time, read from IndexedDB', async ({
  page,
}) => {
  await importDemoCorpus(page);
  const corpusId = await page.evaluate(async () => {
    const storage = (globalThis as unknown as PageGlobals).__stepsStorage;
    return (await storage.listCorpora())[0].id;
  });
  const samples = await store(page, corpusId);
  const rejected = new Set(
    reviews(samples)
      .filter((review) => review.verdict === 'rejected')
      .map((review) => review.sampleId),
  );
  // Newest run first, as the step lists them.
  const newer = samples.filter((s) => s.runId === 'run-newer' && !rejected.has(s.id));
  const older = samples.filter((s) => s.runId === 'run-older' && !rejected.has(s.id));
  const shown = [...newer, ...older];

  await page.goto('/#/dataset');
  const summary = page.getByTestId('dataset-summary');
  await expect(summary).toHaveText(`${shown.length.toLocaleString('en-US')} valid samples`);
  const rows = page.getByTestId('dataset-sample');
  await expect(rows).toHaveCount(100);
  await expect(
    page.getByText(`Showing 100 of ${shown.length.toLocaleString('en-US')}.`),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Show more' }).click();
  await expect(rows).toHaveCount(200);
  // Each row is the sample at its place, its edit applied.
  const edits = new Map(reviews(samples).map((review) => [review.sampleId, review.edits]));
  const firstTurn = (sample: GeneratedSample) =>
    edits.get(sample.id)?.at(-1)?.messages[0].content ?? sample.messages[0].content;
  const openers = await rows.getByRole('button').allTextContents();
  expect(openers.map((text) => text.trim())).toEqual(shown.slice(0, 200).map(firstTurn));
  const edited = shown.findIndex((sample) => edits.get(sample.id)?.length);
  expect(edited).toBeGreaterThanOrEqual(0);
  expect(openers[edited]).toContain(`edited ${shown[edited].id}`);
  // A row opens to the conversation as stored, markup shown as text.
  await rows.nth(edited).getByRole('button').click();
  const detail = page.locator('tr.detail');
  await expect(detail.getByRole('listitem').nth(1)).toContainText(
    `answer ${shown[edited].id.split(':')[1]} <b>not markup</b>`,
  );

  // Without the older run: only the newer run's samples, fewer than a page.
  await page.getByRole('checkbox', { name: 'Include run run-older' }).uncheck();
  await expect(summary).toHaveText(`${newer.length} valid samples`);
  await expect(rows).toHaveCount(newer.length);
  await expect(page.getByRole('button', { name: 'Show more' })).toBeHidden();
});
