import type { DiscardGroup } from '../synthesis/discardReason';
import type { TemplateKind } from '../synthesis/prompts';
import { combinationReuse, describeReuse } from '../synthesis/combinationReuse';
import type { CurriculumKUse, CurriculumShortfall } from './curriculumOrder';
import { provenanceFields, type DatasetFormat } from './datasetFormats';

/**
 * A dataset card (README.md in the Hugging Face style: YAML front matter, then Markdown) that
 * says where an exported file came from: corpus, taxonomy, combination search, synthesis
 * settings, counts, curriculum and provenance fields. The input holds only the fields shown, so
 * nothing else a stored record carries (an endpoint's key, say) can reach the card. Every text
 * from a record (names and ids from a corpus file or a model, reasons quoting an answer) goes
 * through `markdownText`, so none can add HTML or break a table where a hub renders the card.
 */
export interface DatasetCardInput {
  corpus: {
    name: string;
    fileName: string;
    samples: number;
    /** null when the import did not finish with statistics. */
    taggedSamples: number | null;
    skills: number | null;
  };
  taxonomies: TaxonomyCardInfo[];
  combinationSets: CombinationSetCardInfo[];
  runs: RunCardInfo[];
  file: {
    name: string;
    format: DatasetFormat;
    lines: number;
    includeProvenance: boolean;
    includeRawOutput: boolean;
    /** Alpaca: lines of multi-turn samples whose earlier turns went into `input`. */
    foldedMultiTurn: number;
  };
  /** Valid samples exported (before any curriculum repetition), per k. */
  validPerK: { k: number; samples: number }[];
  /** Discarded attempts grouped by code (`groupDiscardReasons`). */
  discarded: DiscardGroup[];
  curriculum: CurriculumCardInfo | null;
  /** STEPS against its baselines, for the combination searches that were compared. */
  baselines?: BaselinesCardInfo[];
  /** ISO 8601 time the card was written. */
  createdAt: string;
}

export interface TaxonomyCardInfo {
  id: string;
  levels: number;
  builder: string;
  weighting: string;
  minCount: number;
  entropyMode: string;
  skillCount: number;
  edgeCount: number;
  /** Communities on each level, level 1 first. */
  communityCount: number[];
  structuralEntropy: number;
  firstOrderEntropy: number;
  sweetSpot: number;
}

export interface CombinationSetCardInfo {
  id: string;
  taxonomyId: string;
  size: number;
  beamWidth: number;
  mode: string;
  perStart: number;
  combinations: number;
}

export interface RunCardInfo {
  id: string;
  status: string;
  taxonomyId: string;
  /** The combination searches the run's combinations came from; empty when not recorded. */
  combinationSetIds: string[];
  createdAt: string;
  template: { id: string; kind: TemplateKind; version: number; system: string; user: string };
  model: { id: string; engine: string };
  seed: number;
  generation: { temperature: number; top_p: number; max_tokens: number };
  maxPromptTokens: number;
  maxAttemptsPerSlot: number;
  quality: {
    dedup: boolean;
    nearDuplicateThreshold: number;
    novelty: boolean;
    /** The model-judged skill-coverage gate and the share of skills it required. */
    coverage: boolean;
    minCoverage: number;
  };
  /** The agentic-check template the run asked each combination with; null when not asked. */
  agenticCheck: { id: string; version: number } | null;
  targetPerK: { k: number; target: number }[];
  /** Combinations the run drew from, per k. */
  combinationsPerK: { k: number; combinations: number }[];
  attempts: number;
  valid: number;
  discarded: number;
}

export interface CurriculumCardInfo {
  epochs: number;
  samplesPerEpoch: number;
  seed: number;
  ks: number[];
  /** Per epoch, per k (parallel to ks). */
  weights: number[][];
  counts: number[][];
  shortfalls: CurriculumShortfall[];
  perK: CurriculumKUse[];
}

/** The Hugging Face `size_categories` value for a row count. */
export function sizeCategory(rows: number): string {
  const bounds: [number, string][] = [
    [1e3, '1K'],
    [1e4, '10K'],
    [1e5, '100K'],
    [1e6, '1M'],
    [1e7, '10M'],
    [1e8, '100M'],
    [1e9, '1B'],
  ];
  let lower = 'n';
  for (const [bound, name] of bounds) {
    if (rows < bound) return lower === 'n' ? `n<${name}` : `${lower}<n<${name}`;
    lower = name;
  }
  return 'n>1B';
}

const FORMAT_SHAPE: Record<DatasetFormat, string> = {
  openai: '`{"messages": [{"role", "content"}, …]}` (OpenAI chat fine-tuning)',
  sharegpt: '`{"conversations": [{"from": "system" | "human" | "gpt", "value"}, …]}` (ShareGPT)',
  alpaca: '`{"instruction", "input", "output"}`, plus `"system"` when there is one (Alpaca)',
};

const HTML_ENTITIES = new Map([
  ['&', '&amp;'],
  ['<', '&lt;'],
  ['>', '&gt;'],
]);

/**
 * Text made inert in rendered Markdown: HTML's special characters as entities (no tag, comment
 * or entity of the text's own), line breaks as spaces (no heading, list or table row of its
 * own); in a table cell, pipes escaped too (no cell of its own).
 */
export function markdownText(value: string | number | boolean, { inTable = false } = {}): string {
  const text = String(value)
    .replace(/[&<>]/g, (char) => HTML_ENTITIES.get(char)!)
    .replace(/\r\n?|\n|\u2028|\u2029/g, ' ');
  return inTable ? text.replace(/\|/g, '\\|') : text;
}

const cell = (value: string | number | boolean) => markdownText(value, { inTable: true });

function table(header: string[], rows: (string | number | boolean)[][]): string {
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** A fenced block that no backtick run inside the text can close early. */
function fenced(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text}\n${fence}`;
}

const fixed = (value: number, digits = 4) => value.toFixed(digits);

function frontMatter(input: DatasetCardInput, title: string): string {
  return [
    '---',
    `pretty_name: ${JSON.stringify(markdownText(title))}`,
    '# Placeholder: set the licence before publishing (see "Licence" below).',
    'license: other',
    'task_categories:',
    '  - text-generation',
    'size_categories:',
    `  - ${sizeCategory(input.file.lines)}`,
    'tags:',
    '  - synthetic',
    '  - steps',
    '  - skill-composition',
    '---',
  ].join('\n');
}

function fileSection(input: DatasetCardInput): string {
  const { file, curriculum } = input;
  const lines = [
    `\`${markdownText(file.name)}\`: ${file.lines} lines of JSON, one training conversation each, shaped ${FORMAT_SHAPE[file.format]}.`,
  ];
  if (file.format === 'alpaca') {
    lines.push(
      '',
      `Alpaca holds one instruction/output pair. A multi-turn conversation keeps its last user/assistant pair as \`instruction\`/\`output\` and its earlier turns as a transcript in \`input\` (\`User: …\` / \`Assistant: …\` lines); ${file.foldedMultiTurn} lines were folded that way.`,
    );
  }
  lines.push(
    '',
    file.includeProvenance
      ? `Every line carries its provenance under the \`steps\` key (fields below)${file.includeRawOutput ? ', including the model’s raw answer' : '; the model’s raw answer is left out'}.`
      : 'Provenance is not included in the lines; the fields below are what an export with provenance carries.',
  );
  if (curriculum) {
    lines.push(
      '',
      `The lines follow a curriculum: ${curriculum.epochs} epochs of ${curriculum.samplesPerEpoch} samples, epoch 1 first (lines 1–${curriculum.samplesPerEpoch}), so a sample can appear in several epochs. Train in file order, without shuffling, to keep it.`,
    );
  }
  return lines.join('\n');
}

function corpusSection(input: DatasetCardInput): string {
  const { corpus } = input;
  const known = (value: number | null) => (value === null ? 'not recorded' : value);
  return table(
    ['Source corpus', ''],
    [
      ['name', corpus.name],
      ['file', corpus.fileName],
      ['samples', corpus.samples],
      ['tagged samples', known(corpus.taggedSamples)],
      ['distinct skills', known(corpus.skills)],
    ],
  );
}

function taxonomySection(input: DatasetCardInput): string {
  const usedIds = [...new Set(input.runs.map((run) => run.taxonomyId))];
  return usedIds
    .map((id) => {
      const taxonomy = input.taxonomies.find((t) => t.id === id);
      const heading = usedIds.length > 1 ? `### Taxonomy \`${markdownText(id)}\`\n\n` : '';
      if (!taxonomy) return `${heading}The taxonomy \`${markdownText(id)}\` is no longer stored.`;
      return (
        heading +
        table(
          ['Parameter', 'Value'],
          [
            ['levels', taxonomy.levels],
            ['tree builder', taxonomy.builder],
            ['edge weighting', taxonomy.weighting],
            ['minimum co-occurrence count', taxonomy.minCount],
            ['entropy mode', taxonomy.entropyMode],
            ['skills', taxonomy.skillCount],
            ['edges', taxonomy.edgeCount],
            ['communities per level', taxonomy.communityCount.join(' · ')],
            ['structural entropy H^T', fixed(taxonomy.structuralEntropy)],
            ['first-order entropy H^1', fixed(taxonomy.firstOrderEntropy)],
            ['sweet spot θ = 1 − H^T / H^1', fixed(taxonomy.sweetSpot)],
          ],
        )
      );
    })
    .join('\n\n');
}

function combinationSection(input: DatasetCardInput): string {
  return input.runs
    .map((run) => {
      const heading = input.runs.length > 1 ? `### Run \`${markdownText(run.id)}\`\n\n` : '';
      const drawn = run.combinationsPerK.map((c) => `${c.combinations} of k = ${c.k}`).join(', ');
      const sets = run.combinationSetIds.flatMap((id) =>
        input.combinationSets.filter((set) => set.id === id),
      );
      const lost = run.combinationSetIds.length - sets.length;
      if (sets.length === 0) {
        return `${heading}The run drew from ${drawn} combinations; the search settings that produced them were ${lost > 0 ? 'not kept' : 'not recorded with it'}.`;
      }
      const rows: [string, (set: CombinationSetCardInfo) => string | number][] = [
        ['skills per combination (k)', (set) => set.size],
        ['beam width', (set) => set.beamWidth],
        ['search mode', (set) => set.mode],
        ['combinations per start skill', (set) => set.perStart],
        ['combinations found', (set) => set.combinations],
      ];
      const header = [
        'Parameter',
        ...sets.map((_, i) => (sets.length > 1 ? `search ${i + 1}` : 'Value')),
      ];
      return [
        heading +
          table(
            header,
            rows.map(([name, value]) => [name, ...sets.map(value)]),
          ),
        '',
        `The run drew from ${drawn} combinations.` +
          (lost > 0
            ? ` The settings of ${lost} more search${lost === 1 ? '' : 'es'} are no longer stored.`
            : ''),
      ].join('\n');
    })
    .join('\n\n');
}

function synthesisSection(input: DatasetCardInput): string {
  const runs = input.runs.map((run) => {
    const heading = input.runs.length > 1 ? `### Run \`${markdownText(run.id)}\`\n\n` : '';
    return (
      heading +
      table(
        ['Parameter', 'Value'],
        [
          ['run id', run.id],
          ['status', run.status],
          ['started', run.createdAt],
          ['model', run.model.id],
          ['engine', run.model.engine],
          [
            'template',
            `${run.template.id} (${run.template.kind}, version ${run.template.version})`,
          ],
          ['seed', run.seed],
          ['temperature', run.generation.temperature],
          ['top_p', run.generation.top_p],
          ['max_tokens', run.generation.max_tokens],
          ['prompt budget (tokens)', run.maxPromptTokens],
          ['attempts per slot at most', run.maxAttemptsPerSlot],
          [
            'deduplication',
            run.quality.dedup
              ? `on (near-duplicate threshold ${run.quality.nearDuplicateThreshold})`
              : 'off',
          ],
          ['novelty against the corpus', run.quality.novelty ? 'on' : 'off'],
          [
            'skill coverage (model-judged)',
            run.quality.coverage
              ? `on (at least ${run.quality.minCoverage} of the k skills)`
              : 'off',
          ],
          [
            'agentic suitability check',
            run.agenticCheck
              ? `on (${run.agenticCheck.id}, version ${run.agenticCheck.version})`
              : 'off',
          ],
          ['target per k', run.targetPerK.map((t) => `k = ${t.k}: ${t.target}`).join(', ')],
          ['combinations reused', reuseText(run)],
          ['attempts', run.attempts],
          ['valid', run.valid],
          ['discarded', run.discarded],
        ],
      )
    );
  });
  const templates = new Map<string, RunCardInfo['template']>();
  for (const run of input.runs) {
    // Keyed by the text too: two edits can share an id and version.
    const { id, version, system, user } = run.template;
    templates.set(JSON.stringify([id, version, system, user]), run.template);
  }
  const texts = [...templates.values()].map((template) =>
    [
      `### Template \`${markdownText(template.id)}\` version ${template.version}`,
      '',
      'System:',
      '',
      fenced(template.system),
      '',
      'User:',
      '',
      fenced(template.user),
    ].join('\n'),
  );
  return [...runs, ...texts].join('\n\n');
}

/** Where fewer distinct combinations of a k exist than samples were wanted. */
function reuseText(run: RunCardInfo): string {
  const reuse = combinationReuse(
    new Map(run.targetPerK.map((t) => [t.k, t.target])),
    new Map(run.combinationsPerK.map((c) => [c.k, c.combinations])),
  );
  return reuse.length === 0 ? 'none' : reuse.map(describeReuse).join('; ');
}

function countsSection(input: DatasetCardInput): string {
  const total = input.validPerK.reduce((sum, row) => sum + row.samples, 0);
  const valid = table(
    ['k', 'valid samples'],
    [...input.validPerK.map((row) => [row.k, row.samples]), ['total', total]],
  );
  const discardedTotal = input.discarded.reduce((sum, group) => sum + group.count, 0);
  const discarded =
    input.discarded.length === 0
      ? 'No attempt was discarded.'
      : `${discardedTotal} ${discardedTotal === 1 ? 'attempt was' : 'attempts were'} discarded:\n\n` +
        table(
          ['reason', 'code', 'attempts', 'example'],
          input.discarded.map((group) => [
            group.reason,
            `\`${group.code}\``,
            group.count,
            group.example.length > 200 ? `${group.example.slice(0, 200)}…` : group.example,
          ]),
        );
  return `${valid}\n\n${discarded}`;
}

function curriculumSection(curriculum: CurriculumCardInfo): string {
  const header = ['epoch', ...curriculum.ks.map((k) => `k = ${k}`)];
  const lines = [
    `${curriculum.epochs} epochs × ${curriculum.samplesPerEpoch} samples, seed ${curriculum.seed}. Samples per epoch and k:`,
    '',
    table(
      header,
      curriculum.counts.map((row, epoch) => [epoch + 1, ...row]),
    ),
    '',
    'Weights per epoch and k:',
    '',
    table(
      header,
      curriculum.weights.map((row, epoch) => [epoch + 1, ...row.map((w) => fixed(w, 2))]),
    ),
    '',
    table(
      ['k', 'samples', 'draws', 'distinct samples used'],
      curriculum.perK.map((use) => [use.k, use.available, use.draws, use.distinctUsed]),
    ),
  ];
  if (curriculum.shortfalls.length > 0) {
    lines.push(
      '',
      'Where an epoch needed more samples of a k than exist, samples repeat within that epoch:',
      '',
      table(
        ['epoch', 'k', 'needed', 'available', 'repeats'],
        curriculum.shortfalls.map((s) => [s.epoch + 1, s.k, s.needed, s.available, s.repeats]),
      ),
    );
  }
  return lines.join('\n');
}

function provenanceSection(input: DatasetCardInput): string {
  return table(
    ['field', 'meaning'],
    provenanceFields.map((field) => [`\`${field.name}\``, field.meaning]),
  ).concat(
    input.file.includeProvenance
      ? ''
      : '\n\nThis file was exported without them; export again with provenance to get them.',
  );
}

// ---- STEPS against its baselines (compareMethods, src/core/combinations/compareMethods.ts) ----

export interface BaselinesCardInfo {
  /** The combination search whose taxonomy, k and beam width were compared. */
  combinationSetId: string;
  size: number;
  beamWidth: number;
  /** Seed of the random sets. */
  seed: number;
  rows: {
    method: string;
    /** A STEPS local row's coherence scope; absent for the others. */
    scope?: number;
    sets: number;
    shortSets: number;
    meanConditionalEntropy: number;
    unseenShare: number;
    meanCommonDepth: number;
    topPartnerShare: number;
  }[];
}

/** Each comparison as a table, and STEPS local against random in words taken from the numbers. */
function baselinesSection(comparisons: BaselinesCardInfo[]): string {
  return comparisons
    .map((comparison) => {
      const { rows, size } = comparison;
      const lines = [
        `Search \`${markdownText(comparison.combinationSetId)}\`: k = ${size}, beam width ${comparison.beamWidth}, random sets seeded ${comparison.seed}; one set per start skill and method.`,
        '',
        table(
          [
            'method',
            'coherence scope',
            'mean H(Y | x)',
            'share unseen in the corpus',
            'mean depth of the common community',
            'most repeated partner’s share',
            'sets',
            'short sets',
          ],
          rows.map((row) => [
            row.method,
            row.scope ?? '',
            fixed(row.meanConditionalEntropy),
            fixed(row.unseenShare),
            fixed(row.meanCommonDepth),
            fixed(row.topPartnerShare),
            row.sets,
            row.shortSets,
          ]),
        ),
      ];
      const local = rows.find((row) => row.method === 'steps-local' && row.scope === undefined);
      const random = rows.find((row) => row.method === 'random');
      if (local && random) {
        const side = (ours: number, theirs: number, above: string, below: string) =>
          ours > theirs ? above : ours < theirs ? below : 'level with';
        lines.push(
          '',
          `At k = ${size}, STEPS local is ${side(local.meanConditionalEntropy, random.meanConditionalEntropy, 'above', 'below')} random sets on mean H(Y | x) (${fixed(local.meanConditionalEntropy)} against ${fixed(random.meanConditionalEntropy)}) and ${side(local.meanCommonDepth, random.meanCommonDepth, 'more coherent than', 'less coherent than')} them (common community ${fixed(local.meanCommonDepth, 2)} against ${fixed(random.meanCommonDepth, 2)} levels deep).`,
        );
      }
      return lines.join('\n');
    })
    .join('\n\n');
}

export function datasetCard(input: DatasetCardInput): string {
  const title = `STEPS synthetic conversations from ${input.corpus.name}`;
  const models = [
    ...new Set(input.runs.map((run) => markdownText(`${run.model.id} (${run.model.engine})`))),
  ];
  const sections: [string, string][] = [
    [
      'Licence',
      `The licence above is a placeholder (\`other\`). These conversations were written by ${models.join(', ') || 'a language model'} from examples of the corpus “${markdownText(input.corpus.name)}”: choose a licence that the corpus’s and the model’s terms allow before publishing.`,
    ],
    ['File', fileSection(input)],
    ['Source corpus', corpusSection(input)],
    ['Taxonomy', taxonomySection(input)],
    ['Combination search', combinationSection(input)],
    ['Synthesis', synthesisSection(input)],
    ['Counts', countsSection(input)],
  ];
  if (input.curriculum) sections.push(['Curriculum', curriculumSection(input.curriculum)]);
  if (input.baselines?.length) {
    sections.push(['STEPS against its baselines', baselinesSection(input.baselines)]);
  }
  sections.push(['Provenance fields', provenanceSection(input)]);
  return [
    frontMatter(input, title),
    '',
    `# ${markdownText(title)}`,
    '',
    `Multi-skill conversations synthesised with STEPS (skill taxonomy guided, entropy-based synthesis; arXiv 2601.03676) in STEPS Studio: a skill co-occurrence graph of the corpus, an encoding tree minimising structural entropy, skill combinations maximising conditional structural entropy, and a language model writing one conversation per combination from one real example per skill. Card written ${input.createdAt}.`,
    ...sections.flatMap(([heading, body]) => ['', `## ${heading}`, '', body]),
    '',
  ].join('\n');
}
