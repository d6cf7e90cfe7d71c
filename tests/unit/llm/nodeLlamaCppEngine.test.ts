// The node-llama-cpp adapter with the real instruct model (SmolLM2-135M-Instruct GGUF) on the CPU.
// One thread: results do not depend on how busy the machine's other cores are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRequest, ChatResult } from '../../../src/llm/engine';
import {
  loadNodeLlamaCppEngine,
  type NodeLlamaCppEngine,
} from '../../../src/llm/nodeLlamaCppEngine';
import { conversationSchema } from '../../../src/core/synthesis/synthesisRun';
import { testModelMissing, testModelPath } from '../testModel';

const MODEL = 'SmolLM2-135M-Instruct.Q4_1.gguf';
const request: ChatRequest = {
  messages: [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'Name three kinds of fruit and say one thing about each.' },
  ],
  temperature: 0,
  max_tokens: 40,
};

let engine: NodeLlamaCppEngine;
let greedy: ChatResult;

if (testModelMissing) console.warn(`node-llama-cpp adapter tests skipped: ${testModelMissing}`);

describe.skipIf(testModelMissing)('node-llama-cpp adapter on SmolLM2-135M-Instruct', () => {
  beforeAll(async () => {
    engine = await loadNodeLlamaCppEngine({ modelPath: testModelPath, threads: 1 });
    greedy = await engine.chat(request);
  }, 600_000);
  afterAll(() => engine?.dispose());

  it('generates greedily, the same text on every run, with usage and a record', async () => {
    const again = await engine.chat(request);
    expect(greedy.text).not.toBe('');
    expect(again.text).toBe(greedy.text);
    expect(greedy.finish_reason).toBe('length');
    expect(greedy.usage.completion_tokens).toBe(40);
    // The GGUF file's own chat template (ChatML for SmolLM2): BOS, then three headers and two
    // `<|im_end|>\n` ends around the texts, the tokens of each counted by the model's tokenizer.
    expect(engine.chatTemplate).toBe('ChatML');
    const [system, user] = request.messages.map((m) => engine.countTokens(m.content));
    const roles = ['system', 'user', 'assistant'].map((r) => engine.countTokens(`${r}\n`));
    const specialTokens = 1 + 3 + 2;
    const newlines = 2;
    expect(greedy.usage.prompt_tokens).toBe(
      system + user + roles.reduce((a, b) => a + b) + specialTokens + newlines,
    );
    expect(await engine.tokenCounts(['fruit', 'apple and pear'])).toEqual([
      engine.countTokens('fruit'),
      engine.countTokens('apple and pear'),
    ]);
    expect(greedy.usage.time_to_first_token_ms).toBeGreaterThan(0);
    expect(greedy.usage.tokens_per_second).toBeGreaterThan(0);
    expect(greedy.record).toMatchObject({
      engine: 'node-llama-cpp',
      model: MODEL,
      device: 'cpu',
      seedHonoured: 'exact',
      responseFormatEnforced: false,
      parameters: { temperature: 0, top_p: 1, max_tokens: 40, stop: [] },
    });
  });

  it('streams pieces that join to the same text as the non-streamed answer', async () => {
    const pieces: string[] = [];
    const streamed = await engine.chat(request, { onToken: (piece) => pieces.push(piece) });
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.join('')).toBe(streamed.text);
    expect(streamed.text).toBe(greedy.text);
  });

  it('stops at max_tokens, and before a stop sequence, which is not part of the text', async () => {
    const short = await engine.chat({ ...request, max_tokens: 5 });
    expect(short.usage.completion_tokens).toBe(5);
    expect(short.finish_reason).toBe('length');
    expect(greedy.text.startsWith(short.text)).toBe(true);

    const stop = greedy.text.slice(20, 26);
    const pieces: string[] = [];
    const cut = await engine.chat(
      { ...request, stop: [stop] },
      { onToken: (piece) => pieces.push(piece) },
    );
    expect(cut.text).toBe(greedy.text.slice(0, greedy.text.indexOf(stop)));
    expect(pieces.join('')).toBe(cut.text);
    expect(cut.finish_reason).toBe('stop');
  });

  it('stops soon after an abort from outside, keeping the text so far', async () => {
    const controller = new AbortController();
    const pieces: string[] = [];
    const aborted = await engine.chat(
      { ...request, max_tokens: 200 },
      {
        signal: controller.signal,
        onToken: (piece) => {
          pieces.push(piece);
          if (pieces.length === 3) setTimeout(() => controller.abort(), 0);
        },
      },
    );
    expect(aborted.finish_reason).toBe('abort');
    expect(aborted.text).toBe(pieces.join(''));
    expect(greedy.text.startsWith(aborted.text)).toBe(true);
    expect(aborted.usage.completion_tokens).toBeLessThan(20);

    const before = await engine.chat(request, { signal: AbortSignal.abort() });
    expect(before).toMatchObject({ text: '', finish_reason: 'abort' });
  });

  it('repeats a sampled answer with the same seed, and another seed gives another', async () => {
    const sampled = { ...request, temperature: 0.9, top_p: 0.95, seed: 1234 };
    const first = await engine.chat(sampled);
    const second = await engine.chat(sampled);
    const other = await engine.chat({ ...sampled, seed: 99 });
    expect(second.text).toBe(first.text);
    expect(other.text).not.toBe(first.text);
    expect(first.record.seed).toBe(1234);
    expect(first.record.parameters).toMatchObject({ temperature: 0.9, top_p: 0.95 });
  });

  it('holds the output to a JSON schema through a grammar', async () => {
    const constrained = await engine.chat({
      ...request,
      // Told how many turns: asked only for "a chat", SmolLM2 at temperature 0 adds short turns
      // until the budget runs out (the grammar bounds characters, and its JSON is token-dense).
      messages: [
        {
          role: 'system',
          content:
            "Answer with a JSON array of two messages: a user message, then the assistant's reply.",
        },
        { role: 'user', content: 'Write a short chat about pears.' },
      ],
      max_tokens: 160,
      response_format: { type: 'json_object', schema: conversationSchema },
    });
    expect(constrained.record.responseFormatEnforced).toBe(true);
    expect(constrained.finish_reason).toBe('stop');
    const turns = JSON.parse(constrained.text) as { role: string; content: string }[];
    expect(turns.length).toBeGreaterThanOrEqual(2);
    for (const turn of turns) {
      expect(Object.keys(turn).sort()).toEqual(['content', 'role']);
      expect(['user', 'assistant']).toContain(turn.role);
      expect(turn.content.length).toBeGreaterThan(0);
    }
  });

  it('lowers repeated tokens with a frequency penalty, which the record keeps', async () => {
    const penalised = await engine.chat({ ...request, frequency_penalty: 2 });
    // Greedy both times: only the penalty can change the answer.
    expect(penalised.text).not.toBe(greedy.text);
    expect(penalised.record.parameters.frequency_penalty).toBe(2);
    expect(greedy.record.parameters).not.toHaveProperty('frequency_penalty');
  });

  it('rejects parameters out of range, naming the field', async () => {
    await expect(engine.chat({ ...request, temperature: 3 })).rejects.toThrow(/temperature/);
    await expect(engine.chat({ ...request, frequency_penalty: -1 })).rejects.toThrow(
      /frequency_penalty/,
    );
    await expect(engine.chat({ ...request, max_tokens: 0 })).rejects.toThrow(/max_tokens/);
    await expect(engine.chat({ ...request, messages: [] })).rejects.toThrow(/messages/);
  });
});
