// Progress of one long worker call, with a rate and time left from the current phase.
import type { TaxonomyProgress } from '../../../workers/taxonomyApi';

export class JobProgress {
  #progress = $state.raw<TaxonomyProgress | null>(null);
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

  update(progress: TaxonomyProgress): void {
    const now = performance.now();
    if (progress.phase !== this.#progress?.phase) this.#phaseStartedAt = now;
    this.#now = now;
    this.#progress = progress;
  }

  clear(): void {
    this.#progress = null;
  }
}
