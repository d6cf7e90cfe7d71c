// A small OpenAI-compatible chat-completions server for the adapter's tests (node:http on
// 127.0.0.1, a random port). It answers "Echo: <last user message>" word by word, streamed as
// server-sent events or as one JSON body; it can be told to fail the next requests (429 with
// Retry-After, 500 …), to end the next stream with raw event text of the test's choosing (an
// error event, say) or to break the connection in the middle of the next answers, and it records
// every request and the most requests it had in flight.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Failure {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** The next streamed answer sends `afterPieces` pieces (at most all), then `raw` as is, and ends. */
export interface StreamEnding {
  afterPieces: number;
  raw: string;
}

export interface RecordedRequest {
  at: number;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

export interface OpenAiTestServer {
  /** Base URL including /v1. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Most requests answered at the same time. */
  maxInFlight: number;
  /** The next requests get these answers, in order, before normal ones resume. */
  failNext(...failures: Failure[]): void;
  endNextStream(ending: StreamEnding): void;
  /**
   * The next `times` answers break off: a streamed one after `afterPieces` pieces, a whole one
   * half-way through its JSON; the connection is then destroyed, as when a network drops.
   */
  cutNext(afterPieces: number, times?: number): void;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Pause before each streamed piece, and before a whole answer. */
  delayMs?: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `text` (and everything written before it) has been handed to the network. */
const written = (response: ServerResponse, text: string) =>
  new Promise<void>((resolve) => response.write(text, () => resolve()));

function answerText(body: Record<string, unknown>): string {
  const messages = (body.messages ?? []) as { role: string; content: string }[];
  const last = messages.filter((m) => m.role === 'user').at(-1);
  return `Echo: ${last?.content ?? ''}`;
}

export async function startOpenAiTestServer(
  options: ServerOptions = {},
): Promise<OpenAiTestServer> {
  const delayMs = options.delayMs ?? 0;
  const failures: Failure[] = [];
  const endings: StreamEnding[] = [];
  const cuts: number[] = [];
  let inFlight = 0;
  const state: OpenAiTestServer = {
    baseUrl: '',
    requests: [],
    maxInFlight: 0,
    failNext: (...next) => failures.push(...next),
    endNextStream: (ending) => endings.push(ending),
    cutNext: (afterPieces, times = 1) => {
      for (let i = 0; i < times; i++) cuts.push(afterPieces);
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  async function handle(request: IncomingMessage, response: ServerResponse) {
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      response.writeHead(404, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ error: { message: `No route ${request.url}` } }));
      return;
    }
    let raw = '';
    for await (const chunk of request) raw += chunk;
    const body = JSON.parse(raw) as Record<string, unknown>;
    state.requests.push({ at: Date.now(), authorization: request.headers.authorization, body });
    const failure = failures.shift();
    if (failure) {
      response.writeHead(failure.status, {
        'Content-Type': 'application/json',
        ...failure.headers,
      });
      response.end(failure.body ?? JSON.stringify({ error: { message: 'scripted failure' } }));
      return;
    }
    const words = answerText(body).split(/(?<= )/);
    const usage = { prompt_tokens: raw.length, completion_tokens: words.length };
    const id = `chatcmpl-${state.requests.length}`;
    const cut = cuts.shift();
    if (!body.stream) {
      await pause(delayMs);
      const whole = JSON.stringify({
        id,
        object: 'chat.completion',
        model: body.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: words.join('') },
            finish_reason: 'stop',
          },
        ],
        usage,
      });
      response.writeHead(200, { 'Content-Type': 'application/json' });
      if (cut !== undefined) {
        await written(response, whole.slice(0, whole.length / 2));
        response.destroy();
        return;
      }
      response.end(whole);
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    const send = (data: unknown) => response.write(`data: ${JSON.stringify(data)}\n\n`);
    const ending = endings.shift();
    for (const [index, word] of words.entries()) {
      if (cut === index) {
        // An event-stream comment, flushed with the pieces before it, then the drop.
        await written(response, ': cut\n\n');
        response.destroy();
        return;
      }
      if (ending?.afterPieces === index) {
        response.end(ending.raw);
        return;
      }
      await pause(delayMs);
      if (response.destroyed) return;
      send({
        id,
        object: 'chat.completion.chunk',
        choices: [{ index: 0, delta: { content: word }, finish_reason: null }],
      });
    }
    if (ending) {
      response.end(ending.raw);
      return;
    }
    send({
      id,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
    });
    const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)
      ?.include_usage;
    if (includeUsage) send({ id, object: 'chat.completion.chunk', choices: [], usage });
    response.end('data: [DONE]\n\n');
  }

  const server = createServer((request, response) => {
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    response.on('close', () => inFlight--);
    handle(request, response).catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return state;
}
