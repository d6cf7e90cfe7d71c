import type { ChatMessage } from '../corpus/sample';
import { PromptBudgetError } from './prompts';

export interface TokenCounting {
  /** The real budget for the prompt's system + user text. */
  maxPromptTokens: number;
  /** A quick count: exact, or an estimate when `tokenCounts` is given. */
  countTokens: (text: string) => number;
  /** Exact counts by the model's tokenizer, when the engine has it. */
  tokenCounts?: (texts: string[]) => Promise<number[]>;
}

const total = (counts: number[]) => counts.reduce((a, b) => a + b, 0);

/**
 * The prompt `build` makes for a budget in `countTokens`' units. With exact counts at hand, each
 * prompt is measured and the quick budget searched for the longest prompt within the real
 * budget: scaled by estimate / exact until one budget fits and one does not, then interpolated
 * between the two (at most eight rounds; done within 5 % of the budget). Without them the quick
 * count decides. `build` throws PromptBudgetError when nothing fits its budget; so does this,
 * with the exact size of the smallest prompt, when no prompt fits the real budget.
 */
export async function fitPrompt<Prompt>(
  build: (quickBudget: number) => Prompt,
  messagesOf: (prompt: Prompt) => ChatMessage[],
  counting: TokenCounting,
): Promise<Prompt> {
  const { maxPromptTokens: budget, countTokens, tokenCounts } = counting;
  if (!tokenCounts) return build(budget);
  let fits: { quick: number; tokens: number; prompt: Prompt } | null = null;
  let over: { quick: number; tokens: number } | null = null;
  let smallestTokens = Infinity;
  let quick = budget;
  for (let round = 0; round < 8; round++) {
    let prompt: Prompt;
    try {
      prompt = build(quick);
    } catch (error) {
      // The estimate may over-count: measure the smallest prompt before giving up.
      if (!(error instanceof PromptBudgetError) || round > 0) throw error;
      quick = error.neededTokens;
      continue;
    }
    const texts = messagesOf(prompt).map((m) => m.content);
    const tokens = total(await tokenCounts(texts));
    smallestTokens = Math.min(smallestTokens, tokens);
    if (tokens <= budget) {
      if (!fits || tokens > fits.tokens) fits = { quick, tokens, prompt };
      if (tokens >= 0.95 * budget) break;
    } else if (!over || quick < over.quick) {
      over = { quick, tokens };
    }
    let next: number;
    if (fits && over) {
      if (over.quick - fits.quick <= 1) break;
      const step =
        ((budget - fits.tokens) * (over.quick - fits.quick)) / (over.tokens - fits.tokens);
      next = Math.min(over.quick - 1, Math.max(fits.quick + 1, Math.floor(fits.quick + step)));
    } else {
      const estimate = total(texts.map(countTokens));
      const margin = tokens > budget ? 0.97 : 1;
      next = Math.max(1, Math.floor((budget * estimate * margin) / tokens));
    }
    // The same budget again would build the same prompt (e.g. one that is not cut at all).
    if (next === quick) break;
    quick = next;
  }
  if (fits) return fits.prompt;
  throw new PromptBudgetError(smallestTokens, budget);
}
