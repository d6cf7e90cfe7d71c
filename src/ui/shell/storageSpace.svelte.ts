// This site's storage as the browser reports it: space used and allowed, and whether the data is
// kept persistently (otherwise the allowance is only an estimate the browser may cut).
import {
  requestPersistence,
  roomWarning,
  storageEstimate,
  storagePersisted,
} from '../../storage/quota';
import type { StorageEstimate } from '../../storage/types';

export class StorageSpace {
  #estimate = $state.raw<StorageEstimate | null>(null);
  #persisted = $state<boolean | null>(null);
  #checked = $state(false);
  #asked = $state(false);

  get estimate() {
    return this.#estimate;
  }
  /** Null when the browser does not say. */
  get persisted() {
    return this.#persisted;
  }
  get checked() {
    return this.#checked;
  }
  /** The user asked to keep the data (and the browser answered). */
  get asked() {
    return this.#asked;
  }

  async refresh(): Promise<void> {
    [this.#estimate, this.#persisted] = await Promise.all([storageEstimate(), storagePersisted()]);
    this.#checked = true;
  }

  /** Asks the browser to keep this site's data; it may decline (see `persisted`). */
  async persist(): Promise<void> {
    await requestPersistence();
    this.#asked = true;
    await this.refresh();
  }

  /** A warning when `what`, needing about `needed` bytes, is large next to the room left. */
  warning(needed: number, what: string): string | null {
    return roomWarning(this.#estimate, this.#persisted, needed, what);
  }
}
