import type { ChatMessage } from '../corpus/sample';
import { parseJsonValue } from './lenientJson';

export { parseJsonObject } from './lenientJson';

/**
 * A model's answer → a validated conversation. Parsing is lenient (see lenientJson.ts); the
 * conversation rules are strict, and every failure says exactly what is wrong.
 */
export interface ConversationLimits {
  /** User and assistant turns together (a leading system message is not counted). */
  maxTurns: number;
  maxTurnChars: number;
  /** All contents together, system message included. */
  maxTotalChars: number;
}

export const defaultConversationLimits: ConversationLimits = {
  maxTurns: 16,
  maxTurnChars: 12_000,
  maxTotalChars: 32_000,
};

export type ConversationParse =
  { ok: true; messages: ChatMessage[]; repaired: string[] } | { ok: false; reason: string };

const WRAPPER_FIELDS = ['messages', 'conversation', 'conversations'];

const ROLE_ALIASES: Record<string, ChatMessage['role']> = {
  user: 'user',
  human: 'user',
  assistant: 'assistant',
  gpt: 'assistant',
  bot: 'assistant',
  ai: 'assistant',
  model: 'assistant',
  chatbot: 'assistant',
  system: 'system',
};

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The message list inside the parsed value: the array itself, or a wrapper's field. */
function messageList(value: unknown, repaired: string[]): unknown[] | string {
  if (Array.isArray(value)) return value;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const field of WRAPPER_FIELDS) {
      if (Array.isArray(record[field])) {
        repaired.push(`unwrapped "${field}" field`);
        return record[field];
      }
    }
    return `expected a JSON array of messages, got an object without a ${WRAPPER_FIELDS.map(
      (f) => `"${f}"`,
    ).join(' or ')} array`;
  }
  return `expected a JSON array of messages, got ${describe(value)}`;
}

/**
 * Reads one message: `{role, content}`, or ShareGPT's `{from, value}`; role names are matched
 * ignoring case and through ROLE_ALIASES. Content is trimmed.
 */
function readMessage(item: unknown, turn: number, noted: Set<string>): ChatMessage | string {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return `turn ${turn} is ${describe(item)}, not a {"role", "content"} object`;
  }
  const record = item as Record<string, unknown>;
  let role = record.role;
  let content = record.content;
  if (role === undefined && content === undefined && 'from' in record && 'value' in record) {
    noted.add('ShareGPT keys from/value read as role/content');
    role = record.from;
    content = record.value;
  }
  if (typeof role !== 'string') {
    return role === undefined
      ? `turn ${turn} has no "role"`
      : `turn ${turn} has a "role" that is ${describe(role)}, not a string`;
  }
  if (typeof content !== 'string') {
    return content === undefined
      ? `turn ${turn} has no "content"`
      : `turn ${turn} has a "content" that is ${describe(content)}, not a string`;
  }
  const name = role.trim().toLowerCase();
  const canonical = ROLE_ALIASES[name];
  if (canonical === undefined) return `turn ${turn} has unknown role "${role}"`;
  if (name !== canonical) noted.add(`role "${name}" read as "${canonical}"`);
  else if (role !== canonical) noted.add(`role "${role}" read as "${canonical}"`);
  return { role: canonical, content: content.trim() };
}

/**
 * The first rule a conversation breaks, or null: an optional leading system message, then turns
 * alternating user/assistant, starting with user and ending with assistant (so at least one
 * pair), no empty (or whitespace-only) turn, within `limits`. Turns are numbered from 1 in order,
 * the system message included.
 */
export function conversationProblem(
  messages: readonly ChatMessage[],
  limits: Partial<ConversationLimits> = {},
): string | null {
  const { maxTurns, maxTurnChars, maxTotalChars } = { ...defaultConversationLimits, ...limits };
  if (messages.length === 0) return 'the conversation is empty (no turns)';
  const offset = messages[0].role === 'system' ? 1 : 0;
  let totalChars = 0;
  for (let index = 0; index < messages.length; index++) {
    const { role, content } = messages[index];
    const turn = index + 1;
    if (role === 'system' && index > 0) {
      return `turn ${turn} has role "system"; only turn 1 may be a system message`;
    }
    const expected = (index - offset) % 2 === 0 ? 'user' : 'assistant';
    if (role !== 'system' && role !== expected) {
      return `turn ${turn} has role "${role}" but "${expected}" was expected`;
    }
    if (content.trim() === '') return `turn ${turn} (${role}) is empty`;
    if (content.length > maxTurnChars) {
      return `turn ${turn} (${role}) has ${content.length} characters, more than the limit of ${maxTurnChars}`;
    }
    totalChars += content.length;
  }
  const last = messages[messages.length - 1];
  if (last.role === 'system') return 'the conversation has only a system message';
  if (last.role === 'user') {
    return `the conversation ends with a user turn (turn ${messages.length}); it must end with an assistant turn`;
  }
  const turns = messages.length - offset;
  if (turns > maxTurns)
    return `the conversation has ${turns} turns, more than the limit of ${maxTurns}`;
  if (totalChars > maxTotalChars) {
    return `the conversation has ${totalChars} characters, more than the limit of ${maxTotalChars}`;
  }
  return null;
}

/**
 * Parses a model's answer into a conversation (lenient, see lenientJson.ts) and checks it with
 * conversationProblem. Contents are trimmed.
 */
export function parseConversation(
  raw: string,
  limits: Partial<ConversationLimits> = {},
): ConversationParse {
  const parsed = parseJsonValue(raw, 'any');
  if (!parsed.ok) return parsed;
  const repaired = [...parsed.repaired];
  const list = messageList(parsed.value, repaired);
  if (typeof list === 'string') return { ok: false, reason: list };
  const noted = new Set<string>();
  const messages: ChatMessage[] = [];
  for (let index = 0; index < list.length; index++) {
    const message = readMessage(list[index], index + 1, noted);
    if (typeof message === 'string') return { ok: false, reason: message };
    messages.push(message);
  }
  const problem = conversationProblem(messages, limits);
  if (problem !== null) return { ok: false, reason: problem };
  return { ok: true, messages, repaired: [...repaired, ...noted] };
}
