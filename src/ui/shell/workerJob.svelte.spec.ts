import { afterEach, describe, expect, it, vi } from 'vitest';
import { WorkerJob, type JobCall } from './workerJob.svelte';

/** A task that runs until the test settles it, rejecting as a bridge call does when aborted. */
function heldTask() {
  let call: JobCall | null = null;
  let settle: { resolve(value: string): void; reject(error: Error): void } | null = null;
  const task = (given: JobCall) =>
    new Promise<string>((resolve, reject) => {
      call = given;
      settle = { resolve, reject };
      given.signal.addEventListener('abort', () => reject(given.signal.reason));
    });
  return {
    task,
    get call() {
      return call!;
    },
    get settle() {
      return settle!;
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('WorkerJob', () => {
  it('shows the running job and its progress, and forgets the progress when it ends', async () => {
    const job = new WorkerJob();
    const held = heldTask();
    const outcome = job.run(held.task);
    expect(job.running).toBe(true);
    held.call.onProgress({ phase: 'reading samples', done: 10, total: 40 });
    expect(job.current).toEqual({ phase: 'reading samples', done: 10, total: 40 });
    expect(job.fraction).toBe(0.25);
    held.settle.resolve('tree');
    expect(await outcome).toEqual({ status: 'done', value: 'tree' });
    expect(job.running).toBe(false);
    expect(job.current).toBeNull();
    expect(job.error).toBeNull();
  });

  it('estimates the time left from the rate of the current phase', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const job = new WorkerJob();
    const held = heldTask();
    const outcome = job.run(held.task);
    held.call.onProgress({ phase: 'reading samples', done: 0, total: 100 });
    expect(job.etaSeconds).toBeNull();
    vi.advanceTimersByTime(2000);
    held.call.onProgress({ phase: 'reading samples', done: 25, total: 100 });
    // 25 units in 2 s: 75 more take 6 s.
    expect(job.etaSeconds).toBeCloseTo(6);
    expect(job.elapsedSeconds).toBeCloseTo(2);
    // A new phase starts its own clock.
    held.call.onProgress({ phase: 'building tree', done: 0, total: 1 });
    expect(job.etaSeconds).toBeNull();
    vi.advanceTimersByTime(500);
    held.call.onProgress({ phase: 'building tree', done: 1, total: 4 });
    expect(job.etaSeconds).toBeCloseTo(1.5);
    held.settle.resolve('tree');
    await outcome;
  });

  it('cancel aborts the task: the job ends as cancelled', async () => {
    const job = new WorkerJob();
    const held = heldTask();
    const outcome = job.run(held.task);
    job.cancel();
    expect(held.call.signal.aborted).toBe(true);
    expect(await outcome).toEqual({ status: 'cancelled' });
    expect(job.error).toBe('Cancelled.');
    expect(job.running).toBe(false);
  });

  it('a failed task ends the job with its error, shown until the next job starts', async () => {
    const job = new WorkerJob();
    const failure = new Error('The corpus is no longer stored.');
    const outcome = await job.run(() => Promise.reject(failure));
    expect(outcome).toEqual({ status: 'failed', error: failure });
    expect(job.error).toBe('The corpus is no longer stored.');
    const next = heldTask();
    const running = job.run(next.task);
    expect(job.error).toBeNull();
    next.settle.reject(new Error('again'));
    await running;
    expect(job.error).toBe('again');
    job.clearError();
    expect(job.error).toBeNull();
  });

  it('runs one job at a time: another one asked for meanwhile never starts', async () => {
    const job = new WorkerJob();
    const first = heldTask();
    const running = job.run(first.task);
    const second = vi.fn(() => Promise.resolve('second'));
    expect(await job.run(second)).toEqual({ status: 'busy' });
    expect(second).not.toHaveBeenCalled();
    expect(job.running).toBe(true);
    first.settle.resolve('first');
    expect(await running).toEqual({ status: 'done', value: 'first' });
    expect(await job.run(second)).toEqual({ status: 'done', value: 'second' });
  });
});
