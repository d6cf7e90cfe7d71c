import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { datasetCard, markdownText } from '../../../../src/core/export/datasetCard';
import {
  sizeCategory,
  type DatasetManifest,
  type RunCardInfo,
} from '../../../../src/core/export/manifest';
import {
  describeDiscard,
  groupDiscardReasons,
  type DiscardReason,
} from '../../../../src/core/synthesis/discardReason';
import { defaultTemplates } from '../../../../src/core/synthesis/prompts';
import { facts, run } from './exportFacts';

const settings = run.settings!;

const input: DatasetManifest = {
  manifest: 'steps-dataset',
  manifestVersion: 1,
  app: { name: 'STEPS Studio', version: '0.1.0' },
  createdAt: '2025-02-02T10:00:00.000Z',
  dataset: {
    name: 'Demo | corpus',
    title: 'STEPS synthetic conversations: Demo | corpus',
    license: { id: 'unknown' },
    language: ['en'],
    sourceDatasets: [],
    samples: 24,
    sizeCategory: 'n<1K',
  },
  files: [
    {
      path: 'data/train-00000.jsonl',
      format: 'alpaca',
      shape: 'alpaca',
      config: 'default',
      rows: 24,
      bytes: 4096,
      sha256: 'cd'.repeat(32),
      includeProvenance: true,
      includeRawOutput: false,
      foldedMultiTurn: 5,
    },
  ],
  ...facts,
  validPerK: [
    { k: 2, samples: 40 },
    { k: 3, samples: 30 },
  ],
  review: { accepted: 0, rejected: 0, edited: 0, unreviewed: 24 },
  curriculum: {
    epochs: 2,
    samplesPerEpoch: 12,
    seed: 99,
    ks: [2, 3],
    weights: [
      [2, 1],
      [1, 2],
    ],
    counts: [
      [8, 4],
      [4, 8],
    ],
    shortfalls: [],
    perK: [
      { k: 2, available: 40, draws: 12, distinctUsed: 12 },
      { k: 3, available: 30, draws: 12, distinctUsed: 12 },
    ],
  },
};

/** The run with other settings. */
const withSettings = (changes: Partial<typeof settings>): RunCardInfo => ({
  ...run,
  settings: { ...settings, ...changes },
});

describe('discard reasons', () => {
  it('renders each code as the text the app has always shown', () => {
    const texts: [DiscardReason, string][] = [
      [
        { code: 'no-atomic-sample', skills: ['sql', 'regex'] },
        'no corpus sample carries sql, regex',
      ],
      [
        { code: 'prompt-budget', neededTokens: 512, maxPromptTokens: 40 },
        'prompt needs 512 tokens with every example cut to the floor, but the budget is 40; raise the prompt budget',
      ],
      [
        {
          code: 'agentic-check-unreadable',
          problem: 'the answer has no "suitable": true or false',
        },
        'agentic check unreadable: the answer has no "suitable": true or false',
      ],
      [
        { code: 'not-agentic', reason: 'no data to work on.' },
        'not suited to an agent task: no data to work on.',
      ],
      [
        { code: 'unparseable', problem: 'turn 2 (assistant) is empty' },
        'turn 2 (assistant) is empty',
      ],
      [
        { code: 'not-novel', seedId: 'demo-7', similarity: 0.876 },
        'too similar to corpus sample demo-7 (estimated Jaccard 0.88)',
      ],
      [{ code: 'exact-duplicate', of: 'run:1' }, 'exact duplicate of run:1'],
      [
        { code: 'near-duplicate', of: 'run:3', similarity: 0.9 },
        'near duplicate of run:3 (estimated Jaccard 0.90)',
      ],
      [
        { code: 'coverage-budget', neededTokens: 90, maxPromptTokens: 64 },
        'coverage check: the skills and conversation do not fit the prompt budget (prompt needs 90 tokens with every example cut to the floor, but the budget is 64)',
      ],
      [
        { code: 'coverage-unreadable', problem: 'no JSON array or object found in the output' },
        'coverage check unreadable: no JSON array or object found in the output',
      ],
      [
        { code: 'too-few-skills', covered: 1, skills: 3, needed: 3, missing: ['a', 'b'] },
        'covers 1 of 3 skills, 3 needed (missing: a, b)',
      ],
    ];
    for (const [reason, text] of texts) expect(describeDiscard(reason)).toBe(text);
    // A reason stored as text before reasons had codes is shown as it was.
    expect(describeDiscard('exact duplicate of run:1')).toBe('exact duplicate of run:1');
  });

  it('groups by code, and reasons stored as text by their text with particulars blanked', () => {
    const groups = (reasons: (DiscardReason | string)[]) =>
      groupDiscardReasons(reasons).map(({ code, reason, count }) => ({ code, reason, count }));
    expect(
      groups([
        { code: 'no-atomic-sample', skills: ['sql', 'regex'] },
        { code: 'no-atomic-sample', skills: ['poetry'] },
        { code: 'too-few-skills', covered: 1, skills: 3, needed: 3, missing: ['a', 'b'] },
        { code: 'not-agentic', reason: 'no data to work on.' },
        { code: 'unparseable', problem: 'turn 2 (assistant) is empty' },
        { code: 'unparseable', problem: 'the output is empty' },
        'turn 12 has role "user" but "assistant" was expected',
      ]),
    ).toEqual([
      {
        code: 'no-atomic-sample',
        reason: 'no corpus sample carries a skill of the combination',
        count: 2,
      },
      { code: 'unparseable', reason: 'the answer is not a valid conversation', count: 2 },
      {
        code: 'not-agentic',
        reason: 'combination not suited to an agent task (agentic check)',
        count: 1,
      },
      { code: 'too-few-skills', reason: 'too few skills covered (coverage gate)', count: 1 },
      { code: 'other', reason: 'turn N has role "…" but "…" was expected', count: 1 },
    ]);
    expect(input.discarded).toEqual([
      {
        code: 'near-duplicate',
        reason: 'near duplicate of a kept sample',
        count: 2,
        example: 'near duplicate of run-7f3a:3 (estimated Jaccard 0.91)',
      },
      {
        code: 'other',
        reason: 'turn N has role "…" but "…" was expected',
        count: 2,
        example: 'turn 3 has role "user" but "assistant" was expected',
      },
      {
        code: 'exact-duplicate',
        reason: 'exact duplicate of a kept sample',
        count: 1,
        example: 'exact duplicate of run-7f3a:1',
      },
      { code: 'other', reason: 'no reason recorded', count: 1, example: 'no reason recorded' },
    ]);
  });
});

describe('sizeCategory', () => {
  it('follows the Hugging Face buckets', () => {
    expect([0, 999, 1000, 9999, 10_000, 250_000, 2_000_000].map(sizeCategory)).toEqual([
      'n<1K',
      'n<1K',
      '1K<n<10K',
      '1K<n<10K',
      '10K<n<100K',
      '100K<n<1M',
      '1M<n<10M',
    ]);
  });
});

describe('datasetCard', () => {
  const card = datasetCard(input);

  it('starts with YAML front matter: licence, language, task, size, tags, configs', () => {
    const [, front] = card.split(/^---\n|\n---\n/);
    expect(parse(front)).toEqual({
      pretty_name: 'STEPS synthetic conversations: Demo | corpus',
      license: 'unknown',
      language: ['en'],
      annotations_creators: ['machine-generated'],
      language_creators: ['machine-generated'],
      source_datasets: ['original'],
      task_categories: ['text-generation'],
      size_categories: ['n<1K'],
      tags: ['synthetic', 'steps', 'skill-composition'],
      configs: [
        {
          config_name: 'default',
          data_files: [{ split: 'train', path: 'data/train-00000.jsonl' }],
        },
      ],
    });
    expect(card).toContain('No licence was chosen (`unknown`).');
  });

  it('has every section, in order', () => {
    const headings = card.split('\n').filter((line) => line.startsWith('## '));
    expect(headings).toEqual([
      '## Licence',
      '## Files',
      '## Source corpus',
      '## Taxonomy',
      '## Combination search',
      '## Synthesis',
      '## Counts',
      '## Review',
      '## Tokens',
      '## Curriculum',
      '## Provenance fields',
    ]);
    expect(datasetCard({ ...input, curriculum: null })).not.toContain('## Curriculum');
  });

  it('states the corpus, taxonomy and search parameters', () => {
    expect(card).toContain('| name | Demo \\| corpus |');
    expect(card).toContain('| samples | 1200 |');
    expect(card).toContain('| distinct skills | 57 |');
    expect(card).toContain('| levels | 3 |');
    expect(card).toContain('| tree builder | optimised |');
    expect(card).toContain('| edge weighting | npmi |');
    expect(card).toContain('| entropy mode | standard |');
    expect(card).toContain('| communities per level | 4 · 11 · 23 |');
    expect(card).toContain('| structural entropy H^T | 3.1235 |');
    expect(card).toContain('| sweet spot θ = 1 − H^T / H^1 | 0.4321 |');
    expect(card).toContain('| beam width | 10 |');
    expect(card).toContain('| search mode | local |');
    expect(card).toContain('The run drew from 55 of k = 2, 48 of k = 3 combinations.');
    expect(card).toContain('| 1 | 1 | Writing | user |');
  });

  it('states the synthesis settings and the template text', () => {
    expect(card).toContain('| model | Qwen2.5-0.5B-Instruct |');
    expect(card).toContain('| engine | webllm |');
    expect(card).toContain('| template | steps-fusion (fusion, version 1) |');
    expect(card).toContain('| seed | 4242 |');
    expect(card).toContain('| temperature | 0.8 |');
    expect(card).toContain('| top_p | 0.95 |');
    expect(card).toContain('| max_tokens | 768 |');
    expect(card).toContain('| deduplication | on (near-duplicate threshold 0.8) |');
    expect(card).toContain('| skill coverage (model-judged) | on (at least 0.5 of the k skills) |');
    expect(card).toContain('| agentic suitability check | off |');
    expect(card).toContain(`\`\`\`text\n${defaultTemplates.fusion.user}\n\`\`\``);
  });

  it('states the counts, the discards, the curriculum and the provenance fields', () => {
    expect(card).toContain('| 2 | 40 |\n| 3 | 30 |\n| total | 70 |');
    expect(card).toContain('6 attempts were discarded:');
    expect(card).toContain(
      '| near duplicate of a kept sample | `near-duplicate` | 2 | near duplicate of run-7f3a:3 (estimated Jaccard 0.91) |',
    );
    expect(card).toContain('2 epochs × 12 samples, seed 99.');
    expect(card).toContain(
      '| epoch | k = 2 | k = 3 |\n| --- | --- | --- |\n| 1 | 8 | 4 |\n| 2 | 4 | 8 |',
    );
    expect(card).toContain('5 rows were folded that way');
    expect(card).toContain('under the `steps` key');
    expect(card).toContain('| `atomicSampleIds` |');
    expect(card).toContain('| `rawOutput` |');
  });

  it('says when the search settings were not recorded', () => {
    const unrecorded = datasetCard({ ...input, runs: [withSettings({ combinationSetIds: [] })] });
    expect(unrecorded).toContain(
      'The run drew from 55 of k = 2, 48 of k = 3 combinations; the search settings that produced them were not recorded with it.',
    );
  });

  it('shows each search a run drew from, and counts the ones no longer stored', () => {
    const k2 = {
      ...input.combinationSets[0],
      id: 'combinations|t|2|5|global|2',
      size: 2,
      mode: 'global',
    };
    const text = datasetCard({
      ...input,
      combinationSets: [...input.combinationSets, k2],
      runs: [withSettings({ combinationSetIds: [k2.id, input.combinationSets[0].id, 'gone'] })],
    });
    expect(text).toContain('| Parameter | search 1 | search 2 |');
    expect(text).toContain('| skills per combination (k) | 2 | 3 |');
    expect(text).toContain('| search mode | global | local |');
    expect(text).toContain('The settings of 1 more search are no longer stored.');
  });

  it('never prints fields it was not asked for, such as an API key', () => {
    const leaky = {
      ...run,
      apiKey: 'sk-secret-123',
      model: { ...run.model, apiKey: 'sk-secret-456', baseUrl: 'https://x' },
    };
    const text = datasetCard({ ...input, runs: [leaky] });
    expect(text).not.toMatch(/apiKey|sk-secret|baseUrl/);
  });

  it('states where combinations are reused, and says when none are', () => {
    expect(card).toContain('| combinations reused | none |');
    const reused = datasetCard({
      ...input,
      runs: [
        withSettings({
          targetPerK: [
            { k: 2, target: 12 },
            { k: 3, target: 4 },
            { k: 4, target: 5 },
          ],
          combinationsPerK: [
            { k: 2, combinations: 5 },
            { k: 3, combinations: 4 },
            { k: 4, combinations: 1 },
          ],
        }),
      ],
    });
    expect(reused).toContain(
      '| combinations reused | k = 2: 12 samples wanted from 5 distinct combinations, so each is used 2 or 3 times (more when attempts fail); k = 4: 5 samples wanted from 1 distinct combination, so each is used 5 times (more when attempts fail) |',
    );
  });

  it('escapes markup and table breaks in every name a corpus or a model supplies', () => {
    const hostile = 'x<img src=x onerror=alert(1)>|<script>alert(2)</script>\n# heading &amp;';
    const text = datasetCard({
      ...input,
      dataset: { ...input.dataset, title: `STEPS synthetic conversations: ${hostile}` },
      corpus: { ...input.corpus!, name: hostile, fileName: `${hostile}.jsonl` },
      taxonomies: [{ ...input.taxonomies[0], id: hostile }],
      runs: [
        {
          ...withSettings({ taxonomyId: hostile }),
          model: { id: `<b>model</b>|${hostile}`, engine: 'openai' },
        },
        { ...run, id: `run-<i>2</i>`, template: { ...run.template, id: '<u>t</u>' } },
      ],
      discarded: groupDiscardReasons([
        { code: 'unparseable', problem: 'saw <script>x</script> | in\nthe answer' },
        'old reason <iframe src=z>',
      ]),
    });
    expect(text).not.toMatch(/<(img|script|b|i|u|iframe)\b/i);
    expect(text).not.toContain('\n# heading');
    const escaped = markdownText(hostile);
    expect(escaped).toBe(
      'x&lt;img src=x onerror=alert(1)&gt;|&lt;script&gt;alert(2)&lt;/script&gt; # heading &amp;amp;',
    );
    expect(text).toContain(`# STEPS synthetic conversations: ${escaped}`);
    expect(text).toContain(`from examples of the corpus “${escaped}”`);
    expect(text).toContain(`| name | ${markdownText(hostile, { inTable: true })} |`);
    expect(text).toContain('| model | &lt;b&gt;model&lt;/b&gt;\\|x&lt;img');
    expect(text).toContain('| saw &lt;script&gt;x&lt;/script&gt; \\| in the answer |');
    // Every table row still has as many cells as its header.
    for (const block of text.split('\n\n').filter((lines) => lines.startsWith('| '))) {
      const rows = block.split('\n').filter((line) => line.startsWith('| '));
      const cells = (row: string) => row.replace(/\\\|/g, '').split('|').length;
      for (const row of rows) expect(cells(row)).toBe(cells(rows[0]));
    }
  });

  it('keeps a template with backticks inside its fence', () => {
    const text = datasetCard({
      ...input,
      runs: [
        {
          ...withSettings({
            templateText: {
              ...settings.templateText,
              user: 'Use ```code``` {{skills}} {{examples}}',
            },
          }),
          template: { ...run.template, id: 'user-fusion', version: 2 },
        },
      ],
    });
    expect(text).toContain('````text\nUse ```code``` {{skills}} {{examples}}\n````');
  });
});
