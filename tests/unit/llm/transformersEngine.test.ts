// The transformers.js adapter with the real fixture model from disk (onnxruntime-node).
import { AutoTokenizer, env } from '@huggingface/transformers';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../../src/llm/engine';
import {
  loadTransformersEngine,
  type TransformersEngine,
} from '../../../src/llm/transformersEngine';
import { FIXTURE_MODEL as MODEL, fixtureFusionPrompt, fixtureModelsFolder } from './fixturePrompt';

let request: ChatRequest;
let engine: TransformersEngine;
let greedy: Awaited<ReturnType<TransformersEngine['chat']>>;

beforeAll(async () => {
  env.allowRemoteModels = false;
  env.localModelPath = fileURLToPath(fixtureModelsFolder);
  const messages = await fixtureFusionPrompt(['sql_querying', 'budgeting', 'poetry']);
  request = { messages, temperature: 0, max_tokens: 128 };
  engine = await loadTransformersEngine({ model: MODEL, device: 'cpu' });
  greedy = await engine.chat(request);
});
afterAll(() => engine.dispose());

describe('transformers.js adapter on the fixture model', () => {
  it('generates greedily, the same text on every run, with usage and a record', async () => {
    const again = await engine.chat(request);
    // The fixture ends its answer with <|im_end|> (the end-of-sequence token) well before 128.
    expect(greedy.finish_reason).toBe('stop');
    expect(greedy.text).not.toBe('');
    expect(again.text).toBe(greedy.text);
    expect(again.usage.completion_tokens).toBe(greedy.usage.completion_tokens);

    const tokenizer = await AutoTokenizer.from_pretrained(MODEL);
    const prompt = tokenizer.apply_chat_template(request.messages, {
      add_generation_prompt: true,
      return_tensor: false,
      return_dict: false,
    });
    expect(greedy.usage.prompt_tokens).toBe(prompt.length);
    const userText = request.messages[1].content;
    expect(engine.countTokens(userText)).toBe(
      tokenizer.encode(userText, { add_special_tokens: false }).length,
    );
    expect(greedy.usage.completion_tokens).toBeGreaterThan(0);
    expect(greedy.usage.completion_tokens).toBeLessThan(128);
    expect(greedy.usage.time_to_first_token_ms).toBeGreaterThan(0);
    expect(greedy.usage.tokens_per_second).toBeGreaterThan(0);
    expect(greedy.record).toMatchObject({
      engine: 'transformers',
      model: MODEL,
      device: 'cpu',
      seedHonoured: 'exact',
      responseFormatEnforced: false,
      parameters: { temperature: 0, top_p: 1, max_tokens: 128, stop: [] },
    });
    expect(Number.isInteger(greedy.record.seed)).toBe(true);
  });

  it('streams pieces that join to the same text as the non-streamed answer', async () => {
    const pieces: string[] = [];
    const streamed = await engine.chat(request, { onToken: (piece) => pieces.push(piece) });
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.join('')).toBe(streamed.text);
    expect(streamed.text).toBe(greedy.text);
    expect(streamed.finish_reason).toBe(greedy.finish_reason);
  });

  it('stops at max_tokens', async () => {
    const short = await engine.chat({ ...request, max_tokens: 5 });
    expect(short.usage.completion_tokens).toBe(5);
    expect(short.finish_reason).toBe('length');
    expect(greedy.text.startsWith(short.text)).toBe(true);
  });

  it('stops before a stop sequence, which is not part of the text', async () => {
    const stop = greedy.text.slice(30, 36);
    const cut = await engine.chat({ ...request, stop: [stop] }, { onToken: () => {} });
    expect(cut.text).toBe(greedy.text.slice(0, greedy.text.indexOf(stop)));
    expect(cut.finish_reason).toBe('stop');
    expect(cut.usage.completion_tokens).toBeLessThan(greedy.usage.completion_tokens);
  });

  it('stops within a token of an abort from outside, keeping the text so far', async () => {
    const controller = new AbortController();
    let tokensAtAbort = -1;
    let tokens = 0;
    const pieces: string[] = [];
    const aborted = await engine.chat(
      { ...request, max_tokens: 512 },
      {
        signal: controller.signal,
        onToken: (piece) => {
          pieces.push(piece);
          tokens++;
          // Abort from a timer, as a UI would: it lands while a model step is running.
          if (tokens === 3) setTimeout(() => ((tokensAtAbort = tokens), controller.abort()), 0);
        },
      },
    );
    expect(aborted.finish_reason).toBe('abort');
    expect(aborted.text).toBe(pieces.join(''));
    expect(greedy.text.startsWith(aborted.text)).toBe(true);
    const after = aborted.usage.completion_tokens - tokensAtAbort;
    expect(after).toBeGreaterThanOrEqual(0);
    expect(after).toBeLessThanOrEqual(2);
  });

  it('repeats a sampled answer with the same seed', async () => {
    const sampled = { ...request, temperature: 0.9, top_p: 0.9, seed: 1234 };
    const first = await engine.chat(sampled);
    const second = await engine.chat(sampled);
    expect(second.text).toBe(first.text);
    expect(first.record.seed).toBe(1234);
    expect(first.record.parameters).toMatchObject({ temperature: 0.9, top_p: 0.9 });
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
