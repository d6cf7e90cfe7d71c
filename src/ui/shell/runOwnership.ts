// Which tab runs a stored run: the one holding the run's Web Lock. The browser releases a lock
// when its tab closes or crashes, so a run is never left owned by a tab that is gone.

/** One tab at a time runs a stored run; the others show it as running elsewhere. */
export interface RunOwnership {
  /**
   * Runs `body` while this tab owns the run, and resolves true once it ends; resolves false at
   * once, without running it, when a tab (this one included) owns the run already.
   */
  hold(runId: string, body: () => Promise<void>): Promise<boolean>;
  /** Whether a tab (this one included) owns the run now. */
  isHeld(runId: string): Promise<boolean>;
  /** Resolves once no tab owns the run; rejects when `signal` aborts first. */
  whenFree(runId: string, signal: AbortSignal): Promise<void>;
}

/** The lock a run's owner holds (import locks are named alike: workers/importApi.ts). */
export function runLockName(runId: string): string {
  return `steps-studio.run.${runId}`;
}

/** Ownership across the tabs of this browser profile, by Web Locks (navigator.locks). */
export const webLockOwnership: RunOwnership = {
  hold: (runId, body) =>
    navigator.locks.request(runLockName(runId), { ifAvailable: true }, async (lock) => {
      if (!lock) return false;
      await body();
      return true;
    }),
  async isHeld(runId) {
    const { held = [] } = await navigator.locks.query();
    return held.some((lock) => lock.name === runLockName(runId));
  },
  async whenFree(runId, signal) {
    // Shared: watching tabs do not queue behind each other, and let go at once.
    await navigator.locks.request(runLockName(runId), { mode: 'shared', signal }, async () => {});
  },
};
