// The run lifecycle with a run whose answers the test hands out one by one, and stores and run
// ownership kept in memory (IndexedDB and Web Locks are not at hand in Node; the browser tests use
// the real ones): what the controller shows and what it stores.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunStatus, Stored } from '../../storage/runStore';
import { RunController, type PreparedRun, type RunStorage } from './runController.svelte';
import type { RunOwnership } from './runOwnership';

interface TestRecord {
  [field: string]: unknown;
  id: string;
  corpusId: string;
  status: RunStatus;
  createdAt: number;
  updatedAt: number;
  spec: { model: { id: string; engine: string }; total: number };
}

interface TestAttempt {
  runId: string;
  index: number;
  text: string;
}

interface Progress {
  done: number;
  total: number;
}

const engine = { kind: 'openai', model: 'test-model' };

/** Runs and attempts kept as runStore.ts keeps them, in memory. */
class MemoryStorage implements RunStorage<TestRecord, TestAttempt> {
  readonly runs = new Map<string, TestRecord>();
  readonly attempts = new Map<string, Stored<TestAttempt>[]>();

  async listRuns(corpusId: string) {
    return [...this.runs.values()]
      .filter((run) => run.corpusId === corpusId)
      .sort((a, b) => b.createdAt - a.createdAt);
  }
  async listAttempts(runId: string) {
    return [...(this.attempts.get(runId) ?? [])];
  }
  async setRunStatus(id: string, status: RunStatus) {
    const run = this.runs.get(id);
    if (run) this.runs.set(id, { ...run, status });
  }

  saveRun(corpusId: string, status: RunStatus = 'running', total = 3): TestRecord {
    const record: TestRecord = {
      id: `run-${corpusId}`,
      corpusId,
      status,
      createdAt: this.runs.size,
      updatedAt: 0,
      spec: { model: { id: engine.model, engine: engine.kind }, total },
    };
    this.runs.set(record.id, record);
    return record;
  }

  saveAttempt(corpusId: string, attempt: TestAttempt) {
    const id = `${attempt.runId}:${attempt.index}`;
    const list = this.attempts.get(attempt.runId) ?? [];
    this.attempts.set(attempt.runId, [...list, { ...attempt, id, corpusId }]);
  }

  status(runId: string) {
    return this.runs.get(runId)?.status;
  }
}

/** Run ownership as Web Locks give it, within one process; `elsewhere` is another tab's hold. */
class MemoryOwnership implements RunOwnership {
  readonly #held = new Set<string>();
  readonly #waiting = new Map<string, (() => void)[]>();

  async hold(runId: string, body: () => Promise<void>) {
    if (this.#held.has(runId)) return false;
    this.#held.add(runId);
    try {
      await body();
    } finally {
      this.#release(runId);
    }
    return true;
  }
  async isHeld(runId: string) {
    return this.#held.has(runId);
  }
  whenFree(runId: string, signal: AbortSignal) {
    if (!this.#held.has(runId)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.#waiting.set(runId, [...(this.#waiting.get(runId) ?? []), resolve]);
      signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    });
  }

  /** Another tab takes the run; returns its letting go (a pause there, or the tab closed). */
  elsewhere(runId: string): () => void {
    this.#held.add(runId);
    return () => this.#release(runId);
  }

  #release(runId: string) {
    this.#held.delete(runId);
    for (const resolve of this.#waiting.get(runId) ?? []) resolve();
    this.#waiting.delete(runId);
  }
}

/** A run whose next attempt waits for the test's `answer` (or `fail`); an abort rejects it. */
class HeldRun implements PreparedRun<TestAttempt, Progress> {
  readonly record: TestRecord;
  readonly storage: MemoryStorage;
  asked = 0;
  #made: number;
  #pending: { answer(): void; fail(error: Error): void; signal: AbortSignal } | null = null;

  constructor(record: TestRecord, storage: MemoryStorage, made: number) {
    this.record = record;
    this.storage = storage;
    this.#made = made;
  }

  get progress(): Progress {
    return { done: this.#made, total: this.record.spec.total };
  }
  get signal() {
    return this.#pending!.signal;
  }

  next(signal: AbortSignal): Promise<TestAttempt | null> {
    this.asked++;
    if (this.#made >= this.record.spec.total) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#pending = {
        signal,
        answer: () => {
          signal.removeEventListener('abort', onAbort);
          const attempt = { runId: this.record.id, index: this.#made++, text: 'answer' };
          this.storage.saveAttempt(this.record.corpusId, attempt);
          resolve(attempt);
        },
        fail: (error) => reject(error),
      };
    });
  }

  answer() {
    this.#pending!.answer();
  }
  fail(error: Error) {
    this.#pending!.fail(error);
  }
}

function setup() {
  const storage = new MemoryStorage();
  const ownership = new MemoryOwnership();
  const prepared: HeldRun[] = [];
  const controller = new RunController<TestRecord, TestAttempt, Progress, typeof engine>(
    {
      storage,
      prepare: async (record, attempts) => {
        const run = new HeldRun(record, storage, attempts.length);
        prepared.push(run);
        return run;
      },
      summarise: (record, attempts) => ({ done: attempts.length, total: record.spec.total }),
      units: (progress) => progress,
    },
    ownership,
  );
  /** The run of the latest resume. */
  const run = () => prepared.at(-1)!;
  /** Resolves once the `resume`-th resume's run was asked for its `count`-th attempt. */
  const asked = (count: number, resume = 1) =>
    until(() => prepared.length === resume && run().asked === count);
  return { storage, ownership, controller, prepared, run, asked };
}

/** Lets the controller's storage calls settle until `ready` holds (no clock involved). */
async function until(ready: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !ready(); turn++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  expect(ready()).toBe(true);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('RunController', () => {
  it('shows a stored run left running as paused, with its progress', async () => {
    const { storage, controller } = setup();
    const record = storage.saveRun('a');
    storage.saveAttempt('a', { runId: record.id, index: 0, text: 'x' });
    expect(await controller.open('a')).toEqual(record);
    expect(controller.state).toBe('paused');
    expect(controller.progress).toEqual({ done: 1, total: 3 });
    expect(controller.attempts.map((a) => a.id)).toEqual([`${record.id}:0`]);
  });

  it('starts a run and makes attempts until it is done', async () => {
    const { storage, controller, run, asked } = setup();
    await controller.open('a');
    const started = controller.start(async () => storage.saveRun('a', 'running', 2), engine);
    await asked(1);
    expect(controller.state).toBe('running');
    expect(storage.status('run-a')).toBe('running');
    run().answer();
    await asked(2);
    run().answer();
    await started;
    expect(controller.state).toBe('done');
    expect(storage.status('run-a')).toBe('done');
    expect(controller.attempts).toEqual([
      { runId: 'run-a', index: 0, text: 'answer', id: 'run-a:00000000', corpusId: 'a' },
      { runId: 'run-a', index: 1, text: 'answer', id: 'run-a:00000001', corpusId: 'a' },
    ]);
    expect(controller.progress).toEqual({ done: 2, total: 2 });
    expect(controller.busy).toBe(false);
  });

  it('pauses after the answer in flight, and resumes from the next attempt', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const { storage, controller, run, asked } = setup();
    storage.saveRun('a', 'paused', 4);
    await controller.open('a');
    const resumed = controller.resume(engine);
    await asked(1);
    expect(controller.etaSeconds).toBeNull();
    vi.advanceTimersByTime(3000);
    run().answer();
    await asked(2);
    // One of four in 3 s at this session's pace: three more take 9 s.
    expect(controller.etaSeconds).toBeCloseTo(9);

    controller.pause();
    expect(controller.state).toBe('pausing');
    run().answer();
    await resumed;
    expect(controller.state).toBe('paused');
    expect(controller.etaSeconds).toBeNull();
    expect(storage.status('run-a')).toBe('paused');
    expect(controller.attempts).toHaveLength(2);
    expect(run().asked).toBe(2);

    const again = controller.resume(engine);
    await asked(1, 2);
    expect(controller.state).toBe('running');
    // Prepared from what was stored: it goes on with the third attempt.
    expect(run().progress).toEqual({ done: 2, total: 4 });
    run().answer();
    await asked(2, 2);
    run().answer();
    await again;
    expect(controller.state).toBe('done');
    expect(controller.attempts.map((a) => a.index)).toEqual([0, 1, 2, 3]);
  });

  it('cancels at once: the answer in flight is dropped and the run stored as cancelled', async () => {
    const { storage, controller, run, asked } = setup();
    storage.saveRun('a', 'paused');
    await controller.open('a');
    const resumed = controller.resume(engine);
    await asked(1);
    await controller.cancel();
    expect(run().signal.aborted).toBe(true);
    await resumed;
    expect(controller.state).toBe('idle');
    expect(storage.status('run-a')).toBe('cancelled');
    expect(controller.attempts).toEqual([]);
    expect(run().asked).toBe(1);
  });

  it('opening another corpus mid-run pauses the run; its late answer stays out of the new list', async () => {
    const { storage, controller, run, asked } = setup();
    storage.saveRun('a', 'paused');
    await controller.open('a');
    const resumed = controller.resume(engine);
    await asked(1);
    const oldRun = run();

    // The answer arrives just as corpus b (no runs yet) opens: the old loop leaves it alone.
    oldRun.answer();
    await controller.open('b');
    await resumed;

    expect(storage.status('run-a')).toBe('paused');
    expect(controller.state).toBe('idle');
    expect(controller.record).toBeNull();
    expect(controller.attempts).toEqual([]);
    expect(controller.progress).toBeNull();
    expect(oldRun.asked).toBe(1);
    // The answer was stored with its own run, which goes on from it when corpus a opens again.
    await controller.open('a');
    expect(controller.state).toBe('paused');
    expect(controller.attempts.map((a) => a.index)).toEqual([0]);
  });

  it('an error pauses the run with a message; Resume tries again', async () => {
    const { storage, controller, run, asked } = setup();
    storage.saveRun('a', 'paused', 1);
    await controller.open('a');
    const resumed = controller.resume(engine);
    await asked(1);
    run().fail(new Error('The server went away.'));
    await resumed;
    expect(controller.state).toBe('paused');
    expect(controller.error).toBe('The run stopped: The server went away. Resume to try again.');
    expect(storage.status('run-a')).toBe('paused');

    const again = controller.resume(engine);
    expect(controller.error).toBeNull();
    await asked(1, 2);
    run().answer();
    await again;
    expect(controller.state).toBe('done');
  });

  it('resumes a run only with the model it was made with', async () => {
    const { storage, controller, prepared } = setup();
    storage.saveRun('a', 'paused');
    await controller.open('a');
    await controller.resume({ kind: 'webllm', model: 'other' });
    expect(controller.state).toBe('paused');
    expect(controller.error).toBe(
      'This run was made with test-model (openai); choose that model to resume it, or start a new run.',
    );
    expect(prepared).toHaveLength(0);
  });

  it('a run that cannot be prepared stays paused and says why', async () => {
    const storage = new MemoryStorage();
    storage.saveRun('a', 'paused');
    const controller = new RunController<TestRecord, TestAttempt, Progress, typeof engine>(
      {
        storage,
        prepare: () => Promise.reject(new Error('The corpus is no longer stored.')),
        summarise: (record, attempts) => ({ done: attempts.length, total: record.spec.total }),
        units: (progress) => progress,
      },
      new MemoryOwnership(),
    );
    await controller.open('a');
    await controller.resume(engine);
    expect(controller.state).toBe('paused');
    expect(controller.error).toBe('The run could not resume: The corpus is no longer stored.');
    expect(storage.status('run-a')).toBe('paused');
  });

  it('owns a run while it runs here, and lets go of it when it pauses', async () => {
    const { storage, ownership, controller, run, asked } = setup();
    storage.saveRun('a', 'paused');
    await controller.open('a');
    const resumed = controller.resume(engine);
    await asked(1);
    expect(await ownership.isHeld('run-a')).toBe(true);
    controller.pause();
    run().answer();
    await resumed;
    expect(controller.state).toBe('paused');
    expect(await ownership.isHeld('run-a')).toBe(false);
  });

  it('shows a run another tab runs as running there: no resume, no cancel until it lets go', async () => {
    const { storage, ownership, controller, prepared } = setup();
    const record = storage.saveRun('a', 'running');
    const letGo = ownership.elsewhere(record.id);
    await controller.open('a');
    expect(controller.state).toBe('running in another tab');
    await controller.resume(engine);
    await controller.cancel();
    expect(prepared).toHaveLength(0);
    expect(storage.status('run-a')).toBe('running');

    // The other tab makes an attempt, then pauses: this tab shows the run as that tab left it.
    storage.saveAttempt('a', { runId: record.id, index: 0, text: 'made there' });
    await storage.setRunStatus(record.id, 'paused');
    letGo();
    await until(() => controller.state === 'paused');
    expect(controller.attempts.map((a) => a.text)).toEqual(['made there']);
    expect(controller.progress).toEqual({ done: 1, total: 3 });
  });

  it('a run whose owner finishes while this tab opens it is shown as the owner left it', async () => {
    const { storage, ownership, controller } = setup();
    storage.saveRun('a', 'running');
    const letGo = ownership.elsewhere('run-a');
    // The other tab stores the run as done and lets go between this tab's reading of the run
    // and its check of the owner.
    ownership.isHeld = async (runId) => {
      await storage.setRunStatus(runId, 'done');
      letGo();
      return false;
    };
    await controller.open('a');
    expect(controller.state).toBe('done');
  });

  it('starting a run another tab runs shows it running there; once that tab closes it resumes here', async () => {
    const { storage, ownership, controller, prepared, run, asked } = setup();
    await controller.open('a');
    const closeOtherTab = ownership.elsewhere('run-a');
    await controller.start(async () => storage.saveRun('a', 'running', 1), engine);
    expect(controller.state).toBe('running in another tab');
    expect(prepared).toHaveLength(0);

    // A closed tab leaves its run stored as running: it is shown paused, ready to resume.
    closeOtherTab();
    await until(() => controller.state === 'paused');
    const resumed = controller.resume(engine);
    await asked(1);
    run().answer();
    await resumed;
    expect(controller.state).toBe('done');
    expect(storage.status('run-a')).toBe('done');
  });

  it('a run another tab holds while another corpus opens is not watched any longer', async () => {
    const { storage, ownership, controller } = setup();
    storage.saveRun('a', 'running');
    const letGo = ownership.elsewhere('run-a');
    await controller.open('a');
    expect(controller.state).toBe('running in another tab');
    await controller.open('b');
    letGo();
    // The in-memory stores answer within one turn of the event loop.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(controller.state).toBe('idle');
    expect(controller.record).toBeNull();
  });
});
