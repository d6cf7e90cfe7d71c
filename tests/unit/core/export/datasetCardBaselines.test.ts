import { describe, expect, it } from 'vitest';
import { datasetCard } from '../../../../src/core/export/datasetCard';
import type { BaselinesCardInfo, DatasetManifest } from '../../../../src/core/export/manifest';
import { facts } from './exportFacts';

const input: DatasetManifest = {
  manifest: 'steps-dataset',
  manifestVersion: 1,
  app: { name: 'STEPS Studio', version: '0.0.0' },
  createdAt: '2026-01-01T00:00:00.000Z',
  dataset: {
    name: 'demo',
    license: { id: 'mit' },
    language: ['en'],
    sourceDatasets: [],
    title: 'STEPS synthetic conversations: demo',
    samples: 3,
    sizeCategory: 'n<1K',
  },
  files: [],
  ...facts,
  review: { accepted: 0, rejected: 0, edited: 0, unreviewed: 3 },
};

const row = (method: string, entropy: number, depth: number, scope?: number) => ({
  method,
  ...(scope !== undefined && { scope }),
  sets: 12,
  shortSets: 0,
  meanConditionalEntropy: entropy,
  unseenShare: 0.25,
  meanCommonDepth: depth,
  topPartnerShare: 0.5,
});

const comparison: BaselinesCardInfo = {
  combinationSetId: 'combinations|v2|t|3|10|local|1|0',
  size: 3,
  beamWidth: 10,
  seed: 1,
  rows: [
    row('steps-local', 0.32, 2.5),
    row('steps-local', 0.4, 1, 1),
    row('random', 0.76, 0.4),
    row('frequent', 0.5, 1.2),
  ],
};

describe('the baselines section of the dataset card', () => {
  it('is absent without a comparison', () => {
    expect(datasetCard(input)).not.toContain('## STEPS against its baselines');
    expect(datasetCard({ ...input, baselines: [] })).not.toContain('baselines');
  });

  it('lists every method with its measures, and says STEPS local is below random when it is', () => {
    const card = datasetCard({ ...input, baselines: [comparison] });
    const section = card.slice(card.indexOf('## STEPS against its baselines'));
    expect(section).toContain('k = 3, beam width 10, random sets seeded 1');
    expect(section).toContain('| steps-local |  | 0.3200 | 0.2500 | 2.5000 | 0.5000 | 12 | 0 |');
    expect(section).toContain('| steps-local | 1 | 0.4000 |');
    expect(section).toContain('| random |  | 0.7600 |');
    expect(section).toContain(
      'STEPS local is below random sets on mean H(Y | x) (0.3200 against 0.7600) and more coherent than them',
    );
  });

  it('says above when the numbers have it above', () => {
    const above = { ...comparison, rows: [row('steps-local', 0.9, 0.2), row('random', 0.7, 0.4)] };
    expect(datasetCard({ ...input, baselines: [above] })).toContain(
      'STEPS local is above random sets on mean H(Y | x) (0.9000 against 0.7000) and less coherent than them',
    );
  });
});
