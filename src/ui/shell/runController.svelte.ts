// The lifecycle of a resumable run (synthesis, tagging): a stored run is prepared from its stored
// attempts and makes one attempt after another until it is done. Pause stops after the answer in
// flight, Cancel at once (the answer in flight was never recorded), Resume goes on from the next
// attempt. The run stores each attempt as it is made, so a pause, a reload or a crash loses
// nothing. Opening another corpus pauses a busy run. Each resume starts a session; once a session
// ends (a cancel, another corpus), its loop never touches the state again. One tab at a time runs
// a run (runOwnership.ts): another tab shows it as running there, and offers Resume once that tab
// lets go of it (a pause, a cancel, the tab closed).
import {
  attemptKey,
  type RunRecordBase,
  type RunStatus,
  type Stored,
} from '../../storage/runStore';
import { failureMessage } from './failure';
import { webLockOwnership, type RunOwnership } from './runOwnership';
import { SessionPace } from './sessionPace.svelte';

/** Where a resumable run stands in this tab (the steps show these words). */
export type RunState =
  | 'idle'
  | 'preparing'
  | 'running'
  | 'pausing'
  | 'paused'
  | 'done'
  /** Another tab runs it: nothing to do here until that tab lets go. */
  | 'running in another tab';

/** The model a run was made with (an engine's `kind` and `model`); it resumes only with that one. */
export interface RunModel {
  kind: string;
  model: string;
}

/** A stored run, with the model its spec names. */
export interface ResumableRecord extends RunRecordBase {
  spec: { model: { id: string; engine: string } };
}

/**
 * An attempt as its run makes it, numbered within the run (a type, not an interface: as in
 * runStore.ts, its stored form may carry further fields).
 */
export type RunAttempt = { runId: string; index: number };

/** The stores of one kind of run (src/storage/runStore.ts). */
export interface RunStorage<Run, Attempt> {
  /** Newest first. */
  listRuns(corpusId: string): Promise<Run[]>;
  /** In the order they were made. */
  listAttempts(runId: string): Promise<Stored<Attempt>[]>;
  setRunStatus(id: string, status: RunStatus): Promise<void>;
}

/** A run ready to go on: `next` makes, stores and returns one attempt; null once it is done. */
export interface PreparedRun<Attempt, Progress> {
  readonly progress: Progress;
  next(signal: AbortSignal): Promise<Attempt | null>;
}

/** What differs between kinds of run. */
export interface RunKind<Run, Attempt, Progress, Engine> {
  storage: RunStorage<Run, Attempt>;
  /** The run, ready to make its next attempt with `engine`. */
  prepare(
    record: Run,
    attempts: Stored<Attempt>[],
    engine: Engine,
  ): Promise<PreparedRun<Attempt, Progress>>;
  /** Progress of a stored run, shown before it is resumed; throws if it cannot be resumed. */
  summarise(record: Run, attempts: Stored<Attempt>[]): Progress;
  /** Units finished and in all, for the time left. */
  units(progress: Progress): { done: number; total: number };
}

/** A stored run as this tab first shows it: one left running was cut off, so it is paused. */
function shownState(status: RunStatus): RunState {
  return status === 'done' ? 'done' : status === 'cancelled' ? 'idle' : 'paused';
}

export class RunController<
  Run extends ResumableRecord,
  Attempt extends RunAttempt,
  Progress,
  Engine extends RunModel,
> {
  readonly #kind: RunKind<Run, Attempt, Progress, Engine>;
  readonly #ownership: RunOwnership;
  #state = $state<RunState>('idle');
  #record = $state.raw<Run | null>(null);
  #attempts = $state.raw<Stored<Attempt>[]>([]);
  #progress = $state.raw<Progress | null>(null);
  #error = $state<string | null>(null);
  readonly #pace = new SessionPace();
  #corpusId: string | null = null;
  #abort: AbortController | null = null;
  /** Bumped by every resume and stop: a loop of an older session leaves the state alone. */
  #session = 0;
  /** Settles once this tab no longer owns the run it last resumed. */
  #released: Promise<unknown> = Promise.resolve();
  /** Waits for another tab to let go of the shown run; aborted when something else is shown. */
  #watch: AbortController | null = null;

  constructor(
    kind: RunKind<Run, Attempt, Progress, Engine>,
    ownership: RunOwnership = webLockOwnership,
  ) {
    this.#kind = kind;
    this.#ownership = ownership;
  }

  get state() {
    return this.#state;
  }
  /** Preparing, running, or finishing the answer in flight before a pause. */
  get busy() {
    return this.#state === 'preparing' || this.#state === 'running' || this.#state === 'pausing';
  }
  /** The corpus whose runs are shown. */
  get corpusId() {
    return this.#corpusId;
  }
  get record() {
    return this.#record;
  }
  get attempts() {
    return this.#attempts;
  }
  get progress() {
    return this.#progress;
  }
  get error() {
    return this.#error;
  }
  /** Seconds left at this session's pace; null until a unit has finished in this session. */
  get etaSeconds(): number | null {
    const progress = this.#progress;
    if (!progress) return null;
    const { done, total } = this.#kind.units(progress);
    return this.#pace.etaSeconds(done, total);
  }

  /**
   * Shows the corpus's latest run (one left running or paused is offered for resuming, unless
   * another tab runs it), after pausing a busy run of the corpus shown before. Returns the run
   * shown, if it changed.
   */
  async open(corpusId: string | null): Promise<Run | null> {
    if (corpusId === this.#corpusId) return null;
    this.#corpusId = corpusId;
    this.#stopWatching();
    const stopped = this.busy ? this.#stop('paused') : null;
    this.#record = null;
    this.#attempts = [];
    this.#progress = null;
    this.#error = null;
    this.#state = 'idle';
    await stopped;
    if (!corpusId) return null;
    const [listed] = await this.#kind.storage.listRuns(corpusId);
    if (!listed || this.#corpusId !== corpusId) return null;
    const elsewhere = shownState(listed.status) === 'paused' && (await this.#ownedNow(listed.id));
    const { record, attempts } = await this.#stored(listed);
    if (this.#corpusId !== corpusId) return null;
    this.#show(record, attempts);
    if (elsewhere) this.#watchOwner(record);
    else this.#state = shownState(record.status);
    return record;
  }

  /**
   * Starts the run that `create` finds or stores (a stored run with the same settings goes on
   * where it stopped).
   */
  async start(create: () => Promise<Run>, engine: Engine): Promise<void> {
    if (this.busy) return;
    this.#stopWatching();
    this.#error = null;
    this.#state = 'preparing';
    const session = ++this.#session;
    try {
      const record = await create();
      const attempts = await this.#kind.storage.listAttempts(record.id);
      if (session !== this.#session) return;
      this.#show(record, attempts);
    } catch (error) {
      if (session !== this.#session) return;
      this.#state = 'idle';
      this.#error = `The run could not start: ${failureMessage(error)}`;
      return;
    }
    this.#state = 'paused';
    await this.resume(engine);
  }

  /**
   * Goes on with the shown run from its next attempt, owning it for as long as it runs here; shows
   * it as running in another tab if one owns it.
   */
  async resume(engine: Engine): Promise<void> {
    const record = this.#record;
    if (!record || this.busy || this.#state === 'running in another tab') return;
    const { model } = record.spec;
    if (engine.model !== model.id || engine.kind !== model.engine) {
      this.#error = `This run was made with ${model.id} (${model.engine}); choose that model to resume it, or start a new run.`;
      return;
    }
    this.#stopWatching();
    this.#error = null;
    this.#state = 'preparing';
    const session = ++this.#session;
    // A loop of this tab's that was stopped lets go once its answer in flight is dropped.
    await this.#released;
    if (session !== this.#session) return;
    const owned = this.#ownership.hold(record.id, () => this.#run(record, engine, session));
    this.#released = owned.catch(() => {});
    if (!(await owned) && session === this.#session) this.#watchOwner(record);
  }

  /** Prepares the run and makes its attempts, while this tab owns it. */
  async #run(record: Run, engine: Engine, session: number): Promise<void> {
    if (session !== this.#session) return;
    let run: PreparedRun<Attempt, Progress>;
    try {
      const attempts = await this.#kind.storage.listAttempts(record.id);
      run = await this.#kind.prepare(record, attempts, engine);
      if (session !== this.#session) return;
      this.#attempts = attempts;
      this.#progress = run.progress;
      await this.#kind.storage.setRunStatus(record.id, 'running');
    } catch (error) {
      if (session !== this.#session) return;
      this.#state = 'paused';
      this.#error = `The run could not resume: ${failureMessage(error)}`;
      return;
    }
    if (session !== this.#session) return;
    this.#pace.start(this.#kind.units(run.progress).done);
    this.#state = 'running';
    await this.#loop(run, record, session);
  }

  /** Stops after the answer in flight (and lets other tabs resume it); nothing is lost. */
  pause(): void {
    if (this.#state === 'running') this.#state = 'pausing';
  }

  /** Stops now: the answer in flight is dropped (it was never recorded). */
  async cancel(): Promise<void> {
    if (this.#state === 'running in another tab') return;
    await this.#stop('cancelled');
  }

  /** Shows a problem of the step's own (its settings, saving its result) where run errors show. */
  setError(message: string | null): void {
    this.#error = message;
  }

  #show(record: Run, attempts: Stored<Attempt>[]): void {
    this.#record = record;
    this.#attempts = attempts;
    try {
      this.#progress = this.#kind.summarise(record, attempts);
    } catch (error) {
      this.#progress = null;
      this.#error = `The stored run cannot be resumed: ${failureMessage(error)}`;
    }
  }

  /** Whether a tab owns the run, once this tab's own stopped loop has let go of it. */
  async #ownedNow(runId: string): Promise<boolean> {
    await this.#released;
    return this.#ownership.isHeld(runId);
  }

  /** Shows the run as running in another tab until that tab lets go, then as it left it. */
  #watchOwner(record: Run): void {
    this.#state = 'running in another tab';
    const watch = new AbortController();
    this.#watch = watch;
    void this.#ownership
      .whenFree(record.id, watch.signal)
      .then(async () => {
        const stored = await this.#stored(record);
        if (this.#watch !== watch) return;
        this.#watch = null;
        this.#show(stored.record, stored.attempts);
        this.#state = shownState(stored.record.status);
      })
      .catch(() => {}); // aborted: something else is shown now
  }

  /**
   * The run and its attempts as stored now. An owner stores how it left the run before it lets
   * go, so read after an ownership check this is how the owner left it.
   */
  async #stored(run: Run): Promise<{ record: Run; attempts: Stored<Attempt>[] }> {
    const { storage } = this.#kind;
    const record = (await storage.listRuns(run.corpusId)).find((r) => r.id === run.id) ?? run;
    return { record, attempts: await storage.listAttempts(run.id) };
  }

  #stopWatching(): void {
    this.#watch?.abort();
    this.#watch = null;
  }

  /** Ends the session at once (the loop's answer in flight is dropped) and stores `status`. */
  #stop(status: 'paused' | 'cancelled'): Promise<void> {
    this.#session++;
    this.#abort?.abort();
    this.#pace.stop();
    this.#state = status === 'paused' ? 'paused' : 'idle';
    const record = this.#record;
    return record ? this.#kind.storage.setRunStatus(record.id, status) : Promise.resolve();
  }

  async #loop(run: PreparedRun<Attempt, Progress>, record: Run, session: number): Promise<void> {
    const { storage } = this.#kind;
    while (this.#state === 'running') {
      const abort = new AbortController();
      this.#abort = abort;
      let attempt: Attempt | null;
      try {
        attempt = await run.next(abort.signal);
      } catch (error) {
        if (session !== this.#session) return;
        this.#state = 'paused';
        this.#pace.stop();
        this.#error = `The run stopped: ${failureMessage(error)} Resume to try again.`;
        await storage.setRunStatus(record.id, 'paused');
        return;
      }
      if (session !== this.#session) return;
      this.#progress = run.progress;
      if (!attempt) {
        this.#state = 'done';
        this.#pace.stop();
        await storage.setRunStatus(record.id, 'done');
        return;
      }
      const stored: Stored<Attempt> = {
        ...attempt,
        id: attemptKey(attempt.runId, attempt.index),
        corpusId: record.corpusId,
      };
      this.#attempts = [...this.#attempts, stored];
      this.#pace.tick();
    }
    if (this.#state === 'pausing' && session === this.#session) {
      this.#state = 'paused';
      this.#pace.stop();
      await storage.setRunStatus(record.id, 'paused');
    }
  }
}
