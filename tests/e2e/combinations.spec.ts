// The Combinations step on the demo corpus: each combination's counts, checked against counts made
// here from the demo file; the unseen share, the long tail, partner diversity and its warning;
// leaving out frequent sets; results kept with their taxonomy across reloads and taxonomies; and
// STEPS against its baselines, equal to what `steps compare` prints for the same settings; and an
// all-start search split over the range workers, equal to one thread's.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  findCombinations as findCombinationsInNode,
  type Combination,
  type EntropyMode,
} from '../../src/core/steps';
import { powerLawCorpus } from './powerLawCorpus';
import { buildTaxonomy, findCombinations, importDemoCorpus, readStore } from './workflow';

const demoFile = fileURLToPath(new URL('../../public/demo/demo-corpus.jsonl', import.meta.url));
const screenshots = fileURLToPath(new URL('./screenshots/', import.meta.url));

/** Each sample's skills, read plainly from the demo file. */
const demoSamples: string[][] = readFileSync(demoFile, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => [...new Set((JSON.parse(line) as { skills: string[] }).skills)]);

/** Samples of the demo file that carry every one of `skills`. */
const together = (skills: string[]) =>
  demoSamples.filter((sample) => skills.every((skill) => sample.includes(skill))).length;

interface StoredSet {
  size: number;
  mode: string;
  frequentThreshold?: number;
  createdAt: number;
  combinations: { start: number; skills: number[] }[];
}

/** The stored combination sets, newest first, with skill names from the stored graph. */
async function storedSets(page: Page) {
  const [graph] = await readStore<{ names: string[] }>(page, 'graphs');
  const sets = await readStore<StoredSet>(page, 'combinationSets');
  return sets
    .sort((a, b) => b.createdAt - a.createdAt)
    .map((set) => ({
      ...set,
      named: set.combinations.map(({ start, skills }) => ({
        start: graph.names[start],
        skills: skills.map((skill) => graph.names[skill]),
      })),
    }));
}

/** The skills a table row lists, the start first. */
async function rowSkills(row: Locator): Promise<string[]> {
  return [
    (await row.locator('strong').textContent())!.trim(),
    ...(await row.locator('.skill').allTextContents()).map((name) => name.trim()),
  ];
}

const setKey = (skills: string[]) => [...skills].sort().join('|');

/** The partner in most rows and in how many, as `partnerDiversity` counts (lowest id on ties). */
function topPartner(set: StoredSet, names: string[]) {
  const rows = new Map<number, number>();
  for (const { start, skills } of set.combinations) {
    for (const skill of new Set(skills))
      if (skill !== start) rows.set(skill, (rows.get(skill) ?? 0) + 1);
  }
  const [skill, count] = [...rows].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
  return { name: names[skill], count };
}

test.describe('on the demo corpus', () => {
  test.beforeEach(async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await importDemoCorpus(page);
    await buildTaxonomy(page);
    await page.goto('/#/combinations');
  });

  test('each combination shows its counts in the corpus, as the demo file gives them; the unseen share and the long tail; kept after a reload', async ({
    page,
  }) => {
    await findCombinations(page, 3);
    const rows = page.getByTestId('combination-row');
    const shown = await rows.count();
    expect(shown).toBeGreaterThan(10);
    for (let r = 0; r < shown; r++) {
      const row = rows.nth(r);
      const skills = await rowSkills(row);
      expect(skills).toHaveLength(3);
      await expect(row.getByTestId('cooccurrence')).toHaveText(String(together(skills)));
      const pairs = [
        [skills[0], skills[1]],
        [skills[0], skills[2]],
        [skills[1], skills[2]],
      ];
      const rarest = Math.min(...pairs.map(together));
      await expect(row.getByTestId('rarest-pair')).toContainText(new RegExp(`^\\s*${rarest}\\s`));
    }

    // The whole stored set, counted from the file: its unseen share, the plot's figures, partners.
    const [set] = await storedSets(page);
    const unseen = set.named.filter(({ skills }) => together(skills) === 0).length;
    const total = set.combinations.length;
    const unseenCell = page.getByTestId('stored-set').getByTestId('unseen-share');
    await expect(unseenCell).toContainText(`(${unseen} of ${total})`);
    expect(Number(await unseenCell.getAttribute('data-value'))).toBeCloseTo(unseen / total, 12);
    await expect(page.getByTestId('chosen-unseen')).toHaveText(String(unseen));
    await expect(page.getByTestId('chosen-seen')).toHaveText(String(total - unseen));
    const distinctTriples = new Set<string>();
    for (const sample of demoSamples) {
      for (let a = 0; a < sample.length; a++)
        for (let b = a + 1; b < sample.length; b++)
          for (let c = b + 1; c < sample.length; c++)
            distinctTriples.add(setKey([sample[a], sample[b], sample[c]]));
    }
    await expect(page.locator('figcaption')).toContainText(
      `${distinctTriples.size} distinct sets occur at all`,
    );
    expect(await page.getByTestId('chosen-point').count()).toBeGreaterThan(0);
    const [graph] = await readStore<{ names: string[] }>(page, 'graphs');
    const top = topPartner(set, graph.names);
    await expect(page.getByTestId('partner-diversity')).toContainText(
      `the most repeated, ${top.name}, is in ${top.count} of ${total} rows`,
    );

    // A row's counts: every skill and pair. Escape closes the dialog; the focus returns.
    const first = await rowSkills(rows.first());
    const counts = page.getByRole('button', { name: 'Counts of combination 1', exact: true });
    await counts.click();
    const dialog = page.getByRole('dialog', { name: 'Combination 1 in the corpus' });
    await expect(dialog.getByTestId('details-together')).toHaveText(
      `${together(first)} samples carry all 3 skills.`,
    );
    await expect(dialog.getByRole('row', { name: `${first[0]} + ${first[1]}` })).toContainText(
      String(together([first[0], first[1]])),
    );
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(counts).toBeFocused();

    await page.screenshot({ path: `${screenshots}combinations.png`, fullPage: true });

    await page.reload();
    await expect(page.getByTestId('combinations-summary')).toContainText(
      `${total} distinct combinations of 3 skills`,
    );
    await expect(page.getByTestId('combinations-summary')).toContainText('stored earlier');
    expect(await rowSkills(rows.first())).toEqual(first);
    await expect(rows.first().getByTestId('cooccurrence')).toHaveText(String(together(first)));
  });

  test('the global search collapses onto a few partners, and the warning says which and how often; long results come a page at a time', async ({
    page,
  }) => {
    await page.getByLabel('Search').selectOption('global');
    await findCombinations(page, 3);
    const [set] = await storedSets(page);
    expect(set.mode).toBe('global');
    const [graph] = await readStore<{ names: string[] }>(page, 'graphs');
    const top = topPartner(set, graph.names);
    const warning = page.getByTestId('diversity-warning');
    await expect(warning).toContainText('The results collapse onto a few skills.');
    await expect(warning).toContainText(
      `One partner skill is in ${top.count} of ${set.combinations.length} rows`,
    );
    await expect(page.getByTestId('partner-diversity')).toContainText(
      `the most repeated, ${top.name}, is in ${top.count} of ${set.combinations.length} rows`,
    );

    // The local search spreads its partners: no warning.
    await page.getByLabel('Search').selectOption('local');
    await page.getByLabel('Per start skill').fill('5');
    await findCombinations(page, 3);
    await expect(page.getByTestId('diversity-warning')).toHaveCount(0);
    const [many] = await storedSets(page);
    const total = many.combinations.length;
    expect(total).toBeGreaterThan(50);
    await expect(page.getByTestId('combination-row')).toHaveCount(50);
    await expect(page.getByTestId('page-of')).toHaveText(`Page 1 of ${Math.ceil(total / 50)}`);
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(page.getByTestId('page-of')).toHaveText(`Page 2 of ${Math.ceil(total / 50)}`);
    await expect(page.getByTestId('combination-row')).toHaveCount(Math.min(50, total - 50));
    expect(await rowSkills(page.getByTestId('combination-row').first())).toEqual(
      many.named[50].skills,
    );
  });

  test('leaving out the sets the corpus carries often: the search finds others in their places and says how many', async ({
    page,
  }) => {
    await findCombinations(page, 2);
    await page.getByLabel('Leave out sets in at least').check();
    await page.getByLabel('Samples at which a set counts as frequent').fill('2');
    await page.getByRole('button', { name: 'Find combinations' }).click();
    const leftOut = page.getByTestId('left-out');
    await expect(leftOut).toContainText('Left out every set carried by 2 samples or more.');

    const sets = await storedSets(page);
    const plain = sets.find((set) => set.frequentThreshold === undefined)!;
    const rare = sets.find((set) => set.frequentThreshold === 2)!;
    const dropped = plain.named.filter(({ skills }) => together(skills) >= 2).length;
    const before = new Set(plain.named.map(({ skills }) => setKey(skills)));
    const replacements = rare.named.filter(({ skills }) => !before.has(setKey(skills))).length;
    expect(dropped).toBeGreaterThan(0);
    expect(replacements).toBeGreaterThan(0);
    for (const { skills } of rare.named) expect(together(skills)).toBeLessThan(2);
    await expect(leftOut).toContainText(
      `this search shows ${plain.combinations.length} combinations, ${dropped} of them that frequent; ` +
        `leaving them out, it found ${replacements} others in their places`,
    );
    await expect(page.getByTestId('combinations-summary')).toContainText(
      `${rare.combinations.length} distinct combinations of 2 skills`,
    );
    // Both searches are listed with the taxonomy, each with its unseen share.
    await expect(page.getByTestId('stored-set')).toHaveCount(2);
    await expect(page.getByTestId('stored-set').first()).toContainText(
      'without sets in 2+ samples',
    );
  });

  test('the page names its taxonomy and switches to another of the corpus; the choice is in the URL and kept after a reload', async ({
    page,
  }) => {
    await findCombinations(page, 3);
    await expect(page.getByTestId('combinations-taxonomy')).toContainText(
      'top-down tree, 3 levels',
    );
    const threeLevels = new URL(page.url()).hash;
    expect(threeLevels).toContain('taxonomy=');

    const steps = page.getByRole('navigation', { name: 'Workflow' });
    await steps.getByRole('link', { name: 'Taxonomy' }).click();
    await page.getByLabel('Levels').fill('2');
    await page.getByRole('button', { name: 'Build taxonomy' }).click();
    await expect(page.getByTestId('taxonomy-communities')).toHaveText(/^\d+ · \d+$/);
    await steps.getByRole('link', { name: 'Combinations' }).click();
    await expect(page.getByTestId('combinations-taxonomy')).toContainText(
      'top-down tree, 2 levels',
    );
    await expect(page.getByTestId('combinations-summary')).toHaveCount(0);
    await findCombinations(page, 2);

    // Back to the first taxonomy: its own combinations come with it.
    const choice = page.getByTestId('taxonomy-choice');
    await choice.selectOption({
      label: await choice.locator('option', { hasText: '3 levels' }).innerText(),
    });
    await expect(page.getByTestId('combinations-taxonomy')).toContainText(
      'top-down tree, 3 levels',
    );
    await expect(page.getByTestId('combinations-summary')).toContainText(
      'combinations of 3 skills',
    );
    expect(new URL(page.url()).hash).toBe(threeLevels);

    await page.reload();
    await expect(page.getByTestId('combinations-taxonomy')).toContainText(
      'top-down tree, 3 levels',
    );
    await expect(page.getByTestId('combinations-summary')).toContainText(
      'combinations of 3 skills',
    );
    // Back: the two-level taxonomy and its combinations again.
    await page.goBack();
    await expect(page.getByTestId('combinations-taxonomy')).toContainText(
      'top-down tree, 2 levels',
    );
    await expect(page.getByTestId('combinations-summary')).toContainText(
      'combinations of 2 skills',
    );
  });

  test('STEPS against its baselines: the table and the plane equal `steps compare` on the demo corpus, and stay with the combinations', async ({
    page,
  }) => {
    await findCombinations(page, 3);
    await page.getByRole('button', { name: 'Compare with baselines' }).click();
    const table = page.getByTestId('baselines-table');
    await expect(table).toBeVisible();

    const cli = JSON.parse(
      execFileSync(
        'npx',
        [
          'tsx',
          'src/cli/steps.ts',
          'compare',
          demoFile,
          '--levels',
          '3',
          '--size',
          '3',
          '--beam',
          '10',
          '--seed',
          '1',
        ],
        { encoding: 'utf8' },
      ),
    ) as {
      methods: {
        method: string;
        scope?: number;
        sets: number;
        shortSets: number;
        meanConditionalEntropy: number;
        unseenShare: number;
        meanCommonDepth: number;
        topPartnerShare: number;
      }[];
    };
    const rows = page.getByTestId('baselines-row');
    await expect(rows).toHaveCount(cli.methods.length);
    for (const [index, method] of cli.methods.entries()) {
      const row = rows.nth(index);
      await expect(row).toHaveAttribute('data-method', method.method);
      if (method.scope !== undefined)
        await expect(row).toHaveAttribute('data-scope', String(method.scope));
      const values = (await row
        .locator('[data-value]')
        .evaluateAll((cells) =>
          cells.map((cell) => Number(cell.getAttribute('data-value'))),
        )) as number[];
      expect(values, method.method).toEqual([
        method.meanConditionalEntropy,
        method.unseenShare,
        method.meanCommonDepth,
        method.topPartnerShare,
        method.shortSets,
      ]);
    }
    await expect(page.getByTestId('plane-point')).toHaveCount(cli.methods.length);
    // Said as the numbers have it: on the demo corpus at k = 3, STEPS local is below random.
    await expect(page.getByTestId('baselines-verdict')).toContainText('below random at k = 3');
    await page.getByTestId('baselines').screenshot({ path: `${screenshots}baselines.png` });

    await page.reload();
    await expect(page.getByTestId('baselines-row')).toHaveCount(cli.methods.length);
  });
});

test('a corpus with one skill per sample: the taxonomy and the combinations say there are no links and what to do', async ({
  page,
}) => {
  const oneSkillEach = readFileSync(demoFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const sample = JSON.parse(line) as { skills: string[] };
      return JSON.stringify({ ...sample, skills: sample.skills.slice(0, 1) });
    })
    .join('\n');
  await page.goto('/#/import');
  await page.getByTestId('corpus-file').setInputFiles({
    name: 'one-skill-each.jsonl',
    mimeType: 'application/jsonl',
    buffer: Buffer.from(oneSkillEach),
  });
  await page.getByRole('button', { name: 'Import one-skill-each.jsonl' }).click();
  await expect(page.getByRole('heading', { name: 'Imported one-skill-each.jsonl' })).toBeVisible();

  await page.goto('/#/taxonomy');
  await page.getByRole('button', { name: 'Build taxonomy' }).click();
  const error = page.getByRole('alert');
  await expect(error).toContainText('but no links');
  await expect(error).toContainText('Tag each sample with all the skills it needs');

  await page.goto('/#/combinations');
  const guard = page.getByTestId('guard');
  await expect(guard).toContainText('No sample of one-skill-each.jsonl carries two skills or more');
  await expect(guard.getByRole('link', { name: 'import the file again' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Find combinations' })).toHaveCount(0);
});

/** Numbers as IndexedDB stored them (typed arrays), however the page handed them over. */
type StoredNumbers = ArrayLike<number> | Record<string, number>;
const numbers = (values: StoredNumbers) => Object.values(values) as number[];

test('an all-start search split over the range workers finds the sets one thread finds in Node, in its order', async ({
  page,
}) => {
  const workerScripts: string[] = [];
  page.context().on('request', (request) => {
    if (request.url().includes('combinationsRange.worker')) workerScripts.push(request.url());
  });
  // 600 starts: more than one worker takes (src/core/combinations/startRanges.ts, threadsFor).
  const corpus = powerLawCorpus({ name: 'skills-600.jsonl', skills: 600, samples: 3000, seed: 5 });
  await page.goto('/#/import');
  await page.getByTestId('corpus-file').setInputFiles(corpus.file);
  await page.getByRole('button', { name: 'Import skills-600.jsonl' }).click();
  await expect(page.getByTestId('stat-kept')).toHaveText('3,000');
  await buildTaxonomy(page);
  await page.goto('/#/combinations');
  await page.getByLabel('Beam width').fill('6');
  await findCombinations(page, 4);

  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  if (cores > 1) expect(workerScripts.length).toBeGreaterThan(0);
  // The same search in Node, on one thread, on the stored graph and tree.
  const [graph] = await readStore<{
    names: string[];
    counts: StoredNumbers;
    offsets: StoredNumbers;
    targets: StoredNumbers;
    weights: StoredNumbers;
  }>(page, 'graphs');
  const [taxonomy] = await readStore<{
    skillCount: number;
    entropyMode: EntropyMode;
    communityOf: StoredNumbers[];
    communityParent: StoredNumbers[];
    communityCount: number[];
  }>(page, 'taxonomies');
  const [set] = await readStore<{ combinations: Combination[] }>(page, 'combinationSets');
  const expected = findCombinationsInNode(
    {
      names: graph.names,
      counts: Int32Array.from(numbers(graph.counts)),
      offsets: Int32Array.from(numbers(graph.offsets)),
      targets: Int32Array.from(numbers(graph.targets)),
      weights: Float64Array.from(numbers(graph.weights)),
    },
    {
      skillCount: taxonomy.skillCount,
      height: taxonomy.communityOf.length,
      communityOf: taxonomy.communityOf.map((of) => Int32Array.from(numbers(of))),
      communityParent: taxonomy.communityParent.map((of) => Int32Array.from(numbers(of))),
      communityCount: taxonomy.communityCount,
    },
    {
      entropyMode: taxonomy.entropyMode,
      size: 4,
      beamWidth: 6,
      mode: 'local',
      scope: 0,
      perStart: 1,
      dedupeAcrossStarts: true,
    },
  ).sort((a, b) => b.score - a.score);
  expect(expected.length).toBeGreaterThan(100);
  // The same sets in the same order; scores to the last bits or so (Chromium's logarithms
  // need not be Node's to the last bit).
  const sets = (rows: Combination[]) => rows.map(({ start, skills }) => ({ start, skills }));
  expect(sets(set.combinations)).toEqual(sets(expected));
  set.combinations.forEach(({ score }, row) =>
    expect(Math.abs(score - expected[row].score), `row ${row}`).toBeLessThan(1e-12),
  );
});
