// The corpora kept in this browser, the storage they use, and the corpus the later steps work on.
import { deleteCorpus, interruptCorpus, listCorpora } from '../../storage/corpusStore';
import { formatBytes, requestPersistence, storageEstimate } from '../../storage/quota';
import type { CorpusRecord, StorageEstimate } from '../../storage/types';
import { importLockName } from '../../../workers/importApi';

const CURRENT_CORPUS_KEY = 'steps-studio.currentCorpus';

export class CorporaManager {
  #corpora = $state.raw<CorpusRecord[]>([]);
  #estimate = $state.raw<StorageEstimate | null>(null);
  #persisted = $state<boolean | null>(null);
  #currentId = $state<string | null>(localStorage.getItem(CURRENT_CORPUS_KEY));
  #loaded = $state(false);

  get corpora() {
    return this.#corpora;
  }
  get loaded() {
    return this.#loaded;
  }
  get persisted() {
    return this.#persisted;
  }
  get current(): CorpusRecord | null {
    return this.#corpora.find((corpus) => corpus.id === this.#currentId) ?? null;
  }
  get usage(): string | null {
    const estimate = this.#estimate;
    if (!estimate) return null;
    return `${formatBytes(estimate.usage)} of ${formatBytes(estimate.quota)} used`;
  }

  async load(): Promise<void> {
    // An import marked as running whose worker no longer holds its lock (in any tab) was cut
    // off by a reload or a crash: say so, and keep what it stored, to resume it. One whose lock
    // is held may be running in another tab, or its page may just be going away (a reload
    // releases the lock a moment later): it is watched until the lock is free.
    const held = (await navigator.locks.query()).held?.map((lock) => lock.name) ?? [];
    for (const corpus of await listCorpora()) {
      if (corpus.status !== 'importing') continue;
      if (held.includes(importLockName(corpus.id))) void this.#interruptWhenReleased(corpus.id);
      else await interruptCorpus(corpus.id);
    }
    this.#persisted = await requestPersistence();
    await this.refresh();
    this.#loaded = true;
  }

  async refresh(): Promise<void> {
    this.#corpora = await listCorpora();
    this.#estimate = await storageEstimate();
    if (!this.current) this.#select(this.#corpora.find((c) => c.status === 'ready')?.id ?? null);
  }

  select(id: string): void {
    this.#select(id);
  }

  async remove(id: string): Promise<void> {
    await deleteCorpus(id);
    if (this.#currentId === id) this.#select(null);
    await this.refresh();
  }

  /** Marks the import interrupted if it is still importing once its lock is free. */
  async #interruptWhenReleased(corpusId: string): Promise<void> {
    await navigator.locks.request(importLockName(corpusId), () => interruptCorpus(corpusId));
    await this.refresh();
  }

  #select(id: string | null) {
    this.#currentId = id;
    if (id) localStorage.setItem(CURRENT_CORPUS_KEY, id);
    else localStorage.removeItem(CURRENT_CORPUS_KEY);
  }
}
