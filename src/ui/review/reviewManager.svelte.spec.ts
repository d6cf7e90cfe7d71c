// The Review step's state with its stores kept in memory (IndexedDB is not at hand in Node; the
// browser test uses the real one): filters, the keyboard, verdicts for a filter, edits as versions.
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../core/corpus/sample';
import type { GeneratedSample } from '../../core/synthesis/generatedSample';
import type { ReviewRecord } from '../../storage/types';
import { ReviewManager, type KeyPress, type ReviewStorage } from './reviewManager.svelte';

function generated(
  runId: string,
  index: number,
  change: Partial<GeneratedSample> = {},
): GeneratedSample {
  return {
    id: `${runId}:${index}`,
    runId,
    messages: [
      { role: 'user', content: `Question ${index} of ${runId}` },
      { role: 'assistant', content: `Answer ${index}` },
    ],
    skills: ['python', 'csv'],
    k: 2,
    combination: {
      skills: ['python', 'csv'],
      score: 1,
      lowestCommonNode: { level: 1, community: 0 },
    },
    atomicSampleIds: ['c-1', 'c-2'],
    template: { id: 'steps-fusion', kind: 'fusion', version: 1 },
    model: { id: 'model-a', engine: 'openai' },
    seed: index,
    parameters: { temperature: 0.7, top_p: 0.9, max_tokens: 256 },
    rawOutput: '[]',
    repairs: [],
    usage: {
      promptTokens: 1,
      completionTokens: 1,
      timeToFirstTokenMs: null,
      tokensPerSecond: null,
    },
    createdAt: '2025-01-31T12:00:00.000Z',
    ...change,
  };
}

/** Runs, samples and reviews as reviewStore.ts keeps them, in memory. */
class MemoryStorage implements ReviewStorage {
  readonly reviews = new Map<string, ReviewRecord>();
  failNextSave = false;
  saves = 0;
  constructor(readonly runs: Record<string, GeneratedSample[]>) {}

  async listRuns() {
    return Object.keys(this.runs).map((id) => ({ id }));
  }
  async runSamples(runId: string) {
    return this.runs[runId];
  }
  async listReviews(corpusId: string) {
    return [...this.reviews.values()].filter((review) => review.corpusId === corpusId);
  }
  async saveReviews(records: readonly ReviewRecord[]) {
    if (this.failNextSave) {
      this.failNextSave = false;
      throw new Error('disk full');
    }
    this.saves++;
    for (const record of records) this.reviews.set(record.sampleId, structuredClone(record));
  }
  async corpusSample(_corpusId: string, id: string): Promise<Sample> {
    if (id === 'gone') throw new Error(`Sample "${id}" is no longer in the corpus`);
    return {
      id,
      messages: [{ role: 'user', content: `corpus ${id}` }],
      skills: [],
      source: 'c.jsonl:1',
    };
  }
}

const press = (key: string, modifiers: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...modifiers,
});

async function opened(runs: Record<string, GeneratedSample[]>) {
  const storage = new MemoryStorage(runs);
  const manager = new ReviewManager(storage);
  await manager.open('corpus-1');
  return { storage, manager };
}

/** Lets the stores' promises (started by keys) settle. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

const fiveSamples = () => ({
  'run-a': [0, 1, 2].map((i) => generated('run-a', i)),
  'run-b': [0, 1].map((i) =>
    generated('run-b', i, {
      k: 3,
      skills: ['python', 'sql', 'csv'],
      model: { id: 'model-b', engine: 'webllm' },
      checks: { coverage: { covered: ['python', 'sql'], missing: ['csv'] } },
    }),
  ),
});

describe('ReviewManager', () => {
  it('filters by text, skill, k, run, model, check and review state', async () => {
    const { manager } = await opened(fiveSamples());
    expect(manager.total).toBe(5);
    expect(manager.filtered).toHaveLength(5);
    const ids = () => manager.filtered.map((sample) => sample.id);

    manager.setFilter({ text: 'question 1 OF RUN' });
    expect(ids()).toEqual(['run-a:1', 'run-b:1']);
    // Text is matched literally, not as a pattern.
    manager.setFilter({ text: '.*' });
    expect(ids()).toEqual([]);
    manager.setFilter({ text: '', skill: 'sql' });
    expect(ids()).toEqual(['run-b:0', 'run-b:1']);
    manager.setFilter({ skill: '', k: 2 });
    expect(ids()).toEqual(['run-a:0', 'run-a:1', 'run-a:2']);
    manager.setFilter({ k: null, runId: 'run-b' });
    expect(ids()).toEqual(['run-b:0', 'run-b:1']);
    manager.setFilter({ runId: '', model: 'model-a' });
    expect(ids()).toHaveLength(3);
    manager.setFilter({ model: '', check: 'some-missing' });
    expect(ids()).toEqual(['run-b:0', 'run-b:1']);
    manager.setFilter({ check: 'unchecked' });
    expect(ids()).toEqual(['run-a:0', 'run-a:1', 'run-a:2']);
    manager.setFilter({ check: 'all-covered' });
    expect(ids()).toEqual([]);

    manager.setFilter({ check: 'any' });
    await manager.reject();
    manager.setFilter({ state: 'rejected' });
    expect(ids()).toEqual(['run-a:0']);
    manager.setFilter({ state: 'unreviewed' });
    expect(ids()).toHaveLength(4);
    expect(manager.options).toEqual({
      skills: ['csv', 'python', 'sql'],
      ks: [2, 3],
      models: ['model-a', 'model-b'],
      runs: ['run-a', 'run-b'],
    });
  });

  it('reviews with the keyboard: next, previous, accept and reject move on, stored at once', async () => {
    const { storage, manager } = await opened(fiveSamples());
    expect(manager.current?.id).toBe('run-a:0');
    expect(manager.handleKey(press('j'))).toBe(true);
    expect(manager.handleKey(press('ArrowDown'))).toBe(true);
    expect(manager.current?.id).toBe('run-a:2');
    manager.handleKey(press('k'));
    manager.handleKey(press('ArrowUp'));
    manager.handleKey(press('ArrowUp'));
    expect(manager.position).toBe(0);

    manager.handleKey(press('r'));
    expect(manager.current?.id).toBe('run-a:1');
    manager.handleKey(press('r'));
    manager.handleKey(press('a'));
    await settled();
    expect(manager.current?.id).toBe('run-b:0');
    expect(manager.stateOf('run-a:0')).toBe('rejected');
    expect(manager.stateOf('run-a:2')).toBe('accepted');
    expect(manager.summary).toEqual({ accepted: 1, rejected: 2, edited: 0, unreviewed: 2 });
    expect(storage.reviews.get('run-a:1')).toMatchObject({
      corpusId: 'corpus-1',
      runId: 'run-a',
      verdict: 'rejected',
      edits: [],
    });

    // A modified key, or a key the step does not use, is left to the browser.
    expect(manager.handleKey(press('a', { ctrlKey: true }))).toBe(false);
    expect(manager.handleKey(press('x'))).toBe(false);
    expect(manager.handleKey(press('constructor'))).toBe(false);

    // Rejecting under the "unreviewed" filter: the next unreviewed sample comes into view.
    manager.setFilter({ state: 'unreviewed' });
    expect(manager.current?.id).toBe('run-b:0');
    await manager.reject();
    expect(manager.current?.id).toBe('run-b:1');

    // Reopened, the reviews are read back.
    const reopened = new ReviewManager(storage);
    await reopened.open('corpus-1');
    expect(reopened.summary).toEqual({ accepted: 1, rejected: 3, edited: 0, unreviewed: 1 });
  });

  it('keeps an edit as a new version, the original preserved; Escape cancels', async () => {
    const { storage, manager } = await opened(fiveSamples());
    manager.handleKey(press('j'));
    manager.handleKey(press('e'));
    expect(manager.editing).toBe(true);
    // While editing, letters are typing, not shortcuts.
    expect(manager.handleKey(press('j'))).toBe(false);
    manager.draft![0].content = 'Changed and cancelled';
    manager.handleKey(press('Escape'));
    expect(manager.editing).toBe(false);
    expect(manager.messagesOf(manager.current!)[0].content).toBe('Question 1 of run-a');

    manager.handleKey(press('e'));
    manager.draft![0].content = 'An edited question';
    expect(manager.handleKey(press('Enter', { ctrlKey: true }))).toBe(true);
    await settled();
    const sample = manager.current!;
    expect(sample.id).toBe('run-a:1');
    expect(manager.messagesOf(sample)[0].content).toBe('An edited question');
    expect(sample.messages[0].content).toBe('Question 1 of run-a');
    expect(manager.stateOf(sample.id)).toBe('edited');
    expect(storage.reviews.get(sample.id)?.edits).toEqual([
      {
        messages: [
          { role: 'user', content: 'An edited question' },
          { role: 'assistant', content: 'Answer 1' },
        ],
        editedAt: expect.any(Number),
      },
    ]);

    // The original on request.
    expect(manager.originalShown).toBe(false);
    manager.handleKey(press('o'));
    expect(manager.originalShown).toBe(true);

    // A second edit is one more version; saving an unchanged draft adds none; an empty message
    // is refused.
    manager.startEdit();
    manager.draft![1].content = 'A second answer';
    await manager.saveEdit();
    manager.startEdit();
    await manager.saveEdit();
    manager.startEdit();
    manager.draft![1].content = '  ';
    await manager.saveEdit();
    expect(manager.error).toBe('Message 2 (assistant) is empty: write it or cancel the edit.');
    manager.cancelEdit();
    expect(storage.reviews.get(sample.id)?.edits.map((e) => e.messages[1].content)).toEqual([
      'Answer 1',
      'A second answer',
    ]);
    // The text filter searches the edited text.
    manager.setFilter({ text: 'second answer' });
    expect(manager.filtered.map((s) => s.id)).toEqual(['run-a:1']);
    // Accepting keeps the edits: the edited version is what is exported.
    await manager.accept();
    expect(storage.reviews.get(sample.id)).toMatchObject({ verdict: 'accepted' });
    expect(storage.reviews.get(sample.id)?.edits).toHaveLength(2);
    expect(manager.stateOf(sample.id)).toBe('edited');
  });

  it('gives the whole filter a verdict only once the count is confirmed', async () => {
    const { storage, manager } = await opened(fiveSamples());
    await manager.reject();
    manager.setFilter({ state: 'unreviewed', k: 2 });
    expect(manager.filtered).toHaveLength(2);
    manager.askBulk('accepted');
    expect(manager.pendingBulk).toBe('accepted');
    // Shortcuts wait for the answer; Escape cancels.
    expect(manager.handleKey(press('a'))).toBe(false);
    manager.handleKey(press('Escape'));
    expect(manager.pendingBulk).toBeNull();
    expect(manager.summary.accepted).toBe(0);

    manager.askBulk('accepted');
    const savesBefore = storage.saves;
    await manager.confirmBulk();
    expect(storage.saves).toBe(savesBefore + 1);
    expect(manager.filtered).toHaveLength(0);
    expect(manager.summary).toEqual({ accepted: 2, rejected: 1, edited: 0, unreviewed: 2 });
    // The earlier rejection outside the filter stays.
    expect(manager.stateOf('run-a:0')).toBe('rejected');
  });

  it('shows a failed save and restores the previous state', async () => {
    const { storage, manager } = await opened(fiveSamples());
    storage.failNextSave = true;
    await manager.reject();
    expect(manager.error).toBe('The review could not be saved: disk full');
    expect(manager.stateOf('run-a:0')).toBe('unreviewed');
    expect(storage.reviews.size).toBe(0);
  });

  it('reads the corpus examples a sample was made from, naming those that are gone', async () => {
    const { manager } = await opened({
      'run-a': [generated('run-a', 0, { atomicSampleIds: ['c-7', 'gone'] })],
    });
    expect(manager.sources).toBeNull();
    await manager.loadSources();
    expect(manager.sources).toEqual([
      {
        id: 'c-7',
        sample: expect.objectContaining({ messages: [{ role: 'user', content: 'corpus c-7' }] }),
        error: null,
      },
      { id: 'gone', sample: null, error: 'Sample "gone" is no longer in the corpus' },
    ]);
  });
});
