// LocalEngine's queue and GPU-loss recovery, with the real fixture model. Node has no Web
// Workers, so the backend runs the transformers.js adapter in-process; "terminating the worker"
// stops its generation and drops the model, as a terminated worker would, and a lost GPU device
// is simulated by terminating it with GpuDeviceLostError.
import { env } from '@huggingface/transformers';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatOptions, ChatRequest, ChatResult } from '../../../src/llm/engine';
import { GpuDeviceLostError, ModelLoadError } from '../../../src/llm/errors';
import {
  LocalEngine,
  type LocalBackend,
  type LocalEngineStatus,
} from '../../../src/llm/localEngine';
import {
  loadTransformersEngine,
  type TransformersEngine,
} from '../../../src/llm/transformersEngine';
import { FIXTURE_MODEL, fixtureFusionPrompt, fixtureModelsFolder } from './fixturePrompt';

class InProcessBackend implements LocalBackend {
  loads = 0;
  failLoads = 0;
  #engine: TransformersEngine | null = null;
  readonly #running = new Set<{ reject(error: Error): void; stop: AbortController }>();

  async load(): Promise<void> {
    this.loads++;
    if (this.failLoads > 0) {
      this.failLoads--;
      throw new ModelLoadError('The model could not be loaded (simulated).');
    }
    this.#engine ??= await loadTransformersEngine({ model: FIXTURE_MODEL, device: 'cpu' });
  }

  chat(request: ChatRequest, { signal, onToken }: ChatOptions): Promise<ChatResult> {
    const engine = this.#engine;
    if (!engine) return Promise.reject(new Error('No model loaded.'));
    return new Promise((resolve, reject) => {
      const stop = new AbortController();
      const call = { reject, stop };
      this.#running.add(call);
      engine
        .chat(request, {
          signal: AbortSignal.any([stop.signal, ...(signal ? [signal] : [])]),
          onToken,
        })
        .then(resolve, reject)
        .finally(() => this.#running.delete(call));
    });
  }

  async tokenCounts(texts: readonly string[]): Promise<number[]> {
    if (!this.#engine) throw new Error('No model loaded.');
    return this.#engine.tokenCounts(texts);
  }

  terminate(reason: Error = new Error('The worker stopped.')): void {
    for (const call of this.#running) {
      call.stop.abort();
      call.reject(reason);
    }
    this.#running.clear();
    void this.#engine?.dispose();
    this.#engine = null;
  }
}

let request: ChatRequest;
let answer: string;

beforeAll(async () => {
  env.allowRemoteModels = false;
  env.localModelPath = fileURLToPath(fixtureModelsFolder);
  const messages = await fixtureFusionPrompt(['sql_querying', 'budgeting', 'poetry']);
  request = { messages, temperature: 0, max_tokens: 128 };
  const engine = await loadTransformersEngine({ model: FIXTURE_MODEL, device: 'cpu' });
  answer = (await engine.chat(request)).text;
  await engine.dispose();
});

function localEngine(backend: LocalBackend, statuses: LocalEngineStatus[] = []) {
  const info = {
    kind: 'transformers',
    model: FIXTURE_MODEL,
    capabilities: { jsonSchema: false, seed: 'exact' },
  } as const;
  return new LocalEngine(info, backend, (status) => statuses.push(status));
}

describe('LocalEngine', () => {
  it('counts tokens with the model tokenizer, loading the model first', async () => {
    const backend = new InProcessBackend();
    const engine = localEngine(backend);
    const texts = request.messages.map((m) => m.content);
    const counts = await engine.tokenCounts!(texts);
    expect(backend.loads).toBe(1);
    const direct = await loadTransformersEngine({ model: FIXTURE_MODEL, device: 'cpu' });
    expect(counts).toEqual(texts.map((text) => direct.countTokens(text)));
    expect(counts[counts.length - 1]).toBeGreaterThan(100);
    await direct.dispose();
    engine.dispose();
  });

  it('runs one request at a time; one cancelled while waiting never starts', async () => {
    const backend = new InProcessBackend();
    const engine = localEngine(backend);
    const order: string[] = [];
    const controller = new AbortController();
    const track = (name: string) => ({
      onToken: () => {
        if (order.at(-1) !== name) order.push(name);
      },
    });
    const runs = [
      engine.chat(request, track('a')),
      engine.chat(request, { ...track('b'), signal: controller.signal }),
      engine.chat(request, track('c')),
    ];
    controller.abort();
    const [a, b, c] = await Promise.all(runs);
    expect(order).toEqual(['a', 'c']);
    expect([a.text, c.text]).toEqual([answer, answer]);
    expect(b).toMatchObject({ text: '', finish_reason: 'abort' });
    expect(b.usage.completion_tokens).toBe(0);
    expect(backend.loads).toBe(1);
  });

  it('after a lost device, fails the request, reloads once, and the next request succeeds', async () => {
    const backend = new InProcessBackend();
    const statuses: LocalEngineStatus[] = [];
    const engine = localEngine(backend, statuses);
    await engine.load();
    const interrupted = engine.chat(request, {
      onToken: () => backend.terminate(new GpuDeviceLostError()),
    });
    await expect(interrupted).rejects.toBeInstanceOf(GpuDeviceLostError);
    const next = await engine.chat(request);
    expect(next.text).toBe(answer);
    expect(statuses.filter((status) => status === 'recovering')).toHaveLength(1);
    expect(backend.loads).toBe(2);
    expect(statuses).toEqual(['loading', 'ready', 'recovering', 'ready']);
  });

  it('reports a failed reload, and the next request loads again', async () => {
    const backend = new InProcessBackend();
    const reports: [LocalEngineStatus, unknown][] = [];
    const info = {
      kind: 'transformers',
      model: FIXTURE_MODEL,
      capabilities: { jsonSchema: false, seed: 'exact' },
    } as const;
    const engine = new LocalEngine(info, backend, (status, error) => reports.push([status, error]));
    await engine.load();
    backend.failLoads = 1;
    await expect(
      engine.chat(request, { onToken: () => backend.terminate(new GpuDeviceLostError()) }),
    ).rejects.toBeInstanceOf(GpuDeviceLostError);
    await expect.poll(() => reports.at(-1)?.[0]).toBe('failed');
    expect(String(reports.at(-1)?.[1])).toContain('simulated');
    // No second automatic attempt: the next request itself loads the model again.
    expect(backend.loads).toBe(2);
    expect((await engine.chat(request)).text).toBe(answer);
    expect(backend.loads).toBe(3);
    expect(reports.filter(([status]) => status === 'recovering')).toHaveLength(1);
  });
});
