// Time left in a resumable run at the pace of this session only: work finished before a reload
// took no time here, so counting it would make the estimate far too hopeful.
export class SessionPace {
  #startedAt = 0;
  #doneAtStart = 0;
  #latestAt = $state(0);
  #active = $state(false);

  /** A session starts (or resumes) with `doneAtStart` units already finished. */
  start(doneAtStart: number): void {
    this.#startedAt = this.#latestAt = performance.now();
    this.#doneAtStart = doneAtStart;
    this.#active = true;
  }

  /** A unit finished (or an attempt ended) now. */
  tick(): void {
    this.#latestAt = performance.now();
  }

  stop(): void {
    this.#active = false;
  }

  /** Seconds until `total` at this session's pace; null before a unit finished in it. */
  etaSeconds(done: number, total: number): number | null {
    if (!this.#active) return null;
    const finished = done - this.#doneAtStart;
    const elapsed = (this.#latestAt - this.#startedAt) / 1000;
    if (finished <= 0 || elapsed <= 0) return null;
    return (Math.max(0, total - done) * elapsed) / finished;
  }
}
