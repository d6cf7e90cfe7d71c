// Exposes the storage layer to the browser tests. Playwright drives the real module in the real
// browser (real IndexedDB, real quota), which it can only reach through a global; the hook is
// installed only when the page URL carries `?e2e=1`, so normal use never sees it.
import {
  appendSamples,
  countSamples,
  createCorpus,
  deleteCorpus,
  failCorpus,
  finishCorpus,
  getCorpus,
  iterateSamples,
  listCorpora,
  listSkills,
  samplesBySkill,
} from './corpusStore';
import { onStorageNotice } from './db';
import { formatBytes, requestPersistence, storageEstimate } from './quota';
import type { StorageTestHook } from './types';

declare global {
  interface Window {
    __stepsStorage?: StorageTestHook;
  }
}

export function installStorageTestHook(): void {
  if (new URLSearchParams(location.search).get('e2e') !== '1') return;
  window.__stepsStorage = {
    createCorpus,
    appendSamples,
    finishCorpus,
    failCorpus,
    listCorpora,
    getCorpus,
    countSamples,
    listSkills,
    samplesBySkill,
    iterateSamples,
    deleteCorpus,
    requestPersistence,
    storageEstimate,
    formatBytes,
    onStorageNotice,
  };
}
