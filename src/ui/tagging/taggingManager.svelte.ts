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
  openRun,
  saveTaggedCorpus,
  setRunStatus,
  type TaggingRunRecord,
} from '../../storage/taggingStore';
import type { CorpusRecord } from '../../storage/types';
import { failureMessage } from '../shell/failure';
import { RunController } from '../shell/runController.svelte';

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
  /** The run shown: its state, attempts, progress and time left. */
  readonly run = new RunController<TaggingRunRecord, TaggingAttempt, TaggingProgress, ChatEngine>({
    storage: { listRuns, listAttempts, setRunStatus },
    prepare: async (record, attempts, engine) =>
      new TaggingRun(record.spec, deps(record, engine), attempts),
    summarise: (record, attempts) =>
      new TaggingRun(record.spec, deps(record, null), attempts).progress,
    units: (progress) => ({ done: progress.tagged + progress.failed, total: progress.total }),
  });
  #saving = $state(false);
  #tags = $derived(mergeRunTags(this.run.attempts));

  get failures() {
    return this.run.attempts.filter((a) => a.status === 'failed');
  }
  /** The merged vocabulary and each tagged sample's canonical skills, so far. */
  get tags() {
    return this.#tags;
  }
  get saving() {
    return this.#saving;
  }

  /** Shows the corpus's latest run, with its settings; one left unfinished can be resumed. */
  async open(corpusId: string | null): Promise<void> {
    const shown = await this.run.open(corpusId);
    if (shown) this.#choose(shown.spec);
  }

  /** Starts a run with the current settings, or continues the stored run that has them. */
  async start(corpus: CorpusRecord, engine: ChatEngine): Promise<void> {
    if (this.run.busy) return;
    const choice = $state.snapshot(this.choice);
    const problem = checkChoice(choice);
    if (problem) {
      this.run.setError(problem);
      return;
    }
    await this.run.start(async () => {
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
      return openRun({
        id: runId,
        corpusId,
        spec: { runId, ...rest },
        status: 'running',
        createdAt: Date.now(),
        updatedAt: Date.now(),
      });
    }, engine);
  }

  /**
   * Saves the samples tagged so far as a new corpus (the source stays as it is) and returns it.
   * Null when it failed; the run's `error` says why.
   */
  async saveCorpus(source: CorpusRecord): Promise<CorpusRecord | null> {
    const record = this.run.record;
    if (!record || this.run.busy || this.#saving) return null;
    this.#saving = true;
    this.run.setError(null);
    try {
      return await saveTaggedCorpus(source, record, this.run.attempts);
    } catch (error) {
      this.run.setError(`The tagged corpus could not be saved: ${failureMessage(error)}`);
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
}

/** What a run needs from the app; `engine` null only for replaying a stored run. */
function deps(record: TaggingRunRecord, engine: ChatEngine | null): TaggingDeps {
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
