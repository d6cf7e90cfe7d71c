import type { ChatMessage, Sample } from '../corpus/sample';
import { mulberry32 } from '../random/mulberry32';
import { drawAtomicExamples, type AtomicAssignment } from './atomicAssignment';
import type { DiscardReason, RecordedDiscardReason } from './discardReason';
import type { GeneratedSample } from './generatedSample';
import { fmix32 } from '../hash';
import { defaultConversationLimits, parseConversation } from './parseConversation';
import { buildSynthesisMessages, PromptBudgetError, type PromptTemplate } from './prompts';
import { DedupIndex, conversationText, type NoveltyIndex } from './quality';
import {
  agenticVerdictSchema,
  buildAgenticCheckMessages,
  parseAgenticVerdict,
} from './agenticCheck';
import { buildCoverageMessages, parseCoverage } from './coverage';
import { askEngine } from './engineFailures';
import { fitPrompt } from './promptFit';
import { fitTranscriptPrompt, TRANSCRIPT_MIN_CHARS } from './transcript';

/**
 * A synthesis run: write `targetPerK[k]` valid conversations for each k, one combination at a
 * time, and record every attempt — valid or discarded — the moment it exists.
 *
 * Plan. Combinations of each k are visited in a seeded order, cycling when more samples are wanted
 * than there are combinations. One visit is a slot: it retries its combination (new atomic draw,
 * new seed) until one answer is kept or `maxAttemptsPerSlot` are discarded. The next slot goes to
 * the k furthest from its target (ties: the smaller k). A k whose last `combinations of that k`
 * slots all failed is given up, so a model that never answers well cannot loop forever.
 *
 * Checks. With `agenticCheck`, the first attempt at a combination asks the model whether it suits
 * an agent task; an unsuitable combination is recorded once (a discarded attempt with the model's
 * reason) and its later slots are skipped. With the coverage gate, a conversation that passed the
 * other gates is shown to the model, which lists the skills it exercises; too few → discarded.
 *
 * Engine failures. A chat call that throws is asked again, and the run stops (`next` throws)
 * after a few failures in a row (`askEngine`); nothing is recorded for them, so a server that
 * answers with errors never turns into a list of discarded attempts.
 *
 * Resume. The plan depends only on the spec and on the attempts recorded so far, so replaying the
 * stored attempts restores the exact state (counts, slot, dedup index) and the run continues with
 * the next attempt: an interruption loses at most the answer in flight, and no attempt is made or
 * recorded twice.
 *
 * Batches. `planBatch` lists the attempts the run still needs as if every answer were kept (one
 * per slot, with its prompt), for a server to answer all at once; `recordPlanned` then records
 * each answer through the same checks as `next`. A batch attempt is its slot's only try: a
 * discarded one fails the slot (the next plan visits the combination again), and it is placed by
 * its k's own order (`visit`), not by the k furthest from its target, so the answers of one batch
 * fit the run in any mix of kept and discarded. A visit whose answer never came is skipped.
 */

export interface RunCombination {
  /** Skill names, the start skill first. */
  skills: string[];
  score: number;
  lowestCommonNode: { level: number; community: number };
}

export interface QualityGates {
  /** Discard exact and near duplicates of kept samples. */
  dedup: boolean;
  nearDuplicateThreshold: number;
  /** Discard samples too similar to the seed corpus (needs `SynthesisDeps.novelty`). */
  novelty: boolean;
  /** Ask the model which of the k skills a conversation exercises (one more call per sample). */
  coverage: boolean;
  /** Share of the k skills that must be covered, rounded up: 1 = all of them. */
  minCoverage: number;
}

export interface SynthesisRunSpec {
  runId: string;
  combinations: RunCombination[];
  /** Ids of the stored combination sets the combinations come from (runs made in the app). */
  combinationSets?: string[];
  /** k → valid samples wanted. */
  targetPerK: Record<number, number>;
  template: PromptTemplate;
  /** With an agentic template: ask first whether each combination suits an agent task. */
  agenticCheck?: PromptTemplate;
  model: { id: string; engine: string };
  /** `frequency_penalty` absent: 0 (runs stored before it existed have none). */
  generation: {
    temperature: number;
    top_p: number;
    max_tokens: number;
    frequency_penalty?: number;
  };
  /** Budget for the prompt's system + user text, in the model's tokens. */
  maxPromptTokens: number;
  seed: number;
  maxAttemptsPerSlot: number;
  quality: QualityGates;
  /** Answer length for the agentic and coverage checks (they are asked at temperature 0). */
  checkMaxTokens: number;
  /**
   * The answers' JSON schemas are not sent, so no engine holds the output to them (to measure
   * what constrained output adds). Absent: constrained, where the engine can.
   */
  unconstrained?: boolean;
}

/** The agentic check's answer; `suitable` is null when it could not be read. */
export interface AgenticCheckRecord {
  suitable: boolean | null;
  reason: string;
  rawOutput: string;
}

export interface CoverageRecord {
  covered: string[];
  missing: string[];
  rawOutput: string;
}

export interface SynthesisAttempt {
  runId: string;
  /** 0, 1, 2, … in the order attempts were made. */
  index: number;
  slot: number;
  k: number;
  combinationIndex: number;
  atomicSampleIds: string[];
  seed: number;
  status: 'valid' | 'discarded';
  /** Why it was discarded (text only in attempts stored before reasons were typed); null when valid. */
  reason: RecordedDiscardReason | null;
  rawOutput: string;
  sample: GeneratedSample | null;
  /** Present on the attempt that asked the agentic check. */
  agenticCheck?: AgenticCheckRecord;
  /** Present when the coverage gate judged the conversation (or failed to). */
  coverage?: CoverageRecord;
  /** Present on an attempt whose answer came from a batch (`recordPlanned`). */
  batch?: BatchOrigin;
  createdAt: string;
}

/** Where a batch attempt's answer came from, and which visit of its k it was planned for. */
export interface BatchOrigin {
  /** The request's `custom_id`; null for an attempt planned without a request. */
  requestId: string | null;
  /** The visit of its k's combination order (0, 1, …) the request was planned for. */
  visit: number;
  /** A batch server is sent the seed, but decides itself whether it follows it. */
  seedHonoured: 'best-effort';
}

/**
 * One attempt of a batch plan: numbered as it will be stored if every earlier planned answer is
 * kept, with the prompt to send, or the reason it is discarded without one.
 */
export interface PlannedAttempt {
  index: number;
  slot: number;
  k: number;
  visit: number;
  combinationIndex: number;
  seed: number;
  atomicSampleIds: string[];
  prompt: { ok: true; call: ChatCall } | { ok: false; reason: DiscardReason };
}

/** What a chat engine answers (the subset of src/llm's ChatResult the run needs). */
export interface ChatAnswer {
  text: string;
  usage: {
    prompt_tokens: number;
    completion_tokens: number;
    time_to_first_token_ms: number | null;
    /** null when not measured (a batch's answers). */
    tokens_per_second: number | null;
  };
  record: { engine: string; model: string; seed: number };
}

export interface ChatCall {
  messages: ChatMessage[];
  temperature: number;
  top_p: number;
  max_tokens: number;
  seed: number;
  frequency_penalty?: number;
  /** The answer's JSON schema, or plain text in an unconstrained run. */
  response_format: { type: 'json_object'; schema: Record<string, unknown> } | { type: 'text' };
}

/** The JSON schema of the coverage answer. */
const coverageSchema = {
  type: 'object',
  properties: { covered: { type: 'array', items: { type: 'string' } } },
  required: ['covered'],
};

export interface SynthesisDeps {
  chat(call: ChatCall, signal?: AbortSignal): Promise<ChatAnswer>;
  /** A quick count (exact, or an estimate when `tokenCounts` is given). */
  countTokens(text: string): number;
  /** Exact counts by the model's tokenizer, when the engine has it: prompts are then checked. */
  tokenCounts?(texts: string[]): Promise<number[]>;
  assignment: AtomicAssignment;
  /** The corpus sample with this id. */
  sample(id: string): Promise<Sample>;
  /** Stores one attempt; awaited before the next attempt starts. */
  saveAttempt(attempt: SynthesisAttempt): Promise<void>;
  novelty?: NoveltyIndex;
  now?: () => Date;
}

export interface RunProgress {
  validPerK: Record<number, number>;
  targetPerK: Record<number, number>;
  attempts: number;
  discarded: number;
  /** ks given up after every combination failed in a row. */
  givenUp: number[];
  /** Combinations the agentic check judged unsuitable (skipped from then on). */
  unsuitable: number;
  done: boolean;
}

const turnSchema = (role: ChatMessage['role']) => ({
  type: 'object',
  properties: {
    role: { type: 'string', enum: [role] },
    content: { type: 'string', minLength: 1 },
  },
  required: ['role', 'content'],
  additionalProperties: false,
});

/**
 * The JSON schema of the answer, for engines with constrained decoding: the conversations
 * conversationProblem accepts (an optional system message, then user and assistant turns in
 * turn, ending with the assistant, at most the default number of turns), one alternative per
 * length, since JSON Schema has no other way to say "alternating".
 */
export const conversationSchema = {
  anyOf: [false, true].flatMap((system) =>
    Array.from({ length: defaultConversationLimits.maxTurns / 2 }, (_, pairs) => {
      const turns = [
        ...(system ? [turnSchema('system')] : []),
        ...Array.from({ length: 2 * (pairs + 1) }, (_, i) =>
          turnSchema(i % 2 === 0 ? 'user' : 'assistant'),
        ),
      ];
      return {
        type: 'array',
        prefixItems: turns,
        items: false,
        minItems: turns.length,
        maxItems: turns.length,
      };
    }),
  ),
};

/** An attempt being made: its fixed parts, its atomic draw, and how to discard it. */
interface Draft {
  base: Pick<
    SynthesisAttempt,
    'runId' | 'index' | 'slot' | 'k' | 'combinationIndex' | 'seed' | 'createdAt'
  >;
  combination: RunCombination;
  picks: { skill: string; sampleId: string }[];
  /** Skills the draw found no sample for. */
  missing: string[];
  atomicSampleIds: string[];
  discarded(
    reason: DiscardReason,
    rawOutput: string,
    extra?: Partial<SynthesisAttempt>,
  ): SynthesisAttempt;
}

interface KState {
  k: number;
  order: number[];
  valid: number;
  slots: number;
  failedSlotsInRow: number;
  /** Batch visits discarded in a row since the last failed slot (see `#failBatchVisit`). */
  failedVisitsInRow: number;
  givenUp: boolean;
}

export class SynthesisRun {
  readonly spec: SynthesisRunSpec;
  readonly #deps: SynthesisDeps;
  readonly #byK = new Map<number, KState>();
  readonly #dedup: DedupIndex;
  #attempts = 0;
  #discarded = 0;
  /** The open slot: its k and the attempts it has had. */
  #slot: { k: number; number: number; attempts: number } | null = null;
  #slotCount = 0;
  /** The agentic check's verdict per combination index, once asked. */
  readonly #verdicts = new Map<number, { suitable: boolean; reason: string }>();

  constructor(spec: SynthesisRunSpec, deps: SynthesisDeps, recorded: readonly SynthesisAttempt[]) {
    checkSpec(spec);
    this.spec = spec;
    this.#deps = deps;
    this.#dedup = new DedupIndex({ threshold: spec.quality.nearDuplicateThreshold });
    const random = mulberry32(spec.seed);
    const ks = Object.keys(spec.targetPerK)
      .map(Number)
      .sort((a, b) => a - b);
    for (const k of ks) {
      const order = spec.combinations.flatMap((c, i) => (c.skills.length === k ? [i] : []));
      shuffle(order, random);
      // A k without combinations of its size cannot be served: given up from the start.
      this.#byK.set(k, {
        k,
        order,
        valid: 0,
        slots: 0,
        failedSlotsInRow: 0,
        failedVisitsInRow: 0,
        givenUp: order.length === 0,
      });
    }
    [...recorded]
      .sort((a, b) => a.index - b.index)
      .forEach((attempt, i) => this.#replay(attempt, i));
  }

  get progress(): RunProgress {
    const validPerK: Record<number, number> = {};
    for (const state of this.#byK.values()) validPerK[state.k] = state.valid;
    return {
      validPerK,
      targetPerK: { ...this.spec.targetPerK },
      attempts: this.#attempts,
      discarded: this.#discarded,
      givenUp: [...this.#byK.values()].filter((s) => s.givenUp).map((s) => s.k),
      unsuitable: [...this.#verdicts.values()].filter((v) => !v.suitable).length,
      done: this.#nextK() === null,
    };
  }

  /** Makes, records and returns the next attempt; null when the run is done. */
  async next(signal?: AbortSignal): Promise<SynthesisAttempt | null> {
    const planned = this.#plan();
    if (!planned) return null;
    const { k, slot, combinationIndex } = planned;
    const draft = this.#draft(this.#attempts, slot, k, combinationIndex);
    let attempt: SynthesisAttempt;
    if (draft.missing.length > 0) {
      attempt = draft.discarded({ code: 'no-atomic-sample', skills: [...draft.missing] }, '');
    } else {
      attempt = await this.#generate(draft, signal);
    }
    await this.#deps.saveAttempt(attempt);
    this.#replay(attempt, attempt.index);
    return attempt;
  }

  /**
   * The attempts the run still needs, planned as if every answer were kept: one per slot until
   * each k would meet its target, each with its prompt (or the reason it needs none). Runs whose
   * checks ask the model again about each answer cannot be planned ahead.
   */
  async planBatch(): Promise<PlannedAttempt[]> {
    if (this.spec.agenticCheck || this.spec.quality.coverage) {
      throw new Error(
        'this run asks the model again about each combination or answer (the agentic check or ' +
          'the coverage gate), which one batch of independent requests cannot carry; run it here, ' +
          'or start a run without these checks for a batch',
      );
    }
    const states = new Map<number, KState>([...this.#byK].map(([k, state]) => [k, { ...state }]));
    const planned: PlannedAttempt[] = [];
    let openK = this.#slot?.k ?? null;
    for (;;) {
      const k = openK ?? nextOpenK(states.values(), this.spec.targetPerK);
      openK = null;
      if (k === null) return planned;
      const state = states.get(k)!;
      const visit = state.slots;
      const combinationIndex = state.order[visit % state.order.length];
      const draft = this.#draft(
        this.#attempts + planned.length,
        this.#slotCount + planned.length,
        k,
        combinationIndex,
      );
      const prompt: PlannedAttempt['prompt'] =
        draft.missing.length > 0
          ? { ok: false, reason: { code: 'no-atomic-sample', skills: [...draft.missing] } }
          : await this.#prompt(draft);
      const { index, slot, seed } = draft.base;
      planned.push({
        index,
        slot,
        k,
        visit,
        combinationIndex,
        seed,
        atomicSampleIds: draft.atomicSampleIds,
        prompt,
      });
      if (prompt.ok) {
        state.valid++;
        state.failedSlotsInRow = state.failedVisitsInRow = 0;
        state.slots++;
      } else {
        this.#failBatchVisit(state, () => state.slots++);
      }
    }
  }

  /**
   * Records a planned attempt (from `planBatch` on this run as it is now, or on an earlier state
   * of it) as the run's next one: with the batch's answer, judged as `next` judges the engine's,
   * or, for one planned without a prompt, as discarded. Null (nothing recorded) when the run no
   * longer needs it: its k met its target or was given up, or the run went past its visit.
   */
  async recordPlanned(
    planned: PlannedAttempt,
    answer: { answer: ChatAnswer; requestId: string } | null,
  ): Promise<SynthesisAttempt | null> {
    const state = this.#byK.get(planned.k);
    if (
      !state ||
      state.givenUp ||
      state.valid >= this.spec.targetPerK[planned.k] ||
      planned.visit < state.slots ||
      state.order[planned.visit % state.order.length] !== planned.combinationIndex
    ) {
      return null;
    }
    const draft = this.#draft(this.#attempts, planned.slot, planned.k, planned.combinationIndex);
    draft.base.seed = planned.seed;
    draft.atomicSampleIds = [...planned.atomicSampleIds];
    const batch: BatchOrigin = {
      requestId: answer?.requestId ?? null,
      visit: planned.visit,
      seedHonoured: 'best-effort',
    };
    let attempt: SynthesisAttempt;
    if (!planned.prompt.ok) {
      attempt = draft.discarded(planned.prompt.reason, '');
    } else if (!answer) {
      throw new Error(`attempt ${planned.index} was planned with a prompt; it needs its answer`);
    } else {
      attempt = await this.#judge(draft, answer.answer, {});
    }
    attempt = { ...attempt, batch };
    await this.#deps.saveAttempt(attempt);
    this.#replay(attempt, attempt.index);
    return attempt;
  }

  /** An attempt's fixed parts: its number, seed and atomic draw. */
  #draft(index: number, slot: number, k: number, combinationIndex: number): Draft {
    const seed = fmix32(this.spec.seed ^ fmix32(index + 1));
    const combination = this.spec.combinations[combinationIndex];
    const draw = drawAtomicExamples(this.#deps.assignment, combination.skills, mulberry32(seed));
    const draft: Draft = {
      base: {
        runId: this.spec.runId,
        index,
        slot,
        k,
        combinationIndex,
        seed,
        createdAt: (this.#deps.now?.() ?? new Date()).toISOString(),
      },
      combination,
      picks: draw.picks,
      missing: draw.missing,
      atomicSampleIds: draw.picks.map((p) => p.sampleId),
      discarded: (reason, rawOutput, extra = {}) => ({
        ...draft.base,
        atomicSampleIds: draft.atomicSampleIds,
        status: 'discarded',
        reason,
        rawOutput,
        sample: null,
        ...extra,
      }),
    };
    return draft;
  }

  /** The generation request of a draft, or why it cannot be sent (its prompt cannot fit). */
  async #prompt(draft: Draft): Promise<PlannedAttempt['prompt']> {
    const examples = await Promise.all(
      draft.picks.map(async (pick) => ({
        skill: pick.skill,
        sampleId: pick.sampleId,
        messages: (await this.#deps.sample(pick.sampleId)).messages,
      })),
    );
    try {
      const messages = await this.#fitPrompt(
        (maxPromptTokens) =>
          buildSynthesisMessages(this.spec.template, examples, {
            maxPromptTokens,
            countTokens: this.#deps.countTokens,
          }).messages,
      );
      return {
        ok: true,
        call: {
          messages,
          ...this.spec.generation,
          seed: draft.base.seed,
          response_format: this.#answerFormat(conversationSchema),
        },
      };
    } catch (error) {
      // Long samples can overflow any budget; that combination draw is skipped, the run goes on.
      if (!(error instanceof PromptBudgetError)) throw error;
      const { neededTokens, maxPromptTokens } = error;
      return { ok: false, reason: { code: 'prompt-budget', neededTokens, maxPromptTokens } };
    }
  }

  async #generate(draft: Draft, signal?: AbortSignal): Promise<SynthesisAttempt> {
    const { spec } = this;
    let agenticCheck: AgenticCheckRecord | undefined;
    const verdict = this.#verdicts.get(draft.base.combinationIndex);
    if (spec.agenticCheck && !verdict) {
      agenticCheck = await this.#askAgenticCheck(
        spec.agenticCheck,
        draft.combination,
        draft.base.seed,
        signal,
      );
      if (agenticCheck.suitable === null) {
        return draft.discarded(
          { code: 'agentic-check-unreadable', problem: agenticCheck.reason },
          '',
          { agenticCheck },
        );
      }
      if (!agenticCheck.suitable) {
        return draft.discarded({ code: 'not-agentic', reason: agenticCheck.reason }, '', {
          agenticCheck,
        });
      }
    }
    const prompt = await this.#prompt(draft);
    if (!prompt.ok) return draft.discarded(prompt.reason, '', { agenticCheck });
    const answer = await this.#chat(prompt.call, signal);
    signal?.throwIfAborted();
    return this.#judge(draft, answer, { agenticCheck, verdict }, signal);
  }

  /** An answer through the run's gates: parsing, novelty, dedup, coverage; kept or discarded. */
  async #judge(
    draft: Draft,
    answer: ChatAnswer,
    checked: { agenticCheck?: AgenticCheckRecord; verdict?: { reason: string } },
    signal?: AbortSignal,
  ): Promise<SynthesisAttempt> {
    const { spec } = this;
    const { base, combination, atomicSampleIds } = draft;
    const { agenticCheck, verdict } = checked;
    const discard = (reason: DiscardReason, coverage?: CoverageRecord) =>
      draft.discarded(reason, answer.text, { agenticCheck, coverage });
    const parsed = parseConversation(answer.text);
    if (!parsed.ok) return discard({ code: 'unparseable', problem: parsed.reason });
    const text = conversationText(parsed.messages);
    if (spec.quality.novelty && this.#deps.novelty) {
      const novelty = this.#deps.novelty.check(text);
      if (!novelty.novel) {
        return discard({
          code: 'not-novel',
          seedId: novelty.nearestSeedId,
          similarity: novelty.maxSimilarity,
        });
      }
    }
    const id = `${spec.runId}:${base.index}`;
    if (spec.quality.dedup) {
      // Only checked here: the sample is kept in the index when its attempt is replayed as valid.
      const decision = this.#dedup.check(text);
      if (decision.duplicate === 'exact') {
        return discard({ code: 'exact-duplicate', of: decision.of });
      }
      if (decision.duplicate === 'near') {
        return discard({
          code: 'near-duplicate',
          of: decision.of,
          similarity: decision.similarity,
        });
      }
    }
    let coverage: CoverageRecord | undefined;
    if (spec.quality.coverage) {
      const judged = await this.#askCoverage(
        combination.skills,
        parsed.messages,
        base.seed,
        signal,
      );
      if (!judged.ok) return discard(judged.reason, judged.record);
      coverage = judged.record;
      const needed = Math.ceil(spec.quality.minCoverage * combination.skills.length - 1e-9);
      if (coverage.covered.length < needed) {
        return discard(
          {
            code: 'too-few-skills',
            covered: coverage.covered.length,
            skills: combination.skills.length,
            needed,
            missing: [...coverage.missing],
          },
          coverage,
        );
      }
    }
    const checkedVerdict = agenticCheck ?? verdict;
    const sample: GeneratedSample = {
      id,
      runId: spec.runId,
      messages: parsed.messages,
      skills: [...combination.skills],
      k: combination.skills.length,
      combination: {
        skills: [...combination.skills],
        score: combination.score,
        lowestCommonNode: { ...combination.lowestCommonNode },
      },
      atomicSampleIds,
      template: { id: spec.template.id, kind: spec.template.kind, version: spec.template.version },
      model: { id: answer.record.model, engine: answer.record.engine },
      seed: answer.record.seed,
      parameters: { ...spec.generation },
      rawOutput: answer.text,
      repairs: parsed.repaired,
      usage: {
        promptTokens: answer.usage.prompt_tokens,
        completionTokens: answer.usage.completion_tokens,
        timeToFirstTokenMs: answer.usage.time_to_first_token_ms,
        tokensPerSecond: answer.usage.tokens_per_second,
      },
      ...(checkedVerdict || coverage
        ? {
            checks: {
              ...(checkedVerdict && {
                agentic: { suitable: true, reason: checkedVerdict.reason },
              }),
              ...(coverage && {
                coverage: { covered: coverage.covered, missing: coverage.missing },
              }),
            },
          }
        : {}),
      createdAt: base.createdAt,
    };
    return {
      ...base,
      atomicSampleIds,
      status: 'valid',
      reason: null,
      rawOutput: answer.text,
      sample,
      ...(agenticCheck && { agenticCheck }),
      ...(coverage && { coverage }),
    };
  }

  /** The engine's answer to `call`, asked again after a failure (see `askEngine`). */
  #chat(call: ChatCall, signal?: AbortSignal): Promise<ChatAnswer> {
    return askEngine(() => this.#deps.chat(call, signal), signal);
  }

  /** The prompt `build` makes, fitted to the run's budget (see `fitPrompt`). */
  #fitPrompt(build: (maxPromptTokens: number) => ChatMessage[]): Promise<ChatMessage[]> {
    return fitPrompt(build, (messages) => messages, {
      maxPromptTokens: this.spec.maxPromptTokens,
      countTokens: this.#deps.countTokens,
      tokenCounts: this.#deps.tokenCounts,
    });
  }

  /** Checks answer deterministically (temperature 0) and briefly. */
  #checkCall(messages: ChatMessage[], seed: number, schema: Record<string, unknown>): ChatCall {
    return {
      messages,
      temperature: 0,
      top_p: 1,
      max_tokens: this.spec.checkMaxTokens,
      seed,
      response_format: this.#answerFormat(schema),
    };
  }

  #answerFormat(schema: Record<string, unknown>): ChatCall['response_format'] {
    return this.spec.unconstrained ? { type: 'text' } : { type: 'json_object', schema };
  }

  async #askAgenticCheck(
    template: PromptTemplate,
    combination: RunCombination,
    seed: number,
    signal?: AbortSignal,
  ): Promise<AgenticCheckRecord> {
    const messages = buildAgenticCheckMessages(template, combination.skills);
    const answer = await this.#chat(this.#checkCall(messages, seed, agenticVerdictSchema), signal);
    signal?.throwIfAborted();
    const verdict = parseAgenticVerdict(answer.text);
    return verdict.ok
      ? { suitable: verdict.suitable, reason: verdict.reason, rawOutput: answer.text }
      : { suitable: null, reason: verdict.reason, rawOutput: answer.text };
  }

  async #askCoverage(
    skills: readonly string[],
    conversation: ChatMessage[],
    seed: number,
    signal?: AbortSignal,
  ): Promise<
    | { ok: true; record: CoverageRecord }
    | { ok: false; reason: DiscardReason; record?: CoverageRecord }
  > {
    let messages: ChatMessage[];
    try {
      messages = await this.#fitPrompt((maxPromptTokens) => {
        const fitted = fitTranscriptPrompt(
          (maxChars) => buildCoverageMessages(skills, conversation, maxChars),
          maxPromptTokens,
          this.#deps.countTokens,
        );
        if (fitted) return fitted.messages;
        const smallest = buildCoverageMessages(skills, conversation, TRANSCRIPT_MIN_CHARS);
        const needed = smallest.reduce((n, m) => n + this.#deps.countTokens(m.content), 0);
        throw new PromptBudgetError(needed, maxPromptTokens);
      });
    } catch (error) {
      if (!(error instanceof PromptBudgetError)) throw error;
      const { neededTokens, maxPromptTokens } = error;
      return { ok: false, reason: { code: 'coverage-budget', neededTokens, maxPromptTokens } };
    }
    const answer = await this.#chat(this.#checkCall(messages, seed, coverageSchema), signal);
    signal?.throwIfAborted();
    const parsed = parseCoverage(answer.text, skills);
    if (!parsed.ok) {
      return {
        ok: false,
        reason: { code: 'coverage-unreadable', problem: parsed.reason },
        record: { covered: [], missing: [...skills], rawOutput: answer.text },
      };
    }
    return {
      ok: true,
      record: { covered: parsed.covered, missing: parsed.missing, rawOutput: answer.text },
    };
  }

  /**
   * The k, slot and combination of the next attempt; null when the run is done. Slots that land on
   * a combination judged unsuitable are skipped, each counting as a failed slot.
   */
  #plan(): { k: number; slot: number; combinationIndex: number } | null {
    for (;;) {
      let slot = this.#slot;
      if (!slot) {
        const k = this.#nextK();
        if (k === null) return null;
        slot = this.#slot = { k, number: this.#slotCount, attempts: 0 };
      }
      const state = this.#byK.get(slot.k)!;
      const combinationIndex = state.order[state.slots % state.order.length];
      if (this.#verdicts.get(combinationIndex)?.suitable === false) {
        this.#failSlot(state);
        continue;
      }
      return { k: slot.k, slot: slot.number, combinationIndex };
    }
  }

  #nextK(): number | null {
    if (this.#slot) return this.#slot.k;
    return nextOpenK(this.#byK.values(), this.spec.targetPerK);
  }

  /** Applies one recorded attempt to the state, exactly as `next` would have. */
  #replay(attempt: SynthesisAttempt, expectedIndex: number) {
    if (attempt.index !== expectedIndex) {
      throw new Error(
        `run ${this.spec.runId}: attempt ${expectedIndex} is missing from the record (found ${attempt.index})`,
      );
    }
    if (attempt.batch) {
      this.#replayBatch(attempt, attempt.batch.visit);
      return;
    }
    const planned = this.#plan();
    if (
      !planned ||
      planned.k !== attempt.k ||
      planned.combinationIndex !== attempt.combinationIndex
    ) {
      throw new Error(
        `run ${this.spec.runId}: attempt ${attempt.index} does not follow this run's plan; its settings changed`,
      );
    }
    const state = this.#byK.get(attempt.k)!;
    const slot = this.#slot!;
    this.#attempts++;
    slot.attempts++;
    const check = attempt.agenticCheck;
    if (check && check.suitable !== null) {
      this.#verdicts.set(attempt.combinationIndex, {
        suitable: check.suitable,
        reason: check.reason,
      });
    }
    if (attempt.status === 'valid') {
      // Kept samples enter the dedup index here, in the order they were kept (live and replayed).
      if (this.spec.quality.dedup && attempt.sample) {
        this.#dedup.add(attempt.sample.id, conversationText(attempt.sample.messages));
      }
      state.valid++;
      state.failedSlotsInRow = state.failedVisitsInRow = 0;
      this.#closeSlot(state);
    } else {
      this.#discarded++;
      if (check?.suitable === false || slot.attempts >= this.spec.maxAttemptsPerSlot) {
        this.#failSlot(state);
      }
    }
  }

  /** A batch attempt: its k's visit, the only try of its slot (see the top of this file). */
  #replayBatch(attempt: SynthesisAttempt, visit: number) {
    const state = this.#byK.get(attempt.k);
    if (
      !state ||
      state.givenUp ||
      visit < state.slots ||
      state.order[visit % state.order.length] !== attempt.combinationIndex
    ) {
      throw new Error(
        `run ${this.spec.runId}: batch attempt ${attempt.index} does not follow this run's plan; its settings changed`,
      );
    }
    // Visits skipped by the batch (their answers never came) are neither kept nor failed.
    state.slots = visit;
    this.#attempts++;
    if (attempt.status === 'valid') {
      if (this.spec.quality.dedup && attempt.sample) {
        this.#dedup.add(attempt.sample.id, conversationText(attempt.sample.messages));
      }
      state.valid++;
      state.failedSlotsInRow = state.failedVisitsInRow = 0;
      this.#closeSlot(state);
    } else {
      this.#discarded++;
      this.#failBatchVisit(state, () => this.#closeSlot(state));
    }
  }

  /**
   * A discarded batch visit closes its slot (`close`); as many in a row as a slot has tries count
   * as one failed slot, so a batch gives a k up after as many discards in a row as a local run.
   */
  #failBatchVisit(state: KState, close: () => void) {
    if (++state.failedVisitsInRow >= this.spec.maxAttemptsPerSlot) {
      state.failedVisitsInRow = 0;
      countFailedSlot(state);
    }
    close();
  }

  #failSlot(state: KState) {
    countFailedSlot(state);
    this.#closeSlot(state);
  }

  #closeSlot(state: KState) {
    state.slots++;
    this.#slotCount++;
    // A batch attempt of another k leaves that k's open slot open.
    if (this.#slot?.k === state.k) this.#slot = null;
  }
}

/** A k whose last slots, as many as it has combinations, all failed is given up. */
function countFailedSlot(state: KState) {
  state.failedSlotsInRow++;
  if (state.failedSlotsInRow >= state.order.length) state.givenUp = true;
}

/** The k furthest from its target (ties: the smaller k); null when none needs more. */
function nextOpenK(states: Iterable<KState>, targetPerK: Record<number, number>): number | null {
  let best: KState | null = null;
  for (const state of states) {
    const target = targetPerK[state.k];
    if (state.givenUp || state.valid >= target) continue;
    if (!best || state.valid / target < best.valid / targetPerK[best.k]) best = state;
  }
  return best?.k ?? null;
}

function checkSpec(spec: SynthesisRunSpec) {
  for (const [k, target] of Object.entries(spec.targetPerK)) {
    if (!Number.isInteger(target) || target < 0) {
      throw new Error(`targetPerK[${k}]: must be a whole number ≥ 0, got ${target}`);
    }
  }
  if (!Number.isInteger(spec.maxAttemptsPerSlot) || spec.maxAttemptsPerSlot < 1) {
    throw new Error(
      `maxAttemptsPerSlot: must be a positive whole number, got ${spec.maxAttemptsPerSlot}`,
    );
  }
  if (spec.agenticCheck) {
    if (spec.template.kind !== 'agentic') {
      throw new Error(
        `agenticCheck: only an agentic run asks it (template kind is ${spec.template.kind})`,
      );
    }
    if (spec.agenticCheck.kind !== 'agentic-check') {
      throw new Error(
        `agenticCheck: needs an agentic-check template, got ${spec.agenticCheck.kind}`,
      );
    }
  }
  if (!(spec.quality.minCoverage > 0 && spec.quality.minCoverage <= 1)) {
    throw new Error(
      `quality.minCoverage: must be above 0 and at most 1, got ${spec.quality.minCoverage}`,
    );
  }
  if (!Number.isInteger(spec.checkMaxTokens) || spec.checkMaxTokens < 1) {
    throw new Error(`checkMaxTokens: must be a positive whole number, got ${spec.checkMaxTokens}`);
  }
  spec.combinations.forEach((c, i) => {
    if (new Set(c.skills).size !== c.skills.length || c.skills.length < 2) {
      throw new Error(`combinations[${i}]: needs two or more distinct skills`);
    }
  });
}

function shuffle(values: number[], random: () => number) {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [values[i], values[j]] = [values[j], values[i]];
  }
}
