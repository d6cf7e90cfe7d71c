// State of the Synthesis step: settings, the run in progress (or one to resume), its attempts.
import { assignAtomicSamples, type TaggedSample } from '../../core/synthesis/atomicAssignment';
import { runFingerprint } from '../../core/synthesis/generatedSample';
import {
  defaultTemplates,
  editTemplate,
  type PromptTemplate,
  type TemplateKind,
} from '../../core/synthesis/prompts';
import { noveltyAgainst } from '../../core/synthesis/quality';
import {
  BATCH_ENGINE,
  exportBatchPlan,
  importBatchResults,
  type BatchImportReport,
} from '../../core/synthesis/batchPlan';
import { errorMessage } from '../../core/errorMessage';
import type { PackedNameList } from '../../core/explore/packedNames';
import { downloadText } from '../shell/download';
import {
  SynthesisRun,
  type RunCombination,
  type RunProgress,
  type SynthesisAttempt,
  type SynthesisDeps,
  type SynthesisRunSpec,
} from '../../core/synthesis/synthesisRun';
import { estimateTokens, type ChatEngine } from '../../llm/engine';
import { getSample, iterateSamples } from '../../storage/corpusStore';
import { getSetting, putSetting } from '../../storage/settingsStore';
import {
  listAttempts,
  listRuns,
  saveAttempt,
  openRun,
  setRunStatus,
  type StoredAttempt,
  type SynthesisRunRecord,
} from '../../storage/synthesisStore';
import type { CombinationSetRecord } from '../../storage/taxonomyStore';
import { RunController } from '../shell/runController.svelte';

export interface SynthesisChoice {
  targetPerK: Record<number, number>;
  templateKind: Exclude<TemplateKind, 'agentic-check'>;
  temperature: number;
  top_p: number;
  max_tokens: number;
  /** OpenAI's frequency penalty, 0…2: breaks small models' repetition loops. */
  frequency_penalty: number;
  maxPromptTokens: number;
  seed: number;
  maxAttemptsPerSlot: number;
  /** Agentic runs: ask the model first whether each combination suits an agent task. */
  agenticCheck: boolean;
  dedup: boolean;
  nearDuplicateThreshold: number;
  novelty: boolean;
  /** Ask the model which skills each conversation exercises; keep it when enough are. */
  coverage: boolean;
  minCoverage: number;
  checkMaxTokens: number;
  /** Answers held to their JSON schema where the engine can (off: to compare without). */
  constrained: boolean;
}

const TEMPLATES_KEY = 'synthesis.templates';

export class SynthesisManager {
  choice = $state<SynthesisChoice>({
    targetPerK: {},
    templateKind: 'fusion',
    temperature: 0.7,
    top_p: 0.95,
    max_tokens: 512,
    frequency_penalty: 0,
    maxPromptTokens: 1500,
    seed: 1,
    maxAttemptsPerSlot: 3,
    agenticCheck: false,
    dedup: true,
    nearDuplicateThreshold: 0.8,
    novelty: true,
    coverage: false,
    minCoverage: 1,
    checkMaxTokens: 64,
    constrained: true,
  });
  #templates = $state.raw<Record<TemplateKind, PromptTemplate>>(defaultTemplates);
  #batchBusy = $state(false);
  #batchNote = $state<string | null>(null);
  #batchReport = $state.raw<BatchImportReport | null>(null);
  /** The run shown: its state, attempts, progress and time left. */
  readonly run = new RunController<SynthesisRunRecord, SynthesisAttempt, RunProgress, ChatEngine>({
    storage: { listRuns, listAttempts, setRunStatus },
    prepare,
    summarise: (record, attempts) => summarise(record.spec, attempts),
    units: (progress) => ({
      done: totalOf(progress.validPerK),
      total: totalOf(progress.targetPerK),
    }),
  });

  /** The task's template, as the next run will use it. */
  get template(): PromptTemplate {
    return this.#templates[this.choice.templateKind];
  }
  templateOf(kind: TemplateKind): PromptTemplate {
    return this.#templates[kind];
  }
  get validSamples() {
    return this.run.attempts.filter((a) => a.status === 'valid');
  }
  get discards() {
    return this.run.attempts.filter((a) => a.status === 'discarded');
  }

  /** Shows the corpus's latest run; one left running or paused is offered for resuming. */
  async open(corpusId: string | null): Promise<void> {
    if (corpusId === this.run.corpusId) return;
    const opening = this.run.open(corpusId);
    // Edits saved before the check template was editable hold only fusion and agentic.
    const stored = await getSetting<Partial<Record<TemplateKind, PromptTemplate>>>(TEMPLATES_KEY);
    if (stored) this.#templates = { ...defaultTemplates, ...stored };
    await opening;
  }

  /** Saves an edited template as its next version. */
  async saveTemplate(kind: TemplateKind, system: string, user: string): Promise<void> {
    const edited = editTemplate(this.#templates[kind], { system, user });
    this.#templates = { ...this.#templates, [kind]: edited };
    await putSetting(TEMPLATES_KEY, $state.snapshot(this.#templates));
  }

  async resetTemplate(kind: TemplateKind): Promise<void> {
    this.#templates = { ...this.#templates, [kind]: defaultTemplates[kind] };
    await putSetting(TEMPLATES_KEY, $state.snapshot(this.#templates));
  }

  /** Starts a run with the current settings, or continues the stored run that has them. */
  async start(
    corpusId: string,
    taxonomyId: string,
    sets: CombinationSetRecord[],
    names: PackedNameList,
    engine: ChatEngine,
  ): Promise<void> {
    const record = this.#runRecord(corpusId, taxonomyId, sets, names, {
      id: engine.model,
      engine: engine.kind,
    });
    await this.run.start(() => openRun(record), engine);
  }

  /**
   * Stores a run with the current settings for a batch server to answer (`model` as that server
   * names it) without starting it, and shows it; a stored run with these settings is shown as it is.
   */
  async planBatchRun(
    corpusId: string,
    taxonomyId: string,
    sets: CombinationSetRecord[],
    names: PackedNameList,
    model: string,
  ): Promise<void> {
    await this.#batchTask(async () => {
      const record = this.#runRecord(corpusId, taxonomyId, sets, names, {
        id: model,
        engine: BATCH_ENGINE,
      });
      await openRun({ ...record, status: 'paused' });
      await this.#showLatest(corpusId);
    });
  }

  /** Downloads the batch plan of the run shown: the requests it still needs. */
  async exportBatchPlan(model: string): Promise<void> {
    await this.#batchTask(async () => {
      const record = this.#idleRun();
      const run = await batchRun(record, await listAttempts(record.id));
      const plan = await exportBatchPlan(run, model);
      if (plan.requests === 0) {
        this.#batchNote = 'The run needs no further requests.';
        return;
      }
      downloadText(`batch-plan-${record.id}-${today()}.jsonl`, plan.jsonl, 'application/jsonl');
      this.#batchNote =
        `Batch plan: ${plan.requests} request${plan.requests === 1 ? '' : 's'}` +
        (plan.withoutRequest > 0
          ? ` (${plan.withoutRequest} planned attempt${plan.withoutRequest === 1 ? '' : 's'} need no model and are recorded with the results)`
          : '') +
        '. Import the results file once the batch is done; export no other plan for this run before.';
    });
  }

  /** Records a batch results file's answers in the run shown, and reports what it did. */
  async importBatchResults(file: File, model: string): Promise<void> {
    await this.#batchTask(async () => {
      const record = this.#idleRun();
      const run = await batchRun(record, await listAttempts(record.id));
      this.#batchReport = await importBatchResults(run, file.name, await file.text(), model);
      await this.#showLatest(record.corpusId);
    });
  }

  /** The last batch results import's report; null before one. */
  get batchReport() {
    return this.#batchReport;
  }
  /** What the last batch action did, or why it failed. */
  get batchNote() {
    return this.#batchNote;
  }
  get batchBusy() {
    return this.#batchBusy;
  }

  async #batchTask(task: () => Promise<void>): Promise<void> {
    if (this.#batchBusy) return;
    this.#batchBusy = true;
    this.#batchNote = null;
    this.#batchReport = null;
    try {
      await task();
    } catch (error) {
      this.#batchNote = `The batch action failed: ${errorMessage(error)}`;
    } finally {
      this.#batchBusy = false;
    }
  }

  /** The run shown, which must not be running (here or in another tab). */
  #idleRun(): SynthesisRunRecord {
    const record = this.run.record;
    if (!record) throw new Error('no run is shown');
    if (this.run.busy || this.run.state === 'running in another tab') {
      throw new Error('pause the run first; a running run changes its plan with every attempt');
    }
    return record;
  }

  /** Shows the corpus's latest run as stored now. */
  async #showLatest(corpusId: string): Promise<void> {
    await this.run.open(null);
    await this.run.open(corpusId);
  }

  /** The record of a run with the current settings and `model` (its id is their fingerprint). */
  #runRecord(
    corpusId: string,
    taxonomyId: string,
    sets: CombinationSetRecord[],
    names: PackedNameList,
    model: { id: string; engine: string },
  ): SynthesisRunRecord {
    const choice = $state.snapshot(this.choice);
    const combinations: RunCombination[] = sets.flatMap((set) =>
      set.combinations.map((c) => ({
        skills: c.skills.map((id) => names.get(id)),
        score: c.score,
        lowestCommonNode: c.lowestCommonNode,
      })),
    );
    const targetPerK: Record<number, number> = {};
    for (const set of sets) targetPerK[set.size] = choice.targetPerK[set.size] ?? 0;
    const parameters = {
      corpusId,
      taxonomyId,
      combinationSets: sets.map((s) => s.id),
      targetPerK,
      template: this.template,
      ...(choice.templateKind === 'agentic' &&
        choice.agenticCheck && { agenticCheck: this.#templates['agentic-check'] }),
      model,
      generation: {
        temperature: choice.temperature,
        top_p: choice.top_p,
        max_tokens: choice.max_tokens,
        ...(choice.frequency_penalty > 0 && { frequency_penalty: choice.frequency_penalty }),
      },
      maxPromptTokens: choice.maxPromptTokens,
      seed: choice.seed,
      maxAttemptsPerSlot: choice.maxAttemptsPerSlot,
      quality: {
        dedup: choice.dedup,
        nearDuplicateThreshold: choice.nearDuplicateThreshold,
        novelty: choice.novelty,
        coverage: choice.coverage,
        minCoverage: choice.minCoverage,
      },
      checkMaxTokens: choice.checkMaxTokens,
      // Only when off, so constrained runs keep the fingerprints they had.
      ...(!choice.constrained && { unconstrained: true }),
    };
    const runId = `run-${runFingerprint(parameters)}`;
    const spec: SynthesisRunSpec = { runId, combinations, ...parameters };
    return {
      id: runId,
      corpusId,
      taxonomyId,
      spec,
      status: 'running',
      createdAt: Date.now(),
      updatedAt: Date.now(),
    };
  }
}

const today = () => new Date().toISOString().slice(0, 10);

/** The stored run, ready to go on from its next attempt with `engine`. */
function prepare(
  record: SynthesisRunRecord,
  recorded: StoredAttempt[],
  engine: ChatEngine,
): Promise<SynthesisRun> {
  return storedRun(record, recorded, {
    chat: (call, signal) => engine.chat(call, { signal }),
    tokenCounts: engine.tokenCounts?.bind(engine),
  });
}

/**
 * The stored run for batches: no engine, and prompts measured by the estimate alone, so that a
 * plan made again (to read its results) has the same prompts whichever model is loaded.
 */
function batchRun(record: SynthesisRunRecord, recorded: StoredAttempt[]): Promise<SynthesisRun> {
  return storedRun(record, recorded, {
    chat: () => Promise.reject(new Error('a batch is answered by its results file')),
  });
}

async function storedRun(
  record: SynthesisRunRecord,
  recorded: StoredAttempt[],
  model: Pick<SynthesisDeps, 'chat' | 'tokenCounts'>,
): Promise<SynthesisRun> {
  const { spec, corpusId } = record;
  const tagged: TaggedSample[] = [];
  await iterateSamples(corpusId, (samples) => {
    for (const sample of samples) tagged.push({ id: sample.id, skills: sample.skills });
  });
  const assignment = assignAtomicSamples(tagged, { seed: spec.seed });
  return new SynthesisRun(
    spec,
    {
      ...model,
      countTokens: estimateTokens,
      assignment,
      sample: (id) => getSample(corpusId, id),
      saveAttempt: (attempt) => saveAttempt(corpusId, attempt),
      novelty: spec.quality.novelty ? await novelty(corpusId) : undefined,
    },
    recorded,
  );
}

/** Novelty is judged against the corpus the examples come from. */
async function novelty(corpusId: string) {
  const seeds: { id: string; signature: Uint32Array }[] = [];
  const index = noveltyAgainst([]);
  await iterateSamples(corpusId, (samples) => {
    for (const sample of samples) {
      seeds.push({
        id: sample.id,
        signature: index.hasher.signature(sample.messages.map((m) => m.content).join('\n')),
      });
    }
  });
  return noveltyAgainst(seeds);
}

const totalOf = (perK: Record<number, number>) =>
  Object.values(perK).reduce((sum, n) => sum + n, 0);

/** Progress of a stored run without preparing it (for showing a run to resume). */
function summarise(spec: SynthesisRunSpec, attempts: StoredAttempt[]): RunProgress {
  const validPerK: Record<number, number> = {};
  for (const k of Object.keys(spec.targetPerK)) validPerK[Number(k)] = 0;
  for (const a of attempts) if (a.status === 'valid') validPerK[a.k] = (validPerK[a.k] ?? 0) + 1;
  return {
    validPerK,
    targetPerK: { ...spec.targetPerK },
    attempts: attempts.length,
    discarded: attempts.filter((a) => a.status === 'discarded').length,
    givenUp: [],
    unsuitable: attempts.filter((a) => a.agenticCheck?.suitable === false).length,
    done: false,
  };
}
