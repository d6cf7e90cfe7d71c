// Progress of one long job, with a rate and time left from the current phase.

/** Units done and in all within a named phase (the phase is shown as text). */
export interface PhaseProgress {
  phase: string;
  done: number;
  total: number;
}

export class JobProgress {
  #progress = $state.raw<PhaseProgress | null>(null);
  #phaseStartedAt = 0;
  #now = $state(0);

  get current() {
    return this.#progress;
  }

  get fraction(): number {
    const p = this.#progress;
    return p && p.total > 0 ? p.done / p.total : 0;
  }

  /** Seconds left in the current phase; null until there is a rate to go by. */
  get etaSeconds(): number | null {
    const p = this.#progress;
    const elapsed = (this.#now - this.#phaseStartedAt) / 1000;
    if (!p || p.done === 0 || elapsed <= 0) return null;
    return ((p.total - p.done) * elapsed) / p.done;
  }

  update(progress: PhaseProgress): void {
    const now = performance.now();
    if (progress.phase !== this.#progress?.phase) this.#phaseStartedAt = now;
    this.#now = now;
    this.#progress = progress;
  }

  clear(): void {
    this.#progress = null;
  }
}
