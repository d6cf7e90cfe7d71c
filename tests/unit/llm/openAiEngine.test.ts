// The OpenAI-compatible adapter against a real local HTTP server speaking chat completions.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiEngine, retryAfterMs } from '../../../src/llm/openAiEngine';
import {
  EndpointAnswerShapeError,
  EndpointError,
  EndpointReportedError,
  EndpointStreamCutError,
} from '../../../src/llm/errors';
import { startOpenAiTestServer, type OpenAiTestServer } from './openAiTestServer';

const ask = (content: string) => ({
  messages: [{ role: 'user' as const, content }],
  temperature: 0.7,
  max_tokens: 64,
});

let server: OpenAiTestServer;

describe('non-streaming and streaming answers', () => {
  beforeEach(async () => {
    server = await startOpenAiTestServer({ delayMs: 5 });
  });
  afterEach(() => server.close());

  it('returns the answer with usage and a record of what produced it', async () => {
    const engine = new OpenAiEngine({ baseUrl: server.baseUrl, model: 'tiny', apiKey: 'sk-test' });
    const result = await engine.chat({ ...ask('three little words'), seed: 42, stop: ['###'] });

    expect(result.text).toBe('Echo: three little words');
    expect(result.finish_reason).toBe('stop');
    expect(result.usage.completion_tokens).toBe(4);
    expect(result.usage.prompt_tokens).toBeGreaterThan(0);
    expect(result.record).toMatchObject({
      engine: 'openai',
      model: 'tiny',
      seed: 42,
      seedHonoured: 'best-effort',
      parameters: { temperature: 0.7, top_p: 1, max_tokens: 64, seed: 42, stop: ['###'] },
    });
    const sent = server.requests[0];
    expect(sent.authorization).toBe('Bearer sk-test');
    expect(sent.body).toMatchObject({ model: 'tiny', temperature: 0.7, max_tokens: 64, seed: 42 });
    expect(sent.body.stream).toBeUndefined();
    expect(sent.body).not.toHaveProperty('frequency_penalty');
  });

  it('sends a frequency penalty when one is asked for', async () => {
    const engine = new OpenAiEngine({ baseUrl: server.baseUrl, model: 'tiny' });
    const result = await engine.chat({ ...ask('again and again'), frequency_penalty: 0.5 });
    expect(server.requests[0].body).toMatchObject({ frequency_penalty: 0.5 });
    expect(result.record.parameters.frequency_penalty).toBe(0.5);
  });

  it('streams the answer piece by piece; the pieces join to the text', async () => {
    const engine = new OpenAiEngine({ baseUrl: server.baseUrl, model: 'tiny' });
    const pieces: string[] = [];
    const result = await engine.chat(ask('one two three four'), {
      onToken: (piece) => pieces.push(piece),
    });

    expect(pieces).toEqual(['Echo: ', 'one ', 'two ', 'three ', 'four']);
    expect(pieces.join('')).toBe(result.text);
    expect(result.usage.completion_tokens).toBe(5);
    expect(result.usage.time_to_first_token_ms).not.toBeNull();
    expect(server.requests[0].body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(server.requests[0].authorization).toBeUndefined();
  });

  it('asks for JSON-schema constrained output in the OpenAI format', async () => {
    const engine = new OpenAiEngine({ baseUrl: server.baseUrl, model: 'tiny' });
    const schema = { type: 'array', items: { type: 'object' } };
    const result = await engine.chat({
      ...ask('json please'),
      response_format: { type: 'json_object', schema },
    });

    expect(server.requests[0].body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'answer', schema, strict: true },
    });
    expect(result.record.responseFormatEnforced).toBe(true);
  });

  it('retries once without the schema when the endpoint refuses it, and remembers that', async () => {
    const refusal = JSON.stringify({
      error: { message: "Invalid schema for response_format 'answer': root must be an object" },
    });
    server.failNext({ status: 400, body: refusal });
    const engine = new OpenAiEngine({ baseUrl: server.baseUrl, model: 'tiny' });
    const schema = { type: 'array', items: { type: 'object' } };
    const json = {
      ...ask('json please'),
      response_format: { type: 'json_object', schema },
    } as const;

    const first = await engine.chat(json);
    expect(first.text).toBe('Echo: json please');
    expect(first.record.responseFormatEnforced).toBe(false);
    expect(server.requests.map((r) => r.body.response_format)).toEqual([
      { type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } },
      undefined,
    ]);
    // Remembered for this endpoint, by another engine too: no refused request again.
    await new OpenAiEngine({ baseUrl: server.baseUrl, model: 'tiny' }).chat(json);
    expect(server.requests).toHaveLength(3);
    expect(server.requests[2].body.response_format).toBeUndefined();
  });

  it('does not retry a 400 about something else', async () => {
    server.failNext({
      status: 400,
      body: JSON.stringify({ error: { message: 'bad temperature' } }),
    });
    const engine = new OpenAiEngine({ baseUrl: server.baseUrl, model: 'tiny' });
    const schema = { type: 'object' };
    await expect(
      engine.chat({ ...ask('x'), response_format: { type: 'json_object', schema } }),
    ).rejects.toMatchObject({ status: 400 });
    expect(server.requests).toHaveLength(1);
  });

  it("turns Qwen3's thinking off through the chat template, and only for Qwen3", async () => {
    await new OpenAiEngine({ baseUrl: server.baseUrl, model: 'Qwen/Qwen3-4B' }).chat(ask('a'));
    await new OpenAiEngine({ baseUrl: server.baseUrl, model: 'gpt-4o-mini' }).chat(ask('b'));
    expect(server.requests[0].body.chat_template_kwargs).toEqual({ enable_thinking: false });
    expect(server.requests[1].body.chat_template_kwargs).toBeUndefined();
  });

  it('stops streaming when aborted and returns the text so far', async () => {
    const engine = new OpenAiEngine({ baseUrl: server.baseUrl, model: 'tiny' });
    const controller = new AbortController();
    const pieces: string[] = [];
    const long = Array.from({ length: 200 }, (_, i) => `w${i}`).join(' ');
    const result = await engine.chat(ask(long), {
      signal: controller.signal,
      onToken: (piece) => {
        pieces.push(piece);
        if (pieces.length === 3) controller.abort();
      },
    });

    expect(result.finish_reason).toBe('abort');
    expect(result.text).toBe(pieces.join(''));
    expect(pieces.length).toBeLessThan(10);
  });
});

describe('server-sent events', () => {
  beforeEach(async () => {
    server = await startOpenAiTestServer();
  });
  afterEach(() => server.close());

  const streamed = (content: string) => {
    const pieces: string[] = [];
    const engine = new OpenAiEngine({ baseUrl: server.baseUrl, model: 'tiny' });
    return { pieces, result: engine.chat(ask(content), { onToken: (p) => pieces.push(p) }) };
  };

  it("an error event mid-answer fails the request with the server's message, unretried", async () => {
    server.endNextStream({
      afterPieces: 2,
      raw: 'event: error\ndata: {"error": {"message": "the model ran out of memory"}}\n\n',
    });
    const { pieces, result } = streamed('one two three');

    await expect(result).rejects.toBeInstanceOf(EndpointError);
    await expect(result).rejects.toThrow(
      'The server failed mid-answer: the model ran out of memory',
    );
    expect(pieces).toEqual(['Echo: ', 'one ']);
    expect(server.requests).toHaveLength(1);
  });

  it('an error event with a plain-text message, and a data chunk holding an error object', async () => {
    server.endNextStream({ afterPieces: 0, raw: 'event: error\ndata: upstream timeout\n\n' });
    await expect(streamed('a').result).rejects.toThrow(
      'The server failed mid-answer: upstream timeout',
    );
    server.endNextStream({ afterPieces: 1, raw: 'data: {"error": "context too long"}\n\n' });
    await expect(streamed('a').result).rejects.toThrow(
      'The server failed mid-answer: context too long',
    );
  });

  it('reads CRLF line ends, comments, id and retry fields, and data spread over lines', async () => {
    const delta = (content: string) =>
      JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: null }] });
    server.endNextStream({
      afterPieces: 1,
      raw:
        `: keep-alive\r\nid: 7\r\nretry: 1000\r\ndata: ${delta('x')}\r\n\r\n` +
        // One event's data on two lines is joined with a line break, which JSON allows.
        `data: {"choices": [{"index": 0,\r\ndata: "delta": {"content": "y"}}]}\r\n\r\n` +
        'data: [DONE]\r\n\r\n',
    });
    const { pieces, result } = streamed('ignored');

    expect((await result).text).toBe('Echo: xy');
    expect(pieces).toEqual(['Echo: ', 'x', 'y']);
  });

  it('a chunk that is not a JSON object is an EndpointError naming it', async () => {
    server.endNextStream({ afterPieces: 0, raw: 'data: null\n\n' });
    await expect(streamed('a').result).rejects.toThrow(
      'The server sent a streamed chunk that is not a JSON object: null',
    );
  });
});

describe('retries and concurrency', () => {
  beforeEach(async () => {
    server = await startOpenAiTestServer({ delayMs: 60 });
  });
  afterEach(() => server.close());

  it('waits as long as Retry-After asks after a 429, then succeeds', async () => {
    server.failNext({ status: 429, headers: { 'Retry-After': '1' } });
    const engine = new OpenAiEngine(
      { baseUrl: server.baseUrl, model: 'tiny' },
      { baseDelayMs: 10 },
    );
    const result = await engine.chat(ask('after a rate limit'));

    expect(result.text).toBe('Echo: after a rate limit');
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1].at - server.requests[0].at).toBeGreaterThanOrEqual(990);
  });

  it('backs off and retries after 500 and 503, streaming included', async () => {
    server.failNext({ status: 500 }, { status: 503, body: 'overloaded' });
    const engine = new OpenAiEngine(
      { baseUrl: server.baseUrl, model: 'tiny' },
      { baseDelayMs: 20 },
    );
    const pieces: string[] = [];
    const result = await engine.chat(ask('after errors'), { onToken: (p) => pieces.push(p) });

    expect(result.text).toBe('Echo: after errors');
    expect(pieces.join('')).toBe(result.text);
    expect(server.requests).toHaveLength(3);
    // Backoff doubles: at least 10 ms (half of 20, the jitter's floor), then at least 20 ms.
    expect(server.requests[2].at - server.requests[1].at).toBeGreaterThanOrEqual(20);
  });

  it('gives up after the last retry with a message naming the status', async () => {
    server.failNext({ status: 502 }, { status: 502 }, { status: 502 });
    const engine = new OpenAiEngine(
      { baseUrl: server.baseUrl, model: 'tiny' },
      { baseDelayMs: 5, maxRetries: 2 },
    );
    const failure = engine.chat(ask('never'));

    await expect(failure).rejects.toBeInstanceOf(EndpointError);
    await expect(failure).rejects.toThrow(/HTTP 502.*Gave up after 3 attempts/);
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry a refused API key', async () => {
    server.failNext({ status: 401, body: JSON.stringify({ error: { message: 'bad key' } }) });
    const engine = new OpenAiEngine({ baseUrl: server.baseUrl, model: 'tiny', apiKey: 'wrong' });

    await expect(engine.chat(ask('hello'))).rejects.toThrow(/HTTP 401.*API key.*bad key/);
    expect(server.requests).toHaveLength(1);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const engine = new OpenAiEngine({ baseUrl: server.baseUrl, model: 'tiny', concurrency: 2 });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => engine.chat(ask(`request ${i}`))),
    );

    expect(results.map((r) => r.text)).toEqual(
      Array.from({ length: 6 }, (_, i) => `Echo: request ${i}`),
    );
    expect(server.maxInFlight).toBe(2);
  });
});

describe('answers that are not completions, and connections that break', () => {
  beforeEach(async () => {
    server = await startOpenAiTestServer();
  });
  afterEach(() => server.close());

  const engine = () =>
    new OpenAiEngine({ baseUrl: server.baseUrl, model: 'tiny' }, { baseDelayMs: 5, maxRetries: 2 });

  it("an HTTP 200 answer holding an error fails named, with the server's message, unretried", async () => {
    const body = JSON.stringify({ error: { message: 'model "tiny" is not loaded' } });
    server.failNext({ status: 200, body });
    const failure = engine().chat(ask('hello'));

    await expect(failure).rejects.toBeInstanceOf(EndpointReportedError);
    await expect(failure).rejects.toThrow(
      /answered with an error instead of a completion: model "tiny" is not loaded/,
    );
    await expect(failure).rejects.toMatchObject({
      serverMessage: 'model "tiny" is not loaded',
      waysOut: ['retry', 'use-endpoint'],
    });
    expect(server.requests).toHaveLength(1);

    // Asked to stream, a server may still answer with one JSON body: the same error.
    server.failNext({ status: 200, body: JSON.stringify({ error: 'quota used up' }) });
    const streamed = engine().chat(ask('hello'), { onToken: () => {} });
    await expect(streamed).rejects.toBeInstanceOf(EndpointReportedError);
    await expect(streamed).rejects.toThrow(/instead of a completion: quota used up/);
  });

  it('an answer without choices, or of another shape, is named, never an empty answer', async () => {
    const cases: [string, RegExp][] = [
      [JSON.stringify({ id: 'x', object: 'chat.completion' }), /no "choices"/],
      [JSON.stringify({ choices: [] }), /"choices" is empty/],
      [JSON.stringify({ choices: [{ text: 'legacy completion' }] }), /has no "message"/],
      [JSON.stringify({ choices: [{ message: { content: 42 } }] }), /"content" is not text/],
      [JSON.stringify(['a list']), /not a JSON object/],
    ];
    for (const [body, problem] of cases) {
      server.failNext({ status: 200, body });
      const failure = engine().chat(ask('hello'));
      await expect(failure).rejects.toBeInstanceOf(EndpointAnswerShapeError);
      await expect(failure).rejects.toThrow(problem);
      await expect(failure).rejects.toThrow(/not a chat completion.*base URL usually ends in \/v1/);
    }
    // A message whose content is null is the model's empty answer, not a failure.
    server.failNext({
      status: 200,
      body: JSON.stringify({ choices: [{ message: { content: null }, finish_reason: 'stop' }] }),
    });
    expect((await engine().chat(ask('hello'))).text).toBe('');
  });

  it('a whole answer cut off mid-way is retried, then succeeds', async () => {
    server.cutNext(0);
    const result = await engine().chat(ask('cut once'));

    expect(result.text).toBe('Echo: cut once');
    expect(server.requests).toHaveLength(2);
  });

  it('a stream cut mid-answer is retried; the pieces already shown are not shown again', async () => {
    server.cutNext(2);
    const pieces: string[] = [];
    const result = await engine().chat(ask('one two three'), {
      onToken: (piece) => pieces.push(piece),
    });

    expect(result.text).toBe('Echo: one two three');
    expect(pieces).toEqual(['Echo: ', 'one ', 'two ', 'three']);
    expect(server.requests).toHaveLength(2);
  });

  it('a stream that keeps breaking fails named after the last retry, not as a raw TypeError', async () => {
    server.cutNext(1, 3);
    const pieces: string[] = [];
    const failure = engine().chat(ask('one two three'), { onToken: (p) => pieces.push(p) });

    await expect(failure).rejects.toBeInstanceOf(EndpointStreamCutError);
    await expect(failure).rejects.toThrow(
      /broke off before the answer was complete.*Gave up after 3 attempts/,
    );
    expect(pieces).toEqual(['Echo: ']);
    expect(server.requests).toHaveLength(3);
  });

  it('a stream that ends without [DONE] or a finish reason counts as cut', async () => {
    server.endNextStream({ afterPieces: 1, raw: '' });
    const pieces: string[] = [];
    const result = await engine().chat(ask('a b'), { onToken: (p) => pieces.push(p) });

    expect(result.text).toBe('Echo: a b');
    expect(pieces.join('')).toBe(result.text);
    expect(server.requests).toHaveLength(2);
  });

  it('a retry whose text differs from the pieces already shown fails named', async () => {
    const delta = (content: string) =>
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`;
    // The first answer breaks after "Echo: " and "x"; the second says "Echo: one" instead.
    server.endNextStream({ afterPieces: 1, raw: delta('x') });
    const pieces: string[] = [];
    const failure = engine().chat(ask('one'), { onToken: (p) => pieces.push(p) });

    await expect(failure).rejects.toBeInstanceOf(EndpointStreamCutError);
    await expect(failure).rejects.toThrow(/differs from the part already shown/);
    expect(pieces).toEqual(['Echo: ', 'x']);
  });
});

describe('Retry-After', () => {
  it('reads seconds, HTTP dates and retry-after-ms', () => {
    const now = Date.parse('2026-11-27T10:00:00Z');
    expect(retryAfterMs(new Headers({ 'Retry-After': '2' }), now)).toBe(2000);
    expect(retryAfterMs(new Headers({ 'Retry-After': 'Fri, 27 Nov 2026 10:00:05 GMT' }), now)).toBe(
      5000,
    );
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'Retry-After': '1' }), now)).toBe(
      250,
    );
    expect(retryAfterMs(new Headers({ 'Retry-After': 'soon' }), now)).toBeNull();
    expect(retryAfterMs(new Headers(), now)).toBeNull();
  });
});
