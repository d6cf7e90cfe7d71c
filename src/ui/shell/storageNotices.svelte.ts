// The storage layer's notices (src/storage/db.ts) as the app shows them: the problems the user
// must act on, and whether stored data can be read at all yet.
import { onStorageNotice, openStudioDb } from '../../storage/db';
import type { StorageNotice } from '../../storage/types';

export class StorageNotices {
  #notices = $state.raw<StorageNotice[]>([]);
  readonly #unsubscribe: () => void;

  /** Subscribes at once: the first notice can come with the app's first read of its data. */
  constructor() {
    this.#unsubscribe = onStorageNotice((notice) => this.#add(notice));
  }

  /** The notices in force, one of each kind, oldest first. */
  get notices() {
    return this.#notices;
  }
  /** The database waits for another tab to let it upgrade: nothing stored can be read until then. */
  get blocked() {
    return this.#notices.some((notice) => notice.kind === 'blocked');
  }

  dispose(): void {
    this.#unsubscribe();
  }

  #add(notice: StorageNotice): void {
    this.#notices = [...this.#notices.filter((n) => n.kind !== notice.kind), notice];
    if (notice.kind !== 'blocked') return;
    // The blocked open is the shared connection's: once it settles, the wait is over (a failure
    // reaches the read that asked for the data).
    const settled = () => (this.#notices = this.#notices.filter((n) => n.kind !== 'blocked'));
    void openStudioDb().then(settled, settled);
  }
}
