import type { ChatMessage } from '../corpus/sample';
import { TRUNCATION_MARKER } from './prompts';

/**
 * A conversation as `User: …` / `Assistant: …` lines for a prompt that shows it (tagging, the
 * coverage check). System messages are left out; when the turns hold more than `maxChars`
 * characters, every turn is cut to the same share of its length, followed by ` […]`.
 */
export function renderTranscript(messages: readonly ChatMessage[], maxChars: number): string {
  const turns = messages.filter((m) => m.role !== 'system');
  if (turns.length === 0) throw new Error('the conversation has no user or assistant turn');
  const total = turns.reduce((n, m) => n + m.content.length, 0);
  const share = total > maxChars ? maxChars / total : 1;
  return turns
    .map((m) => {
      const keep = Math.floor(m.content.length * share);
      const text =
        keep < m.content.length
          ? m.content.slice(0, keep).trimEnd() + TRUNCATION_MARKER
          : m.content;
      return `${m.role === 'user' ? 'User' : 'Assistant'}: ${text}`;
    })
    .join('\n');
}

export const TRANSCRIPT_MAX_CHARS = 4000;
export const TRANSCRIPT_MIN_CHARS = 200;
const TRANSCRIPT_CHAR_STEP = 200;

/**
 * The prompt built with the longest transcript (in steps of 200 characters, from 4,000 down to
 * 200) whose system + user text fits `maxPromptTokens`; null when even 200 characters do not fit.
 */
export function fitTranscriptPrompt(
  build: (maxChars: number) => ChatMessage[],
  maxPromptTokens: number,
  countTokens: (text: string) => number,
): { messages: ChatMessage[]; maxChars: number } | null {
  for (
    let maxChars = TRANSCRIPT_MAX_CHARS;
    maxChars >= TRANSCRIPT_MIN_CHARS;
    maxChars -= TRANSCRIPT_CHAR_STEP
  ) {
    const messages = build(maxChars);
    const tokens = messages.reduce((n, m) => n + countTokens(m.content), 0);
    if (tokens <= maxPromptTokens) return { messages, maxChars };
  }
  return null;
}
