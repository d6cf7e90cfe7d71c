/**
 * Prompt/answer pairs for the fixture model, built with the app's own prompt code
 * (src/core/synthesis) over the demo corpus, so the model learns the exact format the synthesis,
 * tagging and naming steps send. Seeded; held-out fusion combinations never occur in training.
 */
import { readFileSync } from 'node:fs';
import type { ChatMessage } from '../../src/core/corpus/sample';
import { mulberry32 } from '../../src/core/random/mulberry32';
import {
  assignAtomicSamples,
  drawAtomicExamples,
  type AtomicAssignment,
} from '../../src/core/synthesis/atomicAssignment';
import {
  buildSynthesisMessages,
  defaultTemplates,
  PromptBudgetError,
  type AtomicExample,
  type PromptTemplate,
} from '../../src/core/synthesis/prompts';
import { buildTaggingMessages } from '../../src/core/tagging/tagging';
import { buildNamingMessages } from '../../src/core/taxonomy/naming';
import { buildCoverageMessages } from '../../src/core/synthesis/coverage';
import { fitTranscriptPrompt } from '../../src/core/synthesis/transcript';
import {
  agenticAnswer,
  agenticCheckAnswer,
  coverageAnswer,
  fusionAnswer,
  suitsAgent,
  namingAnswer,
  taggingAnswer,
} from './answers';

export type ExampleKind =
  'fusion' | 'agentic' | 'agentic-check' | 'tagging' | 'naming' | 'coverage';

export interface FixtureExample {
  id: string;
  split: 'train' | 'heldout';
  kind: ExampleKind;
  skills: string[];
  /** The chat messages the app sends (system + user). */
  prompt: ChatMessage[];
  /** The assistant text the model is trained to produce (JSON). */
  answer: string;
}

export interface DemoSample {
  id: string;
  messages: ChatMessage[];
  skills: string[];
}

export function readDemoCorpus(path: string): DemoSample[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const row = JSON.parse(line) as Partial<DemoSample>;
      if (
        typeof row.id !== 'string' ||
        !Array.isArray(row.messages) ||
        !Array.isArray(row.skills)
      ) {
        throw new Error(`${path}:${i + 1}: expected {id, messages, skills}`);
      }
      return row as DemoSample;
    });
}

export interface GenerationOptions {
  seed: number;
  trainCount: number;
  /** Held-out prompts per kind. */
  heldout: Record<ExampleKind, number>;
  /** Largest prompt (system + user tokens) sent to the model; the app's budget. */
  maxPromptTokens: number;
  /** Smallest budget drawn for training prompts, so the model sees every prompt length. */
  minPromptTokens: number;
  countTokens: (text: string) => number;
}

/** Share of each kind among training examples. */
export const KIND_WEIGHTS: [ExampleKind, number][] = [
  ['fusion', 0.57],
  ['agentic', 0.12],
  ['tagging', 0.08],
  ['coverage', 0.1],
  ['agentic-check', 0.08],
  ['naming', 0.05],
];

export const templatesUsed: PromptTemplate[] = [
  defaultTemplates.fusion,
  defaultTemplates.agentic,
  defaultTemplates['agentic-check'],
];

function pickKind(random: () => number): ExampleKind {
  let r = random();
  for (const [kind, weight] of KIND_WEIGHTS) {
    if (r < weight) return kind;
    r -= weight;
  }
  return 'fusion';
}

function shuffledPrefix<T>(items: readonly T[], count: number, random: () => number): T[] {
  const copy = [...items];
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, count);
}

const setKey = (skills: readonly string[]) => [...skills].sort().join('|');

export function generateExamples(
  corpus: DemoSample[],
  options: GenerationOptions,
): FixtureExample[] {
  const random = mulberry32(options.seed);
  const assignment: AtomicAssignment = assignAtomicSamples(corpus, { seed: options.seed });
  const byId = new Map(corpus.map((sample) => [sample.id, sample]));
  const skills = [...assignment.own.keys()].sort();
  const budgetFor = (split: 'train' | 'heldout') =>
    split === 'heldout' || random() < 0.5
      ? options.maxPromptTokens
      : options.minPromptTokens +
        Math.floor(random() * (options.maxPromptTokens - options.minPromptTokens + 1));
  const fitsBudget = (messages: ChatMessage[]) =>
    messages.reduce((n, m) => n + options.countTokens(m.content), 0) <= options.maxPromptTokens;

  const heldoutSets = new Set<string>();
  const combination = (split: 'train' | 'heldout', k: number): string[] => {
    for (;;) {
      const chosen = shuffledPrefix(skills, k, random);
      const key = setKey(chosen);
      if (split === 'train' && heldoutSets.has(key)) continue;
      if (split === 'heldout') {
        if (heldoutSets.has(key)) continue;
        heldoutSets.add(key);
      }
      return chosen;
    }
  };

  const synthesis = (
    split: 'train' | 'heldout',
    kind: 'fusion' | 'agentic' | 'agentic-check',
    k: number,
  ): Omit<FixtureExample, 'id'> | null => {
    // Verdicts are balanced: half the checks get a combination that suits an agent.
    const wantSuitable = kind === 'agentic-check' ? random() < 0.5 : null;
    let chosen = combination(split, k);
    while (wantSuitable !== null && suitsAgent(chosen) !== wantSuitable) {
      chosen = combination(split, k);
    }
    const { picks, missing } = drawAtomicExamples(assignment, chosen, random);
    if (missing.length > 0) return null;
    const examples: AtomicExample[] = picks.map((p) => ({
      skill: p.skill,
      sampleId: p.sampleId,
      messages: byId.get(p.sampleId)!.messages,
    }));
    let prompt: ChatMessage[];
    try {
      prompt = buildSynthesisMessages(defaultTemplates[kind], examples, {
        maxPromptTokens: budgetFor(split),
        countTokens: options.countTokens,
      }).messages;
    } catch (error) {
      if (error instanceof PromptBudgetError) return null;
      throw error;
    }
    const answer =
      kind === 'fusion'
        ? fusionAnswer(chosen, random)
        : kind === 'agentic'
          ? agenticAnswer(chosen, random)
          : agenticCheckAnswer(chosen);
    return { split, kind, skills: chosen, prompt, answer };
  };

  const tagging = (split: 'train' | 'heldout'): Omit<FixtureExample, 'id'> | null => {
    const sample = corpus[Math.floor(random() * corpus.length)];
    // The longest shown text (in steps of 200 characters) that fits the budget.
    for (let maxChars = 1600; maxChars >= 400; maxChars -= 200) {
      const prompt = buildTaggingMessages(sample.messages, maxChars);
      if (fitsBudget(prompt)) {
        return {
          split,
          kind: 'tagging',
          skills: sample.skills,
          prompt,
          answer: taggingAnswer(sample.skills),
        };
      }
    }
    return null;
  };

  const naming = (split: 'train' | 'heldout'): Omit<FixtureExample, 'id'> => {
    const chosen = shuffledPrefix(skills, 2 + Math.floor(random() * 4), random);
    return {
      split,
      kind: 'naming',
      skills: chosen,
      prompt: buildNamingMessages(chosen),
      answer: namingAnswer(chosen),
    };
  };

  // A fusion answer for the combination, or (40 %) for it without one skill, judged against all.
  const coverage = (split: 'train' | 'heldout', k: number): Omit<FixtureExample, 'id'> | null => {
    const chosen = combination(split, k);
    const shown = random() < 0.4 ? chosen.filter((_, i) => i !== Math.floor(random() * k)) : chosen;
    const conversation = JSON.parse(fusionAnswer(shown, random)) as ChatMessage[];
    const fitted = fitTranscriptPrompt(
      (maxChars) => buildCoverageMessages(chosen, conversation, maxChars),
      budgetFor(split),
      options.countTokens,
    );
    if (!fitted) return null;
    return {
      split,
      kind: 'coverage',
      skills: chosen,
      prompt: fitted.messages,
      answer: coverageAnswer(chosen, shown),
    };
  };

  const make = (split: 'train' | 'heldout', kind: ExampleKind, k: number) =>
    kind === 'tagging'
      ? tagging(split)
      : kind === 'naming'
        ? naming(split)
        : kind === 'coverage'
          ? coverage(split, k)
          : synthesis(split, kind, k);

  const out: FixtureExample[] = [];
  let skipped = 0;
  const push = (example: Omit<FixtureExample, 'id'> | null) => {
    if (example) {
      out.push({ id: `${example.split}-${String(out.length).padStart(5, '0')}`, ...example });
    } else if (++skipped > 10 * (out.length + 100)) {
      // Prompts that do not fit are skipped; when most do not, the budget is too small.
      throw new Error(`maxPromptTokens ${options.maxPromptTokens}: most prompts do not fit`);
    }
    return example !== null;
  };

  // Held-out prompts first, so their skill sets are known before any training combination is drawn.
  for (const [kind, count] of Object.entries(options.heldout) as [ExampleKind, number][]) {
    for (let i = 0; i < count;) {
      if (push(make('heldout', kind, 2 + (i % 3)))) i++;
    }
  }
  while (
    out.length <
    options.trainCount + Object.values(options.heldout).reduce((a, b) => a + b, 0)
  ) {
    push(make('train', pickKind(random), 2 + Math.floor(random() * 3)));
  }
  return out;
}
