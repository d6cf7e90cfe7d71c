import { combinationReuse, describeReuse } from '../synthesis/combinationReuse';
import { provenanceFields, type DatasetFormat } from './datasetFormats';
import type {
  BaselinesCardInfo,
  CombinationSetCardInfo,
  CurriculumCardInfo,
  DatasetManifest,
  RunCardInfo,
  RunSettings,
} from './manifest';

/**
 * The dataset card, README.md of the archive: Hugging Face YAML front matter (licence, language,
 * `configs` / `data_files` so that the Hub's viewer reads the data files, size, tags), then a
 * Markdown body saying how the data was made: corpus, taxonomy, combination search, synthesis
 * settings and templates, counts, review, tokens, curriculum and provenance fields. It is
 * rendered from the manifest (manifest.ts), so card and manifest.json state the same facts.
 * Every text from a record (names and ids from a corpus file or a model, reasons quoting an
 * answer) goes through `markdownText`, so none can add HTML or break a table where a hub renders
 * the card, and every YAML value through `yamlString`.
 */

/** What the card says of a fact the export was not given (samples exported without their run). */
const NOT_RECORDED =
  'Not recorded: the samples were exported without the records of how they were made.';

const FORMAT_SHAPE: Record<DatasetFormat, string> = {
  openai: 'JSON Lines, `{"messages": [{"role", "content"}, …]}` (OpenAI chat fine-tuning)',
  sharegpt:
    'JSON Lines, `{"conversations": [{"from": "system" | "human" | "gpt", "value"}, …]}` (ShareGPT)',
  alpaca:
    'JSON Lines, `{"instruction", "input", "output"}`, plus `"system"` when there is one (Alpaca)',
  parquet: 'Parquet',
  csv: 'CSV (RFC 4180, UTF-8 with a byte order mark)',
};

const TABLE_SHAPE: Record<string, string> = {
  openai: '`messages`, a list of `{role, content}`',
  sharegpt: '`conversations`, a list of `{from, value}`',
  alpaca: '`instruction`, `input`, `output` and `system`',
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

/**
 * A YAML double-quoted scalar: JSON's escapes (which YAML shares), and escapes for the characters
 * YAML does not allow as they are or would read as line breaks (DEL, C1 controls, U+2028/9,
 * U+FEFF, U+FFFE/F).
 */
export function yamlString(value: string): string {
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const fixed = (value: number, digits = 4) => value.toFixed(digits);

const yamlList = (key: string, values: string[]) => [
  `${key}:`,
  ...values.map((value) => `  - ${yamlString(value)}`),
];

function frontMatter(input: DatasetManifest): string {
  const { dataset, files } = input;
  const { license } = dataset;
  const configs = [...new Set(files.map((file) => file.config))].flatMap((config) => [
    `  - config_name: ${yamlString(config)}`,
    '    data_files:',
    ...files
      .filter((file) => file.config === config)
      .flatMap((file) => ['      - split: train', `        path: ${yamlString(file.path)}`]),
  ]);
  return [
    '---',
    `pretty_name: ${yamlString(markdownText(dataset.title))}`,
    `license: ${yamlString(license.id)}`,
    ...(license.id === 'other' && license.name
      ? [`license_name: ${yamlString(license.name)}`]
      : []),
    ...(license.id === 'other' && license.link
      ? [`license_link: ${yamlString(license.link)}`]
      : []),
    ...yamlList('language', dataset.language),
    ...yamlList('annotations_creators', ['machine-generated']),
    ...yamlList('language_creators', ['machine-generated']),
    ...yamlList(
      'source_datasets',
      dataset.sourceDatasets.length > 0 ? dataset.sourceDatasets : ['original'],
    ),
    ...yamlList('task_categories', ['text-generation']),
    ...yamlList('size_categories', [dataset.sizeCategory]),
    ...yamlList('tags', ['synthetic', 'steps', 'skill-composition']),
    'configs:',
    ...configs,
    '---',
  ].join('\n');
}

function licenceSection(input: DatasetManifest): string {
  const { license } = input.dataset;
  const models = [
    ...new Set(input.runs.map((run) => markdownText(`${run.model.id} (${run.model.engine})`))),
  ];
  const corpus = input.corpus
    ? ` from examples of the corpus “${markdownText(input.corpus.name)}”`
    : '';
  const chosen =
    license.id === 'unknown'
      ? 'No licence was chosen (`unknown`).'
      : license.id === 'other'
        ? `Licence: ${markdownText(license.name ?? 'other')}${license.link ? ` (${markdownText(license.link)})` : ''}.`
        : `Licence: \`${markdownText(license.id)}\`.`;
  return `${chosen} These conversations were written by ${models.join(', ') || 'a language model'}${corpus}: the licence must be one that the corpus’s and the model’s terms allow.`;
}

function filesSection(input: DatasetManifest): string {
  const { files, curriculum } = input;
  const lines = [
    table(
      ['file', 'format', 'config', 'rows', 'bytes', 'SHA-256'],
      files.map((file) => [
        `\`${file.path}\``,
        file.format,
        file.config,
        file.rows,
        file.bytes,
        `\`${file.sha256}\``,
      ]),
    ),
    '',
    'One row per sample in every file, in the same order. Shapes:',
    '',
    ...files.map((file) => {
      const columns = file.format === 'parquet' || file.format === 'csv';
      return `- \`${markdownText(file.path)}\`: ${FORMAT_SHAPE[file.format]}${columns ? ` with the columns ${TABLE_SHAPE[file.shape]}${file.format === 'csv' && file.shape !== 'alpaca' ? ' (as JSON text)' : ''}` : ''}.`;
    }),
  ];
  const folded = files.find((file) => file.shape === 'alpaca');
  if (folded) {
    lines.push(
      '',
      `Alpaca holds one instruction/output pair. A multi-turn conversation keeps its last user/assistant pair as \`instruction\`/\`output\` and its earlier turns as a transcript in \`input\` (\`User: …\` / \`Assistant: …\` lines); ${folded.foldedMultiTurn} rows were folded that way.`,
    );
  }
  const file = files[0];
  if (file) {
    lines.push(
      '',
      file.includeProvenance
        ? `Every row carries its provenance under the \`steps\` key (fields below; in Parquet a struct whose \`parameters\` are JSON text, in CSV JSON text)${file.includeRawOutput ? ', including the model’s raw answer' : '; the model’s raw answer is left out'}.`
        : 'Provenance is not included in the rows; the fields below are what an export with provenance carries.',
    );
  }
  if (curriculum) {
    lines.push(
      '',
      `The rows follow a curriculum: ${curriculum.epochs} epochs of ${curriculum.samplesPerEpoch} samples, epoch 1 first (rows 1–${curriculum.samplesPerEpoch}), so a sample can appear in several epochs. Train in file order, without shuffling, to keep it.`,
    );
  }
  return lines.join('\n');
}

function corpusSection(input: DatasetManifest): string {
  const { corpus } = input;
  if (!corpus) return NOT_RECORDED;
  const known = (value: number | string | null) => (value === null ? 'not recorded' : value);
  return table(
    ['Source corpus', ''],
    [
      ['name', corpus.name],
      ['file', corpus.fileName],
      [
        'file SHA-256',
        corpus.sha256 === null
          ? 'not recorded (imported before it was kept)'
          : `\`${corpus.sha256}\``,
      ],
      ['samples', corpus.samples],
      ['tagged samples', known(corpus.taggedSamples)],
      ['distinct skills', known(corpus.skills)],
    ],
  );
}

function taxonomySection(input: DatasetManifest): string {
  const usedIds = [
    ...new Set(input.runs.flatMap((run) => (run.settings ? [run.settings.taxonomyId] : []))),
  ];
  if (usedIds.length === 0) return NOT_RECORDED;
  return usedIds
    .map((id) => {
      const taxonomy = input.taxonomies.find((t) => t.id === id);
      const heading = usedIds.length > 1 ? `### Taxonomy \`${markdownText(id)}\`\n\n` : '';
      if (!taxonomy) return `${heading}The taxonomy \`${markdownText(id)}\` is no longer stored.`;
      const named = taxonomy.nodeNames.length
        ? '\n\nNamed nodes:\n\n' +
          table(
            ['level', 'community', 'name', 'named by'],
            taxonomy.nodeNames.map((node) => [node.level, node.community, node.name, node.source]),
          )
        : '\n\nNo node of the tree was named.';
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
        ) +
        named
      );
    })
    .join('\n\n');
}

function combinationSection(input: DatasetManifest): string {
  return input.runs
    .map(({ id, settings }) => {
      const heading = input.runs.length > 1 ? `### Run \`${markdownText(id)}\`\n\n` : '';
      if (!settings) return `${heading}${NOT_RECORDED}`;
      const drawn = settings.combinationsPerK
        .map((c) => `${c.combinations} of k = ${c.k}`)
        .join(', ');
      const sets = settings.combinationSetIds.flatMap((setId) =>
        input.combinationSets.filter((set) => set.id === setId),
      );
      const lost = settings.combinationSetIds.length - sets.length;
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

function runTable(run: RunCardInfo): (string | number | boolean)[][] {
  const { settings } = run;
  const known = (value: number | null) => (value === null ? 'not recorded' : value);
  const rows: (string | number | boolean)[][] = [
    ['run id', run.id],
    ['model', run.model.id],
    ['engine', run.model.engine],
    ['template', `${run.template.id} (${run.template.kind}, version ${run.template.version})`],
    ['temperature', run.generation.temperature],
    ['top_p', run.generation.top_p],
    ['max_tokens', run.generation.max_tokens],
    ['frequency_penalty', run.generation.frequency_penalty ?? 0],
  ];
  if (settings) {
    rows.push(
      ['status', settings.status],
      ['started', settings.createdAt],
      ['seed', settings.seed],
      ['prompt budget (tokens)', settings.maxPromptTokens],
      ['attempts per slot at most', settings.maxAttemptsPerSlot],
      [
        'deduplication',
        settings.quality.dedup
          ? `on (near-duplicate threshold ${settings.quality.nearDuplicateThreshold})`
          : 'off',
      ],
      ['novelty against the corpus', settings.quality.novelty ? 'on' : 'off'],
      [
        'skill coverage (model-judged)',
        settings.quality.coverage
          ? `on (at least ${settings.quality.minCoverage} of the k skills)`
          : 'off',
      ],
      [
        'agentic suitability check',
        settings.agenticCheck
          ? `on (${settings.agenticCheck.id}, version ${settings.agenticCheck.version})`
          : 'off',
      ],
      ['target per k', settings.targetPerK.map((t) => `k = ${t.k}: ${t.target}`).join(', ')],
      ['combinations reused', reuseText(settings)],
    );
  } else {
    rows.push(['other settings', 'not recorded (exported from the samples alone)']);
  }
  rows.push(
    ['attempts', known(run.attempts)],
    ['valid', run.valid],
    ['discarded', known(run.discarded)],
  );
  return rows;
}

function synthesisSection(input: DatasetManifest): string {
  const runs = input.runs.map((run) => {
    const heading = input.runs.length > 1 ? `### Run \`${markdownText(run.id)}\`\n\n` : '';
    return heading + table(['Parameter', 'Value'], runTable(run));
  });
  const templates = new Map<
    string,
    { id: string; version: number; system: string; user: string }
  >();
  for (const run of input.runs) {
    if (!run.settings) continue;
    // Keyed by the text too: two edits can share an id and version.
    const { id, version } = run.template;
    const { system, user } = run.settings.templateText;
    templates.set(JSON.stringify([id, version, system, user]), { id, version, system, user });
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
  return [...runs, ...texts].join('\n\n') || NOT_RECORDED;
}

/** Where fewer distinct combinations of a k exist than samples were wanted. */
function reuseText(run: RunSettings): string {
  const reuse = combinationReuse(
    new Map(run.targetPerK.map((t) => [t.k, t.target])),
    new Map(run.combinationsPerK.map((c) => [c.k, c.combinations])),
  );
  return reuse.length === 0 ? 'none' : reuse.map(describeReuse).join('; ');
}

function countsSection(input: DatasetManifest): string {
  const total = input.validPerK.reduce((sum, row) => sum + row.samples, 0);
  const valid = table(
    ['k', 'samples'],
    [...input.validPerK.map((row) => [row.k, row.samples]), ['total', total]],
  );
  if (input.discarded === null) return `${valid}\n\nDiscarded attempts: not recorded.`;
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

function reviewSection(input: DatasetManifest): string {
  const { accepted, rejected, edited, unreviewed } = input.review;
  const reviewed = accepted + rejected + edited;
  return [
    reviewed === 0
      ? 'No sample was reviewed by a person: every sample is as the model wrote it and the checks kept it.'
      : `A person reviewed ${reviewed} samples; rejected samples are not in the files, edited ones are in their edited version.`,
    '',
    table(
      ['outcome', 'samples'],
      [
        ['accepted', accepted],
        ['edited', edited],
        ['rejected (left out)', rejected],
        ['unreviewed', unreviewed],
      ],
    ),
  ].join('\n');
}

function tokensSection(input: DatasetManifest): string {
  const { samples, promptTokens, completionTokens } = input.tokens;
  return (
    table(
      ['tokens', 'total'],
      [
        ['prompt', promptTokens],
        ['completion', completionTokens],
      ],
    ) +
    `\n\nOver the ${samples} valid samples of the runs (discarded attempts record no token usage).`
  );
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

function provenanceSection(input: DatasetManifest): string {
  const withProvenance = input.files.some((file) => file.includeProvenance);
  return table(
    ['field', 'meaning'],
    provenanceFields.map((field) => [`\`${field.name}\``, field.meaning]),
  ).concat(
    withProvenance
      ? ''
      : '\n\nThese files were exported without them; export again with provenance to get them.',
  );
}

// ---- STEPS against its baselines (compareMethods, src/core/combinations/compareMethods.ts) ----

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

export function datasetCard(input: DatasetManifest): string {
  const sections: [string, string][] = [
    ['Licence', licenceSection(input)],
    ['Files', filesSection(input)],
    ['Source corpus', corpusSection(input)],
    ['Taxonomy', taxonomySection(input)],
    ['Combination search', combinationSection(input)],
    ['Synthesis', synthesisSection(input)],
    ['Counts', countsSection(input)],
    ['Review', reviewSection(input)],
    ['Tokens', tokensSection(input)],
  ];
  if (input.curriculum) sections.push(['Curriculum', curriculumSection(input.curriculum)]);
  if (input.baselines?.length) {
    sections.push(['STEPS against its baselines', baselinesSection(input.baselines)]);
  }
  sections.push(['Provenance fields', provenanceSection(input)]);
  return [
    frontMatter(input),
    '',
    `# ${markdownText(input.dataset.title)}`,
    '',
    `Multi-skill conversations synthesised with STEPS (skill taxonomy guided, entropy-based synthesis; arXiv 2601.03676) in STEPS Studio ${markdownText(input.app.version)}: a skill co-occurrence graph of the corpus, an encoding tree minimising structural entropy, skill combinations maximising conditional structural entropy, and a language model writing one conversation per combination from one real example per skill. Exported ${markdownText(input.createdAt)}; \`manifest.json\` beside this card holds the same facts for programs.`,
    ...sections.flatMap(([heading, body]) => ['', `## ${heading}`, '', body]),
    '',
  ].join('\n');
}
