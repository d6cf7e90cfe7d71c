// The worker bridge against real worker threads (Node's, dressed as Web Workers): calls queue and
// run one at a time, and aborting or a crash ends only the call it concerns.
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CallCancelledError,
  WorkerBridge,
  WorkerCallError,
  WorkerCrashedError,
  type BridgeOptions,
  type WorkerEndpoint,
} from '../../../workers/bridge';
import type { WorkerReply } from '../../../workers/protocol';
import type { TestApi } from './bridgeTestWorker';

const entry = new URL('./threadEntry.mjs', import.meta.url);
const workerModule = new URL('./bridgeTestWorker.ts', import.meta.url).href;
const threads: Worker[] = [];

/** A worker thread with the Web Worker surface the bridge uses. */
function startThread(): WorkerEndpoint {
  const thread = new Worker(entry, { workerData: workerModule });
  threads.push(thread);
  return {
    postMessage: (message) => thread.postMessage(message),
    terminate: () => void thread.terminate(),
    addEventListener(type: 'message' | 'error', listener: (event: never) => void) {
      if (type === 'message') {
        thread.on('message', (data: WorkerReply) =>
          (listener as (e: { data: unknown }) => void)({ data }),
        );
      } else {
        thread.on('error', (error: Error) =>
          (listener as (e: { message: string; preventDefault(): void }) => void)({
            message: error.message,
            preventDefault() {},
          }),
        );
      }
    },
  };
}

function bridge(options?: BridgeOptions) {
  return new WorkerBridge<TestApi>(startThread, options);
}

afterEach(async () => {
  await Promise.all(threads.splice(0).map((thread) => thread.terminate()));
});

describe('WorkerBridge', () => {
  it('runs calls one at a time, in order, in one worker, with their progress', async () => {
    const worker = bridge();
    const order: string[] = [];
    const progress: number[] = [];
    const calls = [
      worker.call('count', { to: 3 }, { onProgress: (n) => progress.push(n) }).then((n) => {
        order.push(`count ${n}`);
        return n;
      }),
      worker.call('thread', null).then((id) => {
        order.push('thread');
        return id;
      }),
      worker.call('thread', null),
    ];
    const [counted, first, second] = await Promise.all(calls);
    expect(counted).toBe(3);
    expect(progress).toEqual([1, 2, 3]);
    expect(order).toEqual(['count 3', 'thread']);
    expect(second).toBe(first);
    expect(threads).toHaveLength(1);
  });

  it('start runs the worker before any call, and the first call uses it', async () => {
    const worker = bridge();
    worker.start();
    worker.start();
    expect(threads).toHaveLength(1);
    const first = await worker.call('thread', null);
    expect(first).toBe(threads[0].threadId);
    expect(threads).toHaveLength(1);
  });

  it('aborting a waiting call rejects only that call', async () => {
    const worker = bridge();
    const controller = new AbortController();
    const first = worker.call('thread', null);
    const aborted = worker.call('thread', null, { signal: controller.signal });
    const last = worker.call('thread', null);
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(CallCancelledError);
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    expect(await last).toBe(await first);
    expect(threads).toHaveLength(1);
  });

  it('an already aborted signal never queues the call', async () => {
    const worker = bridge();
    await expect(
      worker.call('thread', null, { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(CallCancelledError);
    expect(threads).toHaveLength(0);
  });

  it('aborting the running call of a stateless worker terminates it; the next call gets a new one', async () => {
    const worker = bridge();
    const controller = new AbortController();
    const spinning = worker.call('spin', null, {
      signal: controller.signal,
      // A tight loop never reads messages: only terminating the worker stops it.
      onProgress: () => controller.abort(),
    });
    const next = worker.call('thread', null);
    await expect(spinning).rejects.toBeInstanceOf(CallCancelledError);
    expect(await next).toBe(threads[1].threadId);
    expect(threads).toHaveLength(2);
  });

  it('aborting the running call of a stateful worker sends the abort, and the worker stays', async () => {
    const worker = bridge({ stateful: true });
    const before = await worker.call('thread', null);
    const controller = new AbortController();
    const waiting = worker.call('untilAborted', null, {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    const after = worker.call('thread', null);
    expect(await waiting).toBe('stopped');
    expect(await after).toBe(before);
    expect(threads).toHaveLength(1);
  });

  it('a crash rejects the running call with WorkerCrashedError; the next call gets a new worker', async () => {
    const worker = bridge();
    const crashing = worker.call('crash', null);
    const next = worker.call('thread', null);
    await expect(crashing).rejects.toBeInstanceOf(WorkerCrashedError);
    await expect(crashing).rejects.toThrow('The worker stopped unexpectedly: boom.');
    expect(await next).toBe(threads[1].threadId);
  });

  it('after a crash, a stateful worker fails every call until it is terminated', async () => {
    const worker = bridge({ stateful: true });
    await expect(worker.call('crash', null)).rejects.toBeInstanceOf(WorkerCrashedError);
    await expect(worker.call('thread', null)).rejects.toBeInstanceOf(WorkerCrashedError);
    expect(threads).toHaveLength(1);
    worker.terminate();
    expect(await worker.call('thread', null)).toBe(threads[1].threadId);
  });

  it("rejects with the worker's error, its name kept", async () => {
    const worker = bridge();
    const failing = worker.call('fail', { name: 'GpuDeviceLostError', message: 'lost' });
    await expect(failing).rejects.toBeInstanceOf(WorkerCallError);
    await expect(failing).rejects.toMatchObject({ name: 'GpuDeviceLostError', message: 'lost' });
    expect(await worker.call('count', { to: 1 })).toBe(1);
  });

  it('terminate rejects the running call and every waiting one with its reason', async () => {
    const worker = bridge({ stateful: true });
    const reason = new Error('disposed');
    const calls = [worker.call('untilAborted', null), worker.call('thread', null)];
    worker.terminate(reason);
    for (const call of calls) await expect(call).rejects.toBe(reason);
  });
});
