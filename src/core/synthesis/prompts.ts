import type { ChatMessage } from '../corpus/sample';

/**
 * Synthesis prompts: versioned templates with `{{k}}`, `{{skills}}` and `{{examples}}`
 * placeholders, and the rendering of one combination's atomic examples into them, cut to a token
 * budget. The exact format is documented in README.md (a fixture model is trained on it).
 */
export type TemplateKind = 'fusion' | 'agentic' | 'agentic-check';

export interface PromptTemplate {
  id: string;
  kind: TemplateKind;
  version: number;
  system: string;
  user: string;
}

/** One real corpus sample standing for one skill of the combination. */
export interface AtomicExample {
  skill: string;
  sampleId: string;
  messages: ChatMessage[];
}

export interface PromptBudget {
  /** For system + user text as `countTokens` counts them; leave room for the chat template. */
  maxPromptTokens: number;
  countTokens: (text: string) => number;
  /** A cut turn keeps at least this many characters (default `DEFAULT_FLOOR_CHARS`). */
  floorChars?: number;
}

export const placeholderNames = ['k', 'skills', 'examples'] as const;
export type PlaceholderName = (typeof placeholderNames)[number];

/** What each kind must contain, in system or user text, to do its job. */
export const requiredPlaceholders: Record<TemplateKind, readonly PlaceholderName[]> = {
  fusion: ['skills', 'examples'],
  agentic: ['skills', 'examples'],
  'agentic-check': ['skills'],
};

export const DEFAULT_FLOOR_CHARS = 120;
export const TRUNCATION_MARKER = ' […]';

const JSON_ANSWER = `Answer with a JSON array of messages only, like:
[{"role": "user", "content": "..."}, {"role": "assistant", "content": "..."}]
Roles alternate, starting with "user" and ending with "assistant". No text before or after the array.`;

const WRITER_SYSTEM = 'You write training data for chat assistants. You answer with JSON only.';

export const defaultTemplates: Record<TemplateKind, PromptTemplate> = {
  fusion: {
    id: 'steps-fusion',
    kind: 'fusion',
    version: 1,
    system: WRITER_SYSTEM,
    user: `Here are {{k}} example conversations. Each one shows a different skill.

{{examples}}

Write ONE new conversation between a user and an assistant that needs all {{k}} skills at the same time: {{skills}}.
The user asks for one realistic task that combines the skills. The assistant's answers use every skill and are correct and complete. Do not copy the examples.

${JSON_ANSWER}`,
  },
  agentic: {
    id: 'steps-agentic',
    kind: 'agentic',
    version: 1,
    system: WRITER_SYSTEM,
    user: `Here are {{k}} example conversations. Each one shows a different skill.

{{examples}}

Write ONE new conversation in which a user gives an agent a concrete task that needs all {{k}} skills: {{skills}}.
The user's first message includes the data to work on, written out in full: a small table, a JSON document or a log excerpt. The assistant first lists a short plan, then carries it out on that data and gives the result.

${JSON_ANSWER}`,
  },
  'agentic-check': {
    id: 'steps-agentic-check',
    kind: 'agentic-check',
    version: 1,
    system: 'You judge tasks for agent workflows. You answer with JSON only.',
    user: `Skills: {{skills}}

Can one concrete task that needs all of these skills be solved by an agent working step by step on given data (a table, a JSON document or a log)?
Answer with one JSON object only: {"suitable": true, "reason": "<one sentence>"} or {"suitable": false, "reason": "<one sentence>"}.`,
  },
};

export class TemplateError extends Error {
  override name = 'TemplateError';
}

/** Thrown when even examples cut to the floor do not fit the budget. */
export class PromptBudgetError extends Error {
  override name = 'PromptBudgetError';
  constructor(
    readonly neededTokens: number,
    readonly maxPromptTokens: number,
  ) {
    super(
      `prompt needs ${neededTokens} tokens with every example cut to the floor, ` +
        `but the budget is ${maxPromptTokens}`,
    );
  }
}

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

function isPlaceholderName(name: string): name is PlaceholderName {
  return (placeholderNames as readonly string[]).includes(name);
}

/** Throws a TemplateError naming the first problem: an unknown or a missing placeholder. */
export function validateTemplate(template: PromptTemplate): void {
  const present = new Set<string>();
  for (const [field, text] of [
    ['system', template.system],
    ['user', template.user],
  ] as const) {
    for (const match of text.matchAll(PLACEHOLDER)) {
      if (!isPlaceholderName(match[1])) {
        throw new TemplateError(
          `template "${template.id}" v${template.version}: ${field} text has unknown placeholder ` +
            `{{${match[1]}}} (allowed: ${placeholderNames.map((n) => `{{${n}}}`).join(', ')})`,
        );
      }
      present.add(match[1]);
    }
  }
  for (const name of requiredPlaceholders[template.kind]) {
    if (!present.has(name)) {
      throw new TemplateError(
        `template "${template.id}" v${template.version}: missing placeholder {{${name}}} ` +
          `(a ${template.kind} template needs ${requiredPlaceholders[template.kind]
            .map((n) => `{{${n}}}`)
            .join(' and ')})`,
      );
    }
  }
}

/**
 * A user's edit of `current`: id `user-<kind>`, version one above `current`'s, validated.
 * Resetting to the default is `defaultTemplates[kind]` itself (its own id and version).
 */
export function editTemplate(
  current: PromptTemplate,
  edit: { system?: string; user?: string },
): PromptTemplate {
  const next: PromptTemplate = {
    id: `user-${current.kind}`,
    kind: current.kind,
    version: current.version + 1,
    system: edit.system ?? current.system,
    user: edit.user ?? current.user,
  };
  validateTemplate(next);
  return next;
}

/** How much of each example is shown: all turns, the first pair whole, or the first pair cut. */
type Shown = { kind: 'all' } | { kind: 'first-pair' } | { kind: 'cut'; permille: number };

function cutText(text: string, keep: number): string {
  if (text.length <= keep) return text;
  let end = keep;
  // Never split a surrogate pair.
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  // End at a word boundary when one is near.
  const space = text.slice(0, end).search(/\s\S*$/);
  if (space > 0 && end - space <= 30) end = space;
  return text.slice(0, end).trimEnd() + TRUNCATION_MARKER;
}

/** The turns rendered for an example: system messages are never shown. */
function conversationTurns(example: AtomicExample): ChatMessage[] {
  return example.messages.filter((m) => m.role !== 'system');
}

function firstPair(turns: ChatMessage[]): ChatMessage[] {
  const user = turns.findIndex((m) => m.role === 'user');
  const assistant = turns.findIndex((m, i) => i > user && m.role === 'assistant');
  return assistant < 0 ? turns.slice(user, user + 1) : [turns[user], turns[assistant]];
}

function renderExample(example: AtomicExample, shown: Shown, floorChars: number): string {
  const turns = conversationTurns(example);
  const kept = shown.kind === 'all' ? turns : firstPair(turns);
  const lines = [`### Skill: ${example.skill}`];
  for (const turn of kept) {
    const label = turn.role === 'user' ? 'User' : 'Assistant';
    const text =
      shown.kind === 'cut'
        ? cutText(
            turn.content,
            Math.max(floorChars, Math.floor((turn.content.length * shown.permille) / 1000)),
          )
        : turn.content;
    lines.push(`${label}: ${text}`);
  }
  const omitted = turns.length - kept.length;
  if (omitted > 0) lines.push(`[… ${omitted} more turn${omitted === 1 ? '' : 's'} omitted]`);
  return lines.join('\n');
}

function renderAll(examples: AtomicExample[], shown: Shown, floorChars: number): string {
  return examples.map((e) => renderExample(e, shown, floorChars)).join('\n\n');
}

/** The example block as `{{examples}}` receives it untruncated: examples separated by a blank line. */
export function renderExamples(examples: AtomicExample[]): string {
  return renderAll(examples, { kind: 'all' }, DEFAULT_FLOOR_CHARS);
}

function fill(text: string, values: Record<PlaceholderName, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    isPlaceholderName(name) ? values[name] : whole,
  );
}

/** Examples need a user turn only when the template shows them. */
function checkExamples(examples: AtomicExample[], shown: boolean): void {
  if (examples.length === 0) throw new Error('examples: at least one atomic example is needed');
  const seen = new Set<string>();
  examples.forEach((example, i) => {
    if (seen.has(example.skill)) {
      throw new Error(`examples[${i}]: skill "${example.skill}" appears twice`);
    }
    seen.add(example.skill);
    if (shown && !example.messages.some((m) => m.role === 'user')) {
      throw new Error(`examples[${i}] (sample ${example.sampleId}): no user turn to show`);
    }
  });
}

/**
 * The chat messages for one combination: `system` (omitted when the template's is empty) and
 * `user`, placeholders filled. When system + user exceed the budget, each example is reduced in
 * steps until it fits: first only its first user/assistant pair is kept, then every kept turn is
 * cut to the same share of its length (never below `floorChars`), the largest share that fits
 * (found by bisection in steps of 1/1000). Throws PromptBudgetError when nothing fits.
 */
export function buildSynthesisMessages(
  template: PromptTemplate,
  examples: AtomicExample[],
  budget: PromptBudget,
): { messages: ChatMessage[]; truncated: boolean } {
  validateTemplate(template);
  checkExamples(examples, `${template.system}${template.user}`.includes('{{examples}}'));
  const floorChars = budget.floorChars ?? DEFAULT_FLOOR_CHARS;
  if (!Number.isInteger(floorChars) || floorChars < 1) {
    throw new Error(`budget.floorChars: must be a positive integer, got ${floorChars}`);
  }
  const base = { k: String(examples.length), skills: examples.map((e) => e.skill).join(', ') };
  const render = (shown: Shown) => {
    const values = { ...base, examples: renderAll(examples, shown, floorChars) };
    const system = fill(template.system, values);
    const user = fill(template.user, values);
    return { system, user, tokens: budget.countTokens(system) + budget.countTokens(user) };
  };
  const finish = (prompt: { system: string; user: string }, truncated: boolean) => ({
    messages: [
      ...(prompt.system === '' ? [] : [{ role: 'system' as const, content: prompt.system }]),
      { role: 'user' as const, content: prompt.user },
    ],
    truncated,
  });

  const whole = render({ kind: 'all' });
  if (whole.tokens <= budget.maxPromptTokens) return finish(whole, false);
  const pairs = render({ kind: 'first-pair' });
  if (pairs.tokens <= budget.maxPromptTokens) return finish(pairs, true);

  const smallest = render({ kind: 'cut', permille: 0 });
  if (smallest.tokens > budget.maxPromptTokens) {
    throw new PromptBudgetError(smallest.tokens, budget.maxPromptTokens);
  }
  // Invariant: permille `low` fits, `high` does not (1000 = the first pairs whole).
  let low = 0;
  let best = smallest;
  let high = 1000;
  while (high - low > 1) {
    const mid = (low + high) >>> 1;
    const attempt = render({ kind: 'cut', permille: mid });
    if (attempt.tokens <= budget.maxPromptTokens) {
      low = mid;
      best = attempt;
    } else {
      high = mid;
    }
  }
  return finish(best, true);
}
