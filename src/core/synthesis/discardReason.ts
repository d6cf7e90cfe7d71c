import { PromptBudgetError } from './prompts';

/**
 * Why a synthesis attempt was discarded, as data: the run records it, `describeDiscard` renders
 * the one text the app, the CLI and the dataset card show, and `groupDiscardReasons` counts
 * attempts by `code`.
 */
export type DiscardReason =
  /** The atomic draw found no corpus sample tagged with these skills. */
  | { code: 'no-atomic-sample'; skills: string[] }
  /** The prompt does not fit the run's budget even with every example cut to the floor. */
  | { code: 'prompt-budget'; neededTokens: number; maxPromptTokens: number }
  /** The agentic check's answer could not be read. */
  | { code: 'agentic-check-unreadable'; problem: string }
  /** The agentic check judged the combination unsuited to an agent task, for the model's reason. */
  | { code: 'not-agentic'; reason: string }
  /** The answer is not a valid conversation (the parser's words). */
  | { code: 'unparseable'; problem: string }
  /** Too similar to a corpus sample (the novelty gate). */
  | { code: 'not-novel'; seedId: string | null; similarity: number }
  | { code: 'exact-duplicate'; of: string }
  | { code: 'near-duplicate'; of: string; similarity: number }
  /** The coverage check's prompt does not fit the budget. */
  | { code: 'coverage-budget'; neededTokens: number; maxPromptTokens: number }
  /** The coverage check's answer could not be read. */
  | { code: 'coverage-unreadable'; problem: string }
  /** The model found fewer of the combination's skills than the coverage gate requires. */
  | { code: 'too-few-skills'; covered: number; skills: number; needed: number; missing: string[] };

export type DiscardCode = DiscardReason['code'];

/** A reason as stored: attempts recorded before reasons were typed carry only their text. */
export type RecordedDiscardReason = DiscardReason | string;

/** The code a recorded reason is grouped under; a reason stored as text is `other`. */
export type DiscardGroupCode = DiscardCode | 'other';

/** What each code means, as the group's name in lists and in the dataset card. */
const GROUP_NAMES = new Map<DiscardCode, string>([
  ['no-atomic-sample', 'no corpus sample carries a skill of the combination'],
  ['prompt-budget', 'the prompt does not fit the prompt budget'],
  ['agentic-check-unreadable', 'agentic check answer unreadable'],
  ['not-agentic', 'combination not suited to an agent task (agentic check)'],
  ['unparseable', 'the answer is not a valid conversation'],
  ['not-novel', 'too similar to a corpus sample (novelty gate)'],
  ['exact-duplicate', 'exact duplicate of a kept sample'],
  ['near-duplicate', 'near duplicate of a kept sample'],
  ['coverage-budget', 'coverage check does not fit the prompt budget'],
  ['coverage-unreadable', 'coverage check answer unreadable'],
  ['too-few-skills', 'too few skills covered (coverage gate)'],
]);

/** The full text of a reason, with its particulars. */
export function describeDiscard(reason: RecordedDiscardReason): string {
  if (typeof reason === 'string') return reason;
  switch (reason.code) {
    case 'no-atomic-sample':
      return `no corpus sample carries ${reason.skills.join(', ')}`;
    case 'prompt-budget':
      return `${new PromptBudgetError(reason.neededTokens, reason.maxPromptTokens).message}; raise the prompt budget`;
    case 'agentic-check-unreadable':
      return `agentic check unreadable: ${reason.problem}`;
    case 'not-agentic':
      return `not suited to an agent task: ${reason.reason}`;
    case 'unparseable':
      return reason.problem;
    case 'not-novel':
      return `too similar to corpus sample ${reason.seedId} (estimated Jaccard ${reason.similarity.toFixed(2)})`;
    case 'exact-duplicate':
      return `exact duplicate of ${reason.of}`;
    case 'near-duplicate':
      return `near duplicate of ${reason.of} (estimated Jaccard ${reason.similarity.toFixed(2)})`;
    case 'coverage-budget':
      return `coverage check: the skills and conversation do not fit the prompt budget (${new PromptBudgetError(reason.neededTokens, reason.maxPromptTokens).message})`;
    case 'coverage-unreadable':
      return `coverage check unreadable: ${reason.problem}`;
    case 'too-few-skills':
      return (
        `covers ${reason.covered} of ${reason.skills} skills, ${reason.needed} needed ` +
        `(missing: ${reason.missing.join(', ')})`
      );
  }
}

export interface DiscardGroup {
  code: DiscardGroupCode;
  /** What the group's attempts have in common. */
  reason: string;
  count: number;
  /** The full text of one reason of the group. */
  example: string;
}

const NO_REASON = 'no reason recorded';

/**
 * Discarded attempts counted by code, most frequent first (ties by name). Reasons stored as text
 * (before reasons had codes) are grouped under `other` by their text with quoted parts and numbers
 * blanked, so old runs still group sensibly.
 */
export function groupDiscardReasons(
  reasons: Iterable<RecordedDiscardReason | null>,
): DiscardGroup[] {
  const groups = new Map<string, DiscardGroup>();
  for (const recorded of reasons) {
    const reason = recorded ?? NO_REASON;
    const code: DiscardGroupCode = typeof reason === 'string' ? 'other' : reason.code;
    const name =
      typeof reason === 'string'
        ? reason.replace(/"[^"]*"/g, '"…"').replace(/\d+(\.\d+)?/g, 'N')
        : (GROUP_NAMES.get(reason.code) ?? reason.code);
    const key = `${code}\n${name}`;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { code, reason: name, count: 1, example: describeDiscard(reason) });
  }
  return [...groups.values()].sort(
    (a, b) => b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0),
  );
}
