import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { agenticVerdictSchema } from '../../../../src/core/synthesis/agenticCheck';
import {
  CHARS_PER_TOKEN,
  jsonSchemaGrammar,
  UnsupportedSchemaError,
} from '../../../../src/core/synthesis/jsonSchemaGrammar';
import { parseConversation } from '../../../../src/core/synthesis/parseConversation';
import { conversationSchema } from '../../../../src/core/synthesis/synthesisRun';
import { tagListSchema } from '../../../../src/core/tagging/taggingRun';
import { conversationCases } from './conversationCases';
import { GbnfRecogniser } from './gbnfRecogniser';

const conversation = new GbnfRecogniser(jsonSchemaGrammar(conversationSchema));

/** How models write JSON: compact, with Python's separators, indented. */
const serialisations = (value: unknown) => [
  JSON.stringify(value),
  JSON.stringify(value).replace(/","/g, '", "').replace(/":/g, '": ').replace(/},{/g, '}, {'),
  JSON.stringify(value, null, 2),
];

describe('the conversation grammar and the parser test collection', () => {
  const valid = conversationCases.filter(([, , parse]) => parse.ok && parse.repaired.length === 0);
  const invalid = conversationCases.filter(([, , parse]) => !parse.ok);
  const repaired = conversationCases.filter(([, , parse]) => parse.ok && parse.repaired.length);

  it('has valid, repaired and invalid answers to check', () => {
    expect([valid.length, repaired.length, invalid.length]).toEqual([2, 9, 15]);
  });

  it.each(valid)('accepts "%s" however it is written', (_name, _raw, parse) => {
    if (!parse.ok) throw new Error('a valid case');
    for (const text of serialisations(parse.messages)) {
      expect(conversation.accepts(text), text).toBe(true);
      expect(parseConversation(text)).toEqual(parse);
    }
  });

  it.each(invalid)('rejects "%s"', (_name, raw) => {
    expect(conversation.accepts(raw)).toBe(false);
  });

  it.each(repaired)('rejects the raw text of "%s" (it needed a repair)', (_name, raw) => {
    expect(conversation.accepts(raw)).toBe(false);
  });

  it('rejects what the collection misses: three turns, a blank turn, another key', () => {
    const turn = (role: string, content = 'x') => ({ role, content });
    const accepts = (value: unknown) => conversation.accepts(JSON.stringify(value));
    expect(accepts([turn('user'), turn('assistant')])).toBe(true);
    expect(accepts([turn('user'), turn('assistant'), turn('user')])).toBe(false);
    expect(accepts([turn('user'), turn('assistant', ' \n')])).toBe(false);
    expect(accepts([{ ...turn('user'), name: 'x' }, turn('assistant')])).toBe(false);
    expect(accepts(Array.from({ length: 16 }, (_, i) => turn(i % 2 ? 'assistant' : 'user')))).toBe(
      true,
    );
    expect(accepts(Array.from({ length: 18 }, (_, i) => turn(i % 2 ? 'assistant' : 'user')))).toBe(
      false,
    );
  });
});

describe('bounds from the token budget', () => {
  it('keeps a conversation of any length within the budget, and leaves out lengths that cannot fit', () => {
    const maxChars = 200;
    const bounded = new GbnfRecogniser(jsonSchemaGrammar(conversationSchema, { maxChars }));
    const answer = (turns: number, chars: number) =>
      JSON.stringify(
        Array.from({ length: turns }, (_, i) => ({
          role: i % 2 ? 'assistant' : 'user',
          content: 'a'.repeat(chars),
        })),
      );
    for (const turns of [2, 4]) {
      let chars = 1;
      while (bounded.accepts(answer(turns, chars + 1))) chars++;
      // The longest accepted answer uses the budget up to the rounding of the shares.
      expect(answer(turns, chars).length).toBeLessThanOrEqual(maxChars);
      expect(answer(turns, chars).length).toBeGreaterThan(maxChars - turns);
    }
    // Sixteen turns take 521 characters at the fewest.
    expect(bounded.accepts(answer(16, 1))).toBe(false);
    expect(conversation.accepts(answer(16, 1000))).toBe(true);
  });

  it('caps an array without maxItems at the items that fit', () => {
    const schema = { type: 'array', items: { type: 'integer' } };
    const bounded = new GbnfRecogniser(jsonSchemaGrammar(schema, { maxChars: 20 }));
    // An integer takes a character and a comma at least: 9 fit in 20 characters with the brackets.
    expect(bounded.accepts(JSON.stringify(Array(9).fill(1)))).toBe(true);
    expect(bounded.accepts(JSON.stringify(Array(10).fill(1)))).toBe(false);
    expect(bounded.accepts('[]')).toBe(true);
  });

  it('bounds blank runs', () => {
    const grammar = new GbnfRecogniser(jsonSchemaGrammar(tagListSchema));
    expect(grammar.accepts(`[${' '.repeat(12)}"a"]`)).toBe(true);
    expect(grammar.accepts(`[${' '.repeat(13)}"a"]`)).toBe(false);
  });
});

describe('the other answer schemas', () => {
  it('agentic verdict: both fields, a boolean and a string', () => {
    const grammar = new GbnfRecogniser(jsonSchemaGrammar(agenticVerdictSchema));
    expect(grammar.accepts('{"suitable": true, "reason": "needs a table"}')).toBe(true);
    expect(grammar.accepts('{"suitable":false,"reason":""}')).toBe(true);
    expect(grammar.accepts('{"suitable": "yes", "reason": "x"}')).toBe(false);
    expect(grammar.accepts('{"reason": "x", "suitable": true}')).toBe(false);
    expect(grammar.accepts('{"suitable": true}')).toBe(false);
  });

  it('tags: one to ten, each non-blank and at most 60 characters', () => {
    const grammar = new GbnfRecogniser(jsonSchemaGrammar(tagListSchema));
    expect(grammar.accepts('["sql", "budgeting"]')).toBe(true);
    expect(grammar.accepts('[]')).toBe(false);
    expect(grammar.accepts(JSON.stringify(Array(11).fill('a')))).toBe(false);
    expect(grammar.accepts(JSON.stringify(['a'.repeat(60)]))).toBe(true);
    expect(grammar.accepts(JSON.stringify(['a'.repeat(61)]))).toBe(false);
    expect(grammar.accepts('["caf\\u00e9 \\"menu\\""]')).toBe(true);
  });

  it('optional properties may be left out, in order, with commas only between', () => {
    const schema = {
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'number' }, c: { type: 'null' } },
      required: ['b'],
    };
    const grammar = new GbnfRecogniser(jsonSchemaGrammar(schema));
    for (const text of ['{"b": -1.5e3}', '{"a": "", "b": 0}', '{"b": 2, "c": null}']) {
      expect(grammar.accepts(text), text).toBe(true);
    }
    for (const text of ['{}', '{"a": "x"}', '{, "b": 1}', '{"b": 01}', '{"c": null, "b": 1}']) {
      expect(grammar.accepts(text), text).toBe(false);
    }
  });

  it('refuses what it cannot express', () => {
    expect(() => jsonSchemaGrammar({ type: 'string', pattern: '^a' })).toThrow(
      UnsupportedSchemaError,
    );
    expect(() => jsonSchemaGrammar({ type: 'array' })).toThrow(UnsupportedSchemaError);
    expect(() => jsonSchemaGrammar({ type: ['string', 'null'] })).toThrow(UnsupportedSchemaError);
  });
});

const modelFile = fileURLToPath(
  new URL('../../../../.cache/models/SmolLM2-135M-Instruct.Q4_1.gguf', import.meta.url),
);

describe('llama.cpp (node-llama-cpp) with the real model', () => {
  if (!existsSync(modelFile)) {
    it.skip(`needs ${modelFile}: run \`node scripts/test-model.mjs\` to fetch it`, () => {});
    return;
  }

  it('accepts the grammar text, and constrained answers of SmolLM2 parse', async () => {
    const { getLlama, LlamaChatSession, LlamaGrammar } = await import('node-llama-cpp');
    const llama = await getLlama({ gpu: false });
    const model = await llama.loadModel({ modelPath: modelFile });
    // One thread: llama.cpp's threads spin-wait, which a busy two-core machine punishes badly.
    const context = await model.createContext({ contextSize: 1024, threads: 1 });
    try {
      const maxTokens = 160;
      const grammar = new LlamaGrammar(llama, {
        grammar: jsonSchemaGrammar(conversationSchema, { maxChars: maxTokens * CHARS_PER_TOKEN }),
      });
      const answers: string[] = [];
      for (const seed of [1, 2]) {
        const session = new LlamaChatSession({ contextSequence: context.getSequence() });
        answers.push(
          await session.prompt(
            'Write a short conversation between a user and an assistant about git. Answer with ' +
              'a JSON array of {"role", "content"} messages.',
            { grammar, maxTokens, temperature: 0.8, seed },
          ),
        );
        session.dispose({ disposeSequence: true });
      }
      for (const answer of answers) {
        expect(parseConversation(answer), answer).toMatchObject({ ok: true, repaired: [] });
      }
    } finally {
      await context.dispose();
      await model.dispose();
    }
  }, 600_000);
});
