// Card facts and an export request for the export tests.
import type { CardFacts, ExportRequest } from '../../../../src/core/export/exportDataset';
import type { RunCardInfo } from '../../../../src/core/export/manifest';
import { samplesInMemory } from '../../../../src/core/export/sampleSource';
import { groupDiscardReasons } from '../../../../src/core/synthesis/discardReason';
import { defaultTemplates } from '../../../../src/core/synthesis/prompts';
import { exportSamples } from './exportSamples';

export const run: RunCardInfo = {
  id: 'run-7f3a',
  model: { id: 'Qwen2.5-0.5B-Instruct', engine: 'webllm' },
  template: { id: 'steps-fusion', kind: 'fusion', version: 1 },
  generation: { temperature: 0.8, top_p: 0.95, max_tokens: 768 },
  attempts: 81,
  valid: 70,
  discarded: 11,
  settings: {
    status: 'done',
    taxonomyId: 'taxonomy|graph|c1|npmi|2|3|optimised|standard',
    combinationSetIds: ['combinations|t|3|10|local|1'],
    createdAt: '2025-02-01T08:30:00.000Z',
    templateText: { system: defaultTemplates.fusion.system, user: defaultTemplates.fusion.user },
    seed: 4242,
    maxPromptTokens: 1500,
    maxAttemptsPerSlot: 3,
    quality: {
      dedup: true,
      nearDuplicateThreshold: 0.8,
      novelty: false,
      coverage: true,
      minCoverage: 0.5,
    },
    agenticCheck: null,
    targetPerK: [
      { k: 2, target: 40 },
      { k: 3, target: 30 },
    ],
    combinationsPerK: [
      { k: 2, combinations: 55 },
      { k: 3, combinations: 48 },
    ],
  },
};

export const facts: CardFacts = {
  corpus: {
    name: 'Demo | corpus',
    fileName: 'demo.jsonl',
    samples: 1200,
    taggedSamples: 1180,
    skills: 57,
    sha256: 'ab'.repeat(32),
  },
  taxonomies: [
    {
      id: run.settings!.taxonomyId,
      levels: 3,
      builder: 'optimised',
      weighting: 'npmi',
      minCount: 2,
      entropyMode: 'standard',
      skillCount: 57,
      edgeCount: 412,
      communityCount: [4, 11, 23],
      structuralEntropy: 3.123456,
      firstOrderEntropy: 5.5,
      sweetSpot: 0.432099,
      nodeNames: [
        { level: 1, community: 0, name: 'Data wrangling', source: 'model' },
        { level: 1, community: 1, name: 'Writing', source: 'user' },
      ],
    },
  ],
  combinationSets: [
    {
      id: 'combinations|t|3|10|local|1',
      taxonomyId: run.settings!.taxonomyId,
      size: 3,
      beamWidth: 10,
      mode: 'local',
      perStart: 1,
      combinations: 48,
    },
  ],
  runs: [run],
  validPerK: [
    { k: 2, samples: 2 },
    { k: 3, samples: 1 },
  ],
  discarded: groupDiscardReasons([
    { code: 'near-duplicate', of: 'run-7f3a:3', similarity: 0.91 },
    { code: 'near-duplicate', of: 'run-7f3a:9', similarity: 0.85 },
    // Attempts stored before reasons were typed carry only their text.
    'turn 3 has role "user" but "assistant" was expected',
    'turn 5 has role "user" but "assistant" was expected',
    { code: 'exact-duplicate', of: 'run-7f3a:1' },
    null,
  ]),
  tokens: { samples: 3, promptTokens: 240, completionTokens: 106 },
  curriculum: null,
};

export const request: ExportRequest = {
  samples: samplesInMemory(exportSamples),
  formats: ['openai', 'sharegpt', 'alpaca', 'parquet', 'csv'],
  tableShape: 'openai',
  includeProvenance: true,
  includeRawOutput: false,
  dataset: {
    name: 'Demo skills',
    license: { id: 'cc-by-4.0' },
    language: ['en'],
    sourceDatasets: ['BAAI/Infinity-Instruct'],
  },
  facts,
  appVersion: '0.1.0',
  createdAt: '2025-02-02T10:00:00.000Z',
};
