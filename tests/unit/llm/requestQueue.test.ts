import { describe, expect, it } from 'vitest';
import { QueueAbortError, RequestQueue } from '../../../src/llm/requestQueue';

/** A task that runs until released, recording when it started. */
function gate(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return {
    task: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
      return name;
    },
    release: () => release(),
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('RequestQueue', () => {
  it('runs one task at a time, in the order they came', async () => {
    const queue = new RequestQueue(1);
    const log: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((name) => gate(log, name));
    const results = [queue.run(a.task), queue.run(b.task), queue.run(c.task)];
    await tick();
    expect(log).toEqual(['start a']);
    expect([queue.running, queue.waiting]).toEqual([1, 2]);
    a.release();
    await tick();
    expect(log).toEqual(['start a', 'end a', 'start b']);
    b.release();
    c.release();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('lets `concurrency` tasks run together', async () => {
    const queue = new RequestQueue(2);
    const log: string[] = [];
    const gates = ['a', 'b', 'c'].map((name) => gate(log, name));
    const results = gates.map((g) => queue.run(g.task));
    await tick();
    expect(log).toEqual(['start a', 'start b']);
    gates[1].release();
    await tick();
    expect(log).toContain('start c');
    gates[0].release();
    gates[2].release();
    await Promise.all(results);
  });

  it('drops a waiting task whose signal aborts, and moves on after a failure', async () => {
    const queue = new RequestQueue(1);
    const log: string[] = [];
    const a = gate(log, 'a');
    const controller = new AbortController();
    const first = queue.run(a.task);
    const skipped = queue.run(async () => log.push('never'), controller.signal);
    const failing = queue.run(async () => {
      throw new Error('boom');
    });
    const last = queue.run(async () => 'last');
    controller.abort();
    await expect(skipped).rejects.toBeInstanceOf(QueueAbortError);
    a.release();
    await first;
    await expect(failing).rejects.toThrow('boom');
    expect(await last).toBe('last');
    expect(log).not.toContain('never');
    expect([queue.running, queue.waiting]).toEqual([0, 0]);
  });

  it('refuses a task whose signal already aborted', async () => {
    const queue = new RequestQueue(1);
    await expect(queue.run(async () => 1, AbortSignal.abort())).rejects.toBeInstanceOf(
      QueueAbortError,
    );
    expect(() => new RequestQueue(0)).toThrow(/concurrency/);
  });
});
