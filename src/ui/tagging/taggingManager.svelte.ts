// State of tagging an untagged corpus with the model: settings, the run in progress (or one to
// resume), its attempts, the vocabulary they merge into, and saving the result as a new corpus.
import { runFingerprint } from '../../core/synthesis/generatedSample';
import {
  mergeRunTags,
  TaggingRun,
  type TaggingAttempt,
  type TaggingDeps,
  type TaggingProgress,
  type TaggingRunSpec,
} from '../../core/tagging/taggingRun';
import { estimateTokens, type ChatEngine } from '../../llm/engine';
import { getSample, iterateSamples } from '../../storage/corpusStore';
import {
  listAttempts,
  listRuns,
  saveAttempt,
  saveRun,
  saveTaggedCorpus,
  setRunStatus,
  type TaggingRunRecord,
} from '../../storage/taggingStore';
import type { CorpusRecord } from '../../storage/types';
import type { RunState } from '../shell/RunControls.svelte';
import { SessionPace } from '../shell/sessionPace.svelte';

export interface TaggingChoice {
  /** Tag every sample, or the first `firstN` in corpus order. */
  scope: 'all' | 'first';
  firstN: number;
  temperature: number;
  max_tokens: number;
  maxPromptTokens: number;
  seed: number;
  maxAttemptsPerSample: number;
}

export class TaggingManager {
  choice = $state<TaggingChoice>({
    scope: 'first',
    firstN: 100,
    temperature: 0,
    max_tokens: 128,
    maxPromptTokens: 1500,
    seed: 1,
    maxAttemptsPerSample: 3,
  });
  #state = $state<RunState>('idle');
  #record = $state.raw<TaggingRunRecord | null>(null);
  #attempts = $state.raw<TaggingAttempt[]>([]);
  #progress = $state.raw<TaggingProgress | null>(null);
  #error = $state<string | null>(null);
  #saving = $state(false);
  #tags = $derived(mergeRunTags(this.#attempts));
  /** Samples finished when this session of the run began, when it began, and the latest finish. */
  readonly #pace = new SessionPace();
  #run: TaggingRun | null = null;
  #abort: AbortController | null = null;
  #corpusId: string | null = null;
  /** Bumped whenever a running loop must stop touching the state (cancel, another corpus). */
  #loopToken = 0;

  get state() {
    return this.#state;
  }
  get busy() {
    return this.#state === 'preparing' || this.#state === 'running' || this.#state === 'pausing';
  }
  get record() {
    return this.#record;
  }
  get progress() {
    return this.#progress;
  }
  get attempts() {
    return this.#attempts;
  }
  get failures() {
    return this.#attempts.filter((a) => a.status === 'failed');
  }
  /** The merged vocabulary and each tagged sample's canonical skills, so far. */
  get tags() {
    return this.#tags;
  }
  get error() {
    return this.#error;
  }
  get saving() {
    return this.#saving;
  }

  /** Seconds left at this session's pace; null until a sample has finished in this session. */
  get etaSeconds(): number | null {
    const progress = this.#progress;
    if (!progress || progress.done) return null;
    return this.#pace.etaSeconds(progress.tagged + progress.failed, progress.total);
  }

  /** Shows the corpus's latest run; one left running or paused is offered for resuming. */
  async open(corpusId: string | null): Promise<void> {
    if (corpusId === this.#corpusId) return;
    if (this.busy && this.#record) await this.#stop('paused');
    this.#corpusId = corpusId;
    this.#record = null;
    this.#attempts = [];
    this.#progress = null;
    this.#error = null;
    this.#state = 'idle';
    if (!corpusId) return;
    const [latest] = await listRuns(corpusId);
    if (!latest || this.#corpusId !== corpusId) return;
    const attempts = await listAttempts(latest.id);
    if (this.#corpusId !== corpusId) return;
    this.#record = latest;
    this.#attempts = attempts;
    this.#choose(latest.spec);
    this.#state =
      latest.status === 'done' ? 'done' : latest.status === 'cancelled' ? 'idle' : 'paused';
    try {
      this.#progress = new TaggingRun(latest.spec, this.#deps(latest, null), attempts).progress;
    } catch (error) {
      this.#error = `The stored tagging run cannot be resumed: ${message(error)}`;
    }
  }

  /** Starts a run with the current settings, or continues the stored run that has them. */
  async start(corpus: CorpusRecord, engine: ChatEngine): Promise<void> {
    if (this.busy) return;
    this.#error = null;
    const choice = $state.snapshot(this.choice);
    const problem = checkChoice(choice);
    if (problem) {
      this.#error = problem;
      return;
    }
    this.#state = 'preparing';
    try {
      const ids: string[] = [];
      await iterateSamples(corpus.id, (samples) => {
        for (const sample of samples) ids.push(sample.id);
      });
      const parameters = {
        corpusId: corpus.id,
        sampleIds: choice.scope === 'all' ? ids : ids.slice(0, choice.firstN),
        model: { id: engine.model, engine: engine.kind },
        generation: { temperature: choice.temperature, top_p: 1, max_tokens: choice.max_tokens },
        maxPromptTokens: choice.maxPromptTokens,
        seed: choice.seed,
        maxAttemptsPerSample: choice.maxAttemptsPerSample,
      };
      const { corpusId, ...rest } = parameters;
      const runId = `tag-${runFingerprint(parameters)}`;
      const spec: TaggingRunSpec = { runId, ...rest };
      const existing = (await listRuns(corpusId)).find((run) => run.id === runId);
      const record: TaggingRunRecord = existing ?? {
        id: runId,
        corpusId,
        spec,
        status: 'running',
        createdAt: Date.now(),
        updatedAt: Date.now(),
      };
      if (!existing) await saveRun(record);
      this.#record = record;
      this.#attempts = await listAttempts(runId);
    } catch (error) {
      this.#state = 'idle';
      this.#error = `The run could not start: ${message(error)}`;
      return;
    }
    this.#state = 'paused';
    await this.resume(engine);
  }

  /** Continues the shown run from its next attempt. */
  async resume(engine: ChatEngine): Promise<void> {
    const record = this.#record;
    if (!record || this.busy) return;
    if (engine.model !== record.spec.model.id || engine.kind !== record.spec.model.engine) {
      this.#error = `This run was made with ${record.spec.model.id} (${record.spec.model.engine}); choose that model to resume it, or start a new run.`;
      return;
    }
    this.#error = null;
    this.#state = 'preparing';
    const token = ++this.#loopToken;
    try {
      const attempts = await listAttempts(record.id);
      this.#run = new TaggingRun(record.spec, this.#deps(record, engine), attempts);
      this.#attempts = attempts;
      this.#progress = this.#run.progress;
      await setRunStatus(record.id, 'running');
    } catch (error) {
      if (token !== this.#loopToken) return;
      this.#state = 'paused';
      this.#error = `The run could not resume: ${message(error)}`;
      return;
    }
    if (token !== this.#loopToken) return;
    const { tagged, failed } = this.#run.progress;
    this.#pace.start(tagged + failed);
    this.#state = 'running';
    await this.#loop(this.#run, record, token);
  }

  /** Stops after the answer in flight; nothing is lost. */
  pause(): void {
    if (this.#state === 'running') this.#state = 'pausing';
  }

  /** Stops now: the answer in flight is dropped (it was never recorded). */
  async cancel(): Promise<void> {
    await this.#stop('cancelled');
    this.#state = 'idle';
  }

  /**
   * Saves the samples tagged so far as a new corpus (the source stays as it is) and returns it.
   * Null when it failed; `error` says why.
   */
  async saveCorpus(source: CorpusRecord): Promise<CorpusRecord | null> {
    const record = this.#record;
    if (!record || this.busy || this.#saving) return null;
    this.#saving = true;
    this.#error = null;
    try {
      return await saveTaggedCorpus(source, record, this.#attempts);
    } catch (error) {
      this.#error = `The tagged corpus could not be saved: ${message(error)}`;
      return null;
    } finally {
      this.#saving = false;
    }
  }

  /** The settings of a stored run, so that starting again continues it. */
  #choose(spec: TaggingRunSpec) {
    this.choice = {
      ...this.choice,
      firstN: spec.sampleIds.length,
      temperature: spec.generation.temperature,
      max_tokens: spec.generation.max_tokens,
      maxPromptTokens: spec.maxPromptTokens,
      seed: spec.seed,
      maxAttemptsPerSample: spec.maxAttemptsPerSample,
    };
  }

  async #stop(status: 'paused' | 'cancelled') {
    this.#loopToken++;
    this.#abort?.abort();
    this.#pace.stop();
    if (this.#record) await setRunStatus(this.#record.id, status);
    this.#state = status === 'paused' ? 'paused' : 'idle';
  }

  /** What the run needs from the app; `engine` null only for replaying a stored run. */
  #deps(record: TaggingRunRecord, engine: ChatEngine | null): TaggingDeps {
    return {
      chat: (call, signal) => {
        if (!engine) throw new Error('no model is loaded');
        return engine.chat(call, { signal });
      },
      countTokens: estimateTokens,
      tokenCounts: engine?.tokenCounts?.bind(engine),
      sample: (id) => getSample(record.corpusId, id),
      saveAttempt: (attempt) => saveAttempt(record.corpusId, attempt),
    };
  }

  async #loop(run: TaggingRun, record: TaggingRunRecord, token: number) {
    while (this.#state === 'running') {
      this.#abort = new AbortController();
      let attempt: TaggingAttempt | null;
      try {
        attempt = await run.next(this.#abort.signal);
      } catch (error) {
        if (token !== this.#loopToken) return;
        this.#state = 'paused';
        this.#pace.stop();
        await setRunStatus(record.id, 'paused');
        this.#error = `The run stopped: ${message(error)} Resume to try again.`;
        return;
      }
      if (token !== this.#loopToken) return;
      this.#progress = run.progress;
      if (!attempt) {
        await setRunStatus(record.id, 'done');
        this.#state = 'done';
        this.#pace.stop();
        return;
      }
      this.#attempts = [...this.#attempts, attempt];
      this.#pace.tick();
    }
    if (this.#state === 'pausing' && token === this.#loopToken) {
      this.#pace.stop();
      await setRunStatus(record.id, 'paused');
      this.#state = 'paused';
    }
  }
}

/** What is wrong with the settings, named by their labels; null when they can be used. */
function checkChoice(choice: TaggingChoice): string | null {
  const whole = (value: number, min: number) => Number.isInteger(value) && value >= min;
  if (choice.scope === 'first' && !whole(choice.firstN, 1)) {
    return 'Number of samples: give a whole number of 1 or more.';
  }
  if (!(choice.temperature >= 0 && choice.temperature <= 2)) {
    return 'Temperature: give a number from 0 to 2.';
  }
  if (!whole(choice.max_tokens, 1)) return 'Max tokens: give a whole number of 1 or more.';
  if (!whole(choice.maxPromptTokens, 1)) {
    return 'Prompt budget: give a whole number of estimated tokens, 1 or more.';
  }
  if (!whole(choice.seed, 0) || choice.seed > 0xffffffff) {
    return 'Seed: give a whole number from 0 to 4294967295.';
  }
  if (!whole(choice.maxAttemptsPerSample, 1)) {
    return 'Tries per sample: give a whole number of 1 or more.';
  }
  return null;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
