// Model answers and what parseConversation makes of them: the parser's test collection, also
// read by the grammar test (jsonSchemaGrammar.test.ts), whose grammar must admit the valid ones.
import type { ChatMessage } from '../../../../src/core/corpus/sample';
import type { ConversationParse } from '../../../../src/core/synthesis/parseConversation';

export const pair: ChatMessage[] = [
  { role: 'user', content: 'Hi' },
  { role: 'assistant', content: 'Hello' },
];

export const conversationCases: [string, string, ConversationParse][] = [
  [
    'clean JSON',
    '[{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]',
    { ok: true, messages: pair, repaired: [] },
  ],
  [
    'fenced, with prose around it, a trailing comma and a code block inside a string',
    'Sure! Here is the conversation:\n```json\n[\n  {"role": "user", "content": "Fix this:\\n```py\\nprint(1\\n```"},\n  {"role": "assistant", "content": "Add the missing `)`."},\n]\n```\nLet me know if you need more.',
    {
      ok: true,
      messages: [
        { role: 'user', content: 'Fix this:\n```py\nprint(1\n```' },
        { role: 'assistant', content: 'Add the missing `)`.' },
      ],
      repaired: [
        'code fence removed',
        'text before the JSON removed',
        'text after the JSON removed',
        'trailing commas removed',
      ],
    },
  ],
  [
    'Python literal: single quotes with an apostrophe inside, True',
    "[{'role': 'user', 'content': \"It's late\"}, {'role': 'assistant', 'content': 'Sleep, then.', 'final': True}]",
    {
      ok: true,
      messages: [
        { role: 'user', content: "It's late" },
        { role: 'assistant', content: 'Sleep, then.' },
      ],
      repaired: ['single-quoted strings', 'Python constants True/False/None'],
    },
  ],
  [
    'cut off by max_tokens',
    '[{"role": "user", "content": "Compute 2+2"}, {"role": "assistant", "content": "It is',
    { ok: false, reason: 'output was cut off (no closing ])' },
  ],
  [
    'cut off between messages',
    '```json\n[{"role": "user", "content": "Compute 2+2"},',
    { ok: false, reason: 'output was cut off (no closing ])' },
  ],
  [
    'wrong roles',
    '[{"role": "user", "content": "a"}, {"role": "user", "content": "b"}]',
    { ok: false, reason: 'turn 2 has role "user" but "assistant" was expected' },
  ],
  [
    'starts with the assistant',
    '[{"role": "assistant", "content": "a"}, {"role": "user", "content": "b"}]',
    { ok: false, reason: 'turn 1 has role "assistant" but "user" was expected' },
  ],
  [
    'wrapped object with ShareGPT-style role names',
    '{"messages": [{"role": "human", "content": "a"}, {"role": "GPT", "content": "b"}]}',
    {
      ok: true,
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
      ],
      repaired: [
        'unwrapped "messages" field',
        'role "human" read as "user"',
        'role "gpt" read as "assistant"',
      ],
    },
  ],
  [
    'conversation wrapper with ShareGPT keys',
    '{"conversation": [{"from": "human", "value": "a"}, {"from": "bot", "value": "b"}]}',
    {
      ok: true,
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
      ],
      repaired: [
        'unwrapped "conversation" field',
        'ShareGPT keys from/value read as role/content',
        'role "human" read as "user"',
        'role "bot" read as "assistant"',
      ],
    },
  ],
  [
    'an empty turn',
    '[{"role": "user", "content": "a"}, {"role": "assistant", "content": "  "}]',
    { ok: false, reason: 'turn 2 (assistant) is empty' },
  ],
  [
    'unescaped quotes, and a trailing comment',
    '[{"role": "user", "content": "He said "hi" to me"}, {"role": "assistant", "content": "Nice"}] // 2 turns',
    {
      ok: true,
      messages: [
        { role: 'user', content: 'He said "hi" to me' },
        { role: 'assistant', content: 'Nice' },
      ],
      repaired: ['trailing comment removed', 'unescaped quotes inside strings'],
    },
  ],
  [
    'raw line break inside a string, comment inside the array',
    '[\n  // the user asks\n  {"role": "user", "content": "line one\nline two"},\n  {"role": "assistant", "content": "ok"}\n]',
    {
      ok: true,
      messages: [
        { role: 'user', content: 'line one\nline two' },
        { role: 'assistant', content: 'ok' },
      ],
      repaired: ['comments removed', 'raw line breaks or tabs inside strings'],
    },
  ],
  [
    'one object per line',
    '{"role": "user", "content": "a"}\n{"role": "assistant", "content": "b"}',
    {
      ok: true,
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
      ],
      repaired: ['separate objects collected into an array'],
    },
  ],
  [
    'missing comma between messages, unquoted keys',
    '[{role: "user", content: "a"}\n {role: "assistant", content: "b"}]',
    {
      ok: true,
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
      ],
      repaired: ['missing commas inserted', 'unquoted keys'],
    },
  ],
  [
    'a leading system message is kept',
    '[{"role": "system", "content": "Be brief."}, {"role": "user", "content": " a "}, {"role": "assistant", "content": "b\\n"}]',
    {
      ok: true,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
      ],
      repaired: [],
    },
  ],
  [
    'a system message later on',
    '[{"role": "user", "content": "a"}, {"role": "system", "content": "b"}]',
    { ok: false, reason: 'turn 2 has role "system"; only turn 1 may be a system message' },
  ],
  [
    'only a question',
    '[{"role": "user", "content": "a"}]',
    {
      ok: false,
      reason: 'the conversation ends with a user turn (turn 1); it must end with an assistant turn',
    },
  ],
  ['an empty array', '[]', { ok: false, reason: 'the conversation is empty (no turns)' }],
  [
    'a refusal',
    'I cannot help with that.',
    { ok: false, reason: 'no JSON array or object found in the output' },
  ],
  ['nothing', '  \n', { ok: false, reason: 'the output is empty' }],
  [
    'a broken object',
    '[{"role": "user", "content": "a"}, {"role": "assistant", "content": 12}]',
    { ok: false, reason: 'turn 2 has a "content" that is a number, not a string' },
  ],
  [
    'an unknown role',
    '[{"role": "customer", "content": "a"}, {"role": "assistant", "content": "b"}]',
    { ok: false, reason: 'turn 1 has unknown role "customer"' },
  ],
  [
    'a string instead of a message',
    '[{"role": "user", "content": "a"}, "b"]',
    { ok: false, reason: 'turn 2 is a string, not a {"role", "content"} object' },
  ],
  [
    'an object that is not a conversation',
    '{"answer": "yes"}',
    {
      ok: false,
      reason:
        'expected a JSON array of messages, got an object without a "messages" or "conversation" or "conversations" array',
    },
  ],
  [
    'invalid JSON',
    '[{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"} oops]',
    { ok: false, reason: 'invalid JSON: expected "," or "]", found "o" at line 1, column 74' },
  ],
  [
    'prose with brackets before the array',
    'Roles [user/assistant] alternate:\n[{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]',
    { ok: true, messages: pair, repaired: ['text before the JSON removed'] },
  ],
];
