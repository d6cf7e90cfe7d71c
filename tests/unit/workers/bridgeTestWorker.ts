// A worker for the bridge's tests, run in a Node worker thread (through threadEntry.mjs). Node's
// threads have no worker global scope: serveWorker's onmessage and postMessage are lent the
// parent port's.
import { parentPort, threadId } from 'node:worker_threads';
import { serveWorker } from '../../../workers/protocol';

export type TestApi = {
  /** Which thread answers. */
  thread: { content: null; progress: never; result: number };
  /** Reports 1 … `to`, then returns `to`. */
  count: { content: { to: number }; progress: number; result: number };
  /** A tight synchronous loop that never ends (after saying it started). */
  spin: { content: null; progress: 'spinning'; result: never };
  /** Waits until its request is aborted, then answers `stopped`. */
  untilAborted: { content: null; progress: 'waiting'; result: 'stopped' };
  /** Throws an error of that name. */
  fail: { content: { name: string; message: string }; progress: never; result: never };
  /** Throws outside any handler, as a crashing worker does. */
  crash: { content: null; progress: never; result: never };
};

const port = parentPort!;
const scope = globalThis as unknown as {
  onmessage: ((event: { data: unknown }) => void) | null;
  postMessage(message: unknown): void;
};
scope.postMessage = (message) => port.postMessage(message);
port.on('message', (data) => scope.onmessage?.({ data }));

serveWorker<TestApi>({
  async thread() {
    return threadId;
  },
  async count({ to }, reportProgress) {
    for (let n = 1; n <= to; n++) reportProgress(n);
    return to;
  },
  async spin(_content, reportProgress) {
    reportProgress('spinning');
    for (;;) Math.random();
  },
  untilAborted(_content, reportProgress, signal) {
    reportProgress('waiting');
    return new Promise((resolve) => signal.addEventListener('abort', () => resolve('stopped')));
  },
  async fail({ name, message }) {
    const error = new Error(message);
    error.name = name;
    throw error;
  },
  crash() {
    setTimeout(() => {
      throw new Error('boom');
    });
    return new Promise(() => {});
  },
});
