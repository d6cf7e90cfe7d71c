import type { ChatMessage } from './sample';
import { RowRejection } from './errors';
import { fieldOf, isRow, type Row, type ShapeGuess } from './shape';
import { unfoldTranscript } from './stepsExport';

type Role = ChatMessage['role'];

/** ShareGPT speaker names (lower case) and the chat role each one means. */
const SPEAKER_ROLES = new Map<string, Role>([
  ['human', 'user'],
  ['user', 'user'],
  ['gpt', 'assistant'],
  ['assistant', 'assistant'],
  ['chatgpt', 'assistant'],
  ['bard', 'assistant'],
  ['bing', 'assistant'],
  ['model', 'assistant'],
  ['system', 'system'],
]);

/** OpenAI roles; `developer` is the newer name for `system`. */
const MESSAGE_ROLES = new Map<string, Role>([
  ['system', 'system'],
  ['developer', 'system'],
  ['user', 'user'],
  ['assistant', 'assistant'],
]);

function reject(reason: string): never {
  throw new RowRejection(reason);
}

/** A text field: '' when absent or null; rejects any other type. */
function optionalText(row: Row, field: string): string {
  const value = fieldOf(row, field);
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') return reject(`field "${field}" must be a string`);
  return value;
}

function requiredText(row: Row, field: string): string {
  const present = fieldOf(row, field);
  if (present === undefined || present === null) return reject(`missing field "${field}"`);
  const value = optionalText(row, field);
  if (value.trim() === '') return reject(`no usable text: field "${field}" is empty`);
  return value;
}

function promptAndResponse(prompt: string, response: string): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'user', content: prompt }];
  if (response.trim() !== '') messages.push({ role: 'assistant', content: response });
  return messages;
}

function conversationMessages(row: Row): ChatMessage[] {
  const turns = row.conversations;
  const wrongType = 'field "conversations" must be an array of {from, value}';
  if (turns === undefined || turns === null) return reject('missing field "conversations"');
  if (!Array.isArray(turns)) return reject(wrongType);
  const messages: ChatMessage[] = [];
  for (let i = 0; i < turns.length; i++) {
    const turn: unknown = turns[i];
    if (!isRow(turn) || typeof turn.from !== 'string' || typeof turn.value !== 'string') {
      return reject(wrongType);
    }
    const role = SPEAKER_ROLES.get(turn.from.toLowerCase());
    if (role === undefined) {
      return reject(
        `field "conversations": turn ${i + 1} is from "${turn.from}", expected human/user, gpt/assistant or system`,
      );
    }
    messages.push({ role, content: turn.value });
  }
  return messages;
}

/** OpenAI content: a string or a list of parts, of which the text parts are kept. */
function messageContent(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const texts: string[] = [];
  for (const part of content as unknown[]) {
    if (!isRow(part)) return undefined;
    if (part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
  }
  return texts.join('\n');
}

function openaiMessages(row: Row): ChatMessage[] {
  const list = row.messages;
  const wrongType = 'field "messages" must be an array of {role, content}';
  if (list === undefined || list === null) return reject('missing field "messages"');
  if (!Array.isArray(list)) return reject(wrongType);
  const messages: ChatMessage[] = [];
  for (let i = 0; i < list.length; i++) {
    const message: unknown = list[i];
    if (!isRow(message) || typeof message.role !== 'string') return reject(wrongType);
    const role = MESSAGE_ROLES.get(message.role);
    if (role === undefined) {
      return reject(
        `field "messages": message ${i + 1} has role "${message.role}", expected system, user or assistant`,
      );
    }
    const content = messageContent(message.content);
    if (content === undefined) return reject(wrongType);
    messages.push({ role, content });
  }
  return messages;
}

function hasUserText(messages: ChatMessage[]): boolean {
  return messages.some((message) => message.role === 'user' && message.content.trim() !== '');
}

/**
 * Alpaca's messages: a system message from `system` (the field LLaMA-Factory reads), then the
 * instruction with `input` joined after a blank line, and the output. In a STEPS export
 * (`stepsExport`), an `input` that is a transcript holds the earlier turns (stepsExport.ts).
 */
function alpacaMessages(row: Row, stepsExport: boolean): ChatMessage[] {
  const instruction = requiredText(row, 'instruction');
  const input = optionalText(row, 'input');
  const system = optionalText(row, 'system');
  const earlier = stepsExport ? unfoldTranscript(input) : null;
  const prompt =
    earlier !== null || input.trim() === '' ? instruction : `${instruction}\n\n${input}`;
  return [
    ...(system === '' ? [] : [{ role: 'system' as const, content: system }]),
    ...(earlier ?? []),
    ...promptAndResponse(prompt, optionalText(row, 'output')),
  ];
}

/**
 * The chat messages of one row in the detected layout. Throws RowRejection naming the field when
 * the row does not fit.
 */
export function messagesOf(row: Row, guess: ShapeGuess, stepsExport = false): ChatMessage[] {
  switch (guess.shape) {
    case 'infinity-instruct':
    case 'sharegpt':
    case 'openai': {
      const messages = guess.shape === 'openai' ? openaiMessages(row) : conversationMessages(row);
      if (!hasUserText(messages)) {
        return reject(`no usable text: no user turn with text in "${guess.textFields[0]}"`);
      }
      return messages;
    }
    case 'ifeval':
      return promptAndResponse(requiredText(row, 'prompt'), '');
    case 'alpaca':
    case 'instruct-skillmix':
      return alpacaMessages(row, stepsExport);
    case 'generic': {
      const [promptField, responseField] = guess.textFields;
      const response = responseField === undefined ? '' : optionalText(row, responseField);
      return promptAndResponse(requiredText(row, promptField), response);
    }
  }
}
