// Exposes the storage layer to the browser tests: Playwright drives the real modules in the real
// browser (real IndexedDB, real quota), which it can only reach through a global. Only test
// builds load this file (vite.config.ts adds it to index.html with `--mode test`), and Vite
// bundles it into the app's module graph, so it shares the app's modules and connection.
import {
  appendSamples,
  countSamples,
  createCorpus,
  deleteCorpus,
  failCorpus,
  finishCorpus,
  getCorpus,
  getSample,
  iterateSamples,
  listCorpora,
  resumeCorpus,
} from '../../../src/storage/corpusStore';
import { onStorageNotice } from '../../../src/storage/db';
import { idHashesOf } from '../../../src/storage/sampleIds';
import {
  getSkillIndex,
  listSkills,
  loadSkillIndex,
  samplesBySkill,
} from '../../../src/storage/skillIndexStore';
import { formatBytes, requestPersistence, storageEstimate } from '../../../src/storage/quota';
import { listReviews, samplesForExport, saveReviews } from '../../../src/storage/reviewStore';
import {
  attemptBatches,
  getAttempts,
  listAttempts,
  openRun,
  saveAttempt,
} from '../../../src/storage/synthesisStore';
import { curriculumSchedule } from '../../../src/core/export/curriculum';
import { curriculumOrder } from '../../../src/core/export/curriculumOrder';
import { exportDataset } from '../../../src/core/export/exportDataset';
import { samplesInMemory } from '../../../src/core/export/sampleSource';
import { loadDataset } from '../../../src/ui/dataset/datasetData';
import { reviewedRefs } from '../../../src/ui/dataset/sampleRefs';
import { storedSampleSource } from '../../../src/ui/dataset/storedSamples';

const storageTestHook = {
  createCorpus,
  appendSamples,
  finishCorpus,
  failCorpus,
  listCorpora,
  getCorpus,
  resumeCorpus,
  countSamples,
  getSample,
  idHashesOf,
  listSkills,
  samplesBySkill,
  getSkillIndex,
  loadSkillIndex,
  iterateSamples,
  deleteCorpus,
  requestPersistence,
  storageEstimate,
  formatBytes,
  onStorageNotice,
  listReviews,
  samplesForExport,
  saveReviews,
  openRun,
  saveAttempt,
  listAttempts,
  attemptBatches,
  getAttempts,
  // The Dataset step's reading of IndexedDB, and the export it feeds (datasetSource.spec.ts).
  loadDataset,
  reviewedRefs,
  storedSampleSource,
  samplesInMemory,
  curriculumSchedule,
  curriculumOrder,
  exportDataset,
};

/** What `window.__stepsStorage` offers the browser tests. */
export type StorageTestHook = typeof storageTestHook;

(globalThis as { __stepsStorage?: StorageTestHook }).__stepsStorage = storageTestHook;
