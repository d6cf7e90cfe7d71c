import type { ChatMessage, Sample } from '../corpus/sample';
import { fmix32 } from '../hash';
import type { ChatAnswer, ChatCall } from '../synthesis/synthesisRun';
import {
  buildTaggingMessages,
  cleanTag,
  MAX_TAG_CHARS,
  MAX_TAGS,
  normaliseTags,
  parseTags,
} from './tagging';
import { fitTranscriptPrompt, TRANSCRIPT_MIN_CHARS } from '../synthesis/transcript';
import { askEngine } from '../synthesis/engineFailures';
import { fitPrompt, type TokenCounting } from '../synthesis/promptFit';
import { PromptBudgetError } from '../synthesis/prompts';
import { errorMessage } from '../errorMessage';

/**
 * A tagging run: the model names the skills of each chosen sample (open tags), one sample at a
 * time, and every attempt is recorded the moment it exists.
 *
 * Plan. One slot per sample, in the order of `sampleIds`. A slot retries its sample with a new
 * seed while the answer cannot be read as a tag list, up to `maxAttemptsPerSample`; at
 * temperature 0 the answer does not depend on the seed, so a slot has one attempt only. A sample
 * whose prompt cannot fit the budget (or has nothing to tag) fails at once, without asking the
 * model.
 *
 * Engine failures. A chat call that throws is asked again, and the run stops (`next` throws)
 * after a few failures in a row (`askEngine`); nothing is recorded for them.
 *
 * Resume. The plan depends only on the spec and the attempts recorded so far, so replaying the
 * stored attempts restores the exact state and the run continues with the next attempt: an
 * interruption loses at most the answer in flight, and no attempt is made or recorded twice.
 */

export interface TaggingRunSpec {
  runId: string;
  /** The samples to tag, in corpus order. */
  sampleIds: string[];
  model: { id: string; engine: string };
  generation: { temperature: number; top_p: number; max_tokens: number };
  /** Budget for the prompt's system + user text, in the model's tokens. */
  maxPromptTokens: number;
  seed: number;
  maxAttemptsPerSample: number;
}

export interface TaggingAttempt {
  runId: string;
  /** 0, 1, 2, … in the order attempts were made. */
  index: number;
  sampleId: string;
  seed: number;
  status: 'tagged' | 'failed';
  /** Why it failed; null when tagged. */
  reason: string | null;
  /** Characters of the sample shown (`buildTaggingMessages`' maxChars); null: no prompt was sent. */
  promptChars: number | null;
  rawOutput: string;
  /** The tags as the model wrote them (trimmed, repeats dropped); null when failed. */
  tags: string[] | null;
  /** Fixes applied to the JSON before it parsed (lenient reading). */
  repairs: string[];
  createdAt: string;
}

export interface TaggingDeps {
  chat(call: ChatCall, signal?: AbortSignal): Promise<ChatAnswer>;
  /** A quick count (exact, or an estimate when `tokenCounts` is given). */
  countTokens(text: string): number;
  /** Exact counts by the model's tokenizer, when the engine has it: prompts are then checked. */
  tokenCounts?(texts: string[]): Promise<number[]>;
  /** The corpus sample with this id. */
  sample(id: string): Promise<Pick<Sample, 'messages'>>;
  /** Stores one attempt; awaited before the next attempt starts. */
  saveAttempt(attempt: TaggingAttempt): Promise<void>;
  now?: () => Date;
}

export interface TaggingProgress {
  /** Samples with tags. */
  tagged: number;
  /** Samples given up (every attempt failed). */
  failed: number;
  attempts: number;
  /** Samples in the run. */
  total: number;
  done: boolean;
}

/** The JSON schema of the answer, for engines with constrained decoding. */
export const tagListSchema = {
  type: 'array',
  minItems: 1,
  maxItems: MAX_TAGS,
  items: { type: 'string', minLength: 1, maxLength: MAX_TAG_CHARS },
};

/**
 * The tagging prompt showing as much of the sample as fits the budget (`fitTranscriptPrompt`: the
 * longest transcript, in steps of 200 characters, whose system + user text counts within it;
 * checked with exact counts when given, see `fitPrompt`). A reason instead when none fits or
 * there is nothing to tag.
 */
export async function fitTaggingPrompt(
  messages: readonly ChatMessage[],
  counting: TokenCounting,
): Promise<{ messages: ChatMessage[]; maxChars: number } | { reason: string }> {
  const { countTokens } = counting;
  const build = (maxChars: number) => buildTaggingMessages(messages, maxChars);
  try {
    return await fitPrompt(
      (budget) => {
        const fitted = fitTranscriptPrompt(build, budget, countTokens);
        if (fitted) return fitted;
        const smallest = build(TRANSCRIPT_MIN_CHARS).reduce(
          (n, m) => n + countTokens(m.content),
          0,
        );
        throw new PromptBudgetError(smallest, budget);
      },
      (prompt) => prompt.messages,
      counting,
    );
  } catch (error) {
    if (error instanceof PromptBudgetError) {
      return {
        reason: `the prompt needs ${error.neededTokens} tokens even with ${TRANSCRIPT_MIN_CHARS} characters of the sample shown, the budget is ${error.maxPromptTokens}; raise the prompt budget`,
      };
    }
    return { reason: errorMessage(error) };
  }
}

export class TaggingRun {
  readonly spec: TaggingRunSpec;
  readonly #deps: TaggingDeps;
  readonly #triesPerSample: number;
  #attempts = 0;
  #tagged = 0;
  #failed = 0;
  /** Position in `sampleIds` of the open slot, and the attempts it has had. */
  #position = 0;
  #slotAttempts = 0;

  constructor(spec: TaggingRunSpec, deps: TaggingDeps, recorded: readonly TaggingAttempt[]) {
    checkSpec(spec);
    this.spec = spec;
    this.#deps = deps;
    this.#triesPerSample = spec.generation.temperature === 0 ? 1 : spec.maxAttemptsPerSample;
    [...recorded]
      .sort((a, b) => a.index - b.index)
      .forEach((attempt, i) => this.#replay(attempt, i));
  }

  get progress(): TaggingProgress {
    return {
      tagged: this.#tagged,
      failed: this.#failed,
      attempts: this.#attempts,
      total: this.spec.sampleIds.length,
      done: this.#position >= this.spec.sampleIds.length,
    };
  }

  /** Makes, records and returns the next attempt; null when the run is done. */
  async next(signal?: AbortSignal): Promise<TaggingAttempt | null> {
    const planned = this.#plan();
    if (!planned) return null;
    const { spec } = this;
    const base = {
      runId: spec.runId,
      index: planned.index,
      sampleId: planned.sampleId,
      seed: planned.seed,
      createdAt: (this.#deps.now?.() ?? new Date()).toISOString(),
    };
    const failed = (reason: string, promptChars: number | null, rawOutput = '') => ({
      ...base,
      status: 'failed' as const,
      reason,
      promptChars,
      rawOutput,
      tags: null,
      repairs: [],
    });
    const sample = await this.#deps.sample(planned.sampleId);
    const prompt = await fitTaggingPrompt(sample.messages, {
      maxPromptTokens: spec.maxPromptTokens,
      countTokens: this.#deps.countTokens,
      tokenCounts: this.#deps.tokenCounts,
    });
    let attempt: TaggingAttempt;
    if ('reason' in prompt) {
      attempt = failed(prompt.reason, null);
    } else {
      const call: ChatCall = {
        messages: prompt.messages,
        ...spec.generation,
        seed: planned.seed,
        response_format: { type: 'json_object', schema: tagListSchema },
      };
      const answer = await askEngine(() => this.#deps.chat(call, signal), signal);
      signal?.throwIfAborted();
      const parsed = parseTags(answer.text);
      if (parsed.ok && parsed.tags.every((tag) => cleanTag(tag) === '')) {
        attempt = failed(
          'every tag is only spaces and separators (- _ / . , : ;)',
          prompt.maxChars,
          answer.text,
        );
      } else if (parsed.ok) {
        attempt = {
          ...base,
          status: 'tagged',
          reason: null,
          promptChars: prompt.maxChars,
          rawOutput: answer.text,
          tags: parsed.tags,
          repairs: parsed.repaired,
        };
      } else {
        const cut =
          answer.usage.completion_tokens >= spec.generation.max_tokens
            ? `; the answer stopped at max_tokens (${spec.generation.max_tokens}), raise it`
            : '';
        attempt = failed(parsed.reason + cut, prompt.maxChars, answer.text);
      }
    }
    await this.#deps.saveAttempt(attempt);
    this.#replay(attempt, planned.index);
    return attempt;
  }

  /** The index, sample and seed of the next attempt; null when the run is done. */
  #plan(): { index: number; sampleId: string; seed: number } | null {
    if (this.#position >= this.spec.sampleIds.length) return null;
    const index = this.#attempts;
    return {
      index,
      sampleId: this.spec.sampleIds[this.#position],
      seed: fmix32(this.spec.seed ^ fmix32(index + 1)),
    };
  }

  /** Applies one recorded attempt to the state, exactly as `next` would have. */
  #replay(attempt: TaggingAttempt, expectedIndex: number) {
    const where = `run ${this.spec.runId}, attempt ${expectedIndex}`;
    if (attempt.index !== expectedIndex) {
      throw new Error(`${where} is missing from the record (found attempt ${attempt.index})`);
    }
    const planned = this.#plan();
    if (!planned || planned.sampleId !== attempt.sampleId || planned.seed !== attempt.seed) {
      throw new Error(
        `${where} (sample ${attempt.sampleId}) does not follow this run's plan; its settings or samples changed`,
      );
    }
    this.#attempts++;
    this.#slotAttempts++;
    // A failure before the model was asked (budget, nothing to tag) repeats on every retry.
    const retry =
      attempt.status === 'failed' &&
      attempt.promptChars !== null &&
      this.#slotAttempts < this.#triesPerSample;
    if (retry) return;
    if (attempt.status === 'tagged') this.#tagged++;
    else this.#failed++;
    this.#position++;
    this.#slotAttempts = 0;
  }
}

function checkSpec(spec: TaggingRunSpec) {
  if (!Number.isInteger(spec.maxAttemptsPerSample) || spec.maxAttemptsPerSample < 1) {
    throw new Error(
      `maxAttemptsPerSample: must be a positive whole number, got ${spec.maxAttemptsPerSample}`,
    );
  }
  if (!(spec.maxPromptTokens > 0)) {
    throw new Error(`maxPromptTokens: must be positive, got ${spec.maxPromptTokens}`);
  }
  const seen = new Set<string>();
  spec.sampleIds.forEach((id, i) => {
    if (seen.has(id)) throw new Error(`sampleIds[${i}]: "${id}" occurs twice`);
    seen.add(id);
  });
}

export interface VocabularyEntry {
  /** The canonical skill name. */
  name: string;
  /** Tagged samples carrying it. */
  samples: number;
  /** Raw tags written differently that were merged into it, most frequent first. */
  merged: string[];
}

export interface RunTags {
  /** The controlled vocabulary, most frequent first (ties by name). */
  vocabulary: VocabularyEntry[];
  /** Raw tags with nothing left after cleaning (`normaliseTags`). */
  dropped: string[];
  /** Tagged sample id → its canonical skills, in the order the model gave them, repeats merged. */
  skillsOf: Map<string, string[]>;
}

/**
 * Merges the open tags of a run's tagged attempts into a controlled vocabulary (`normaliseTags`
 * over every raw tag) and gives each tagged sample its canonical skills.
 */
export function mergeRunTags(attempts: readonly TaggingAttempt[]): RunTags {
  const tagged = attempts.filter((a) => a.status === 'tagged' && a.tags !== null);
  const { mapping, dropped } = normaliseTags(tagged.flatMap((a) => a.tags!));
  const skillsOf = new Map<string, string[]>();
  const samples = new Map<string, number>();
  const rawCounts = new Map<string, number>();
  for (const attempt of tagged) {
    const skills: string[] = [];
    for (const raw of attempt.tags!) {
      rawCounts.set(raw, (rawCounts.get(raw) ?? 0) + 1);
      const name = mapping.get(raw);
      if (name !== undefined && !skills.includes(name)) skills.push(name);
    }
    for (const name of skills) samples.set(name, (samples.get(name) ?? 0) + 1);
    skillsOf.set(attempt.sampleId, skills);
  }
  const merged = new Map<string, string[]>();
  for (const [raw, name] of mapping) {
    if (raw === name) continue;
    const list = merged.get(name);
    if (list) list.push(raw);
    else merged.set(name, [raw]);
  }
  const vocabulary = [...samples]
    .map(([name, count]) => ({
      name,
      samples: count,
      merged: (merged.get(name) ?? []).sort(
        (a, b) => rawCounts.get(b)! - rawCounts.get(a)! || (a < b ? -1 : a > b ? 1 : 0),
      ),
    }))
    .sort((a, b) => b.samples - a.samples || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { vocabulary, dropped, skillsOf };
}
