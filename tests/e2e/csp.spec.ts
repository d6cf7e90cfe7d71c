// The built page's Content-Security-Policy (vite.config.ts) with the app at work: the whole
// method with the fixture model runs under it without one violation, and what it exists to stop
// (an injected inline script, an inline event handler, eval) is refused.
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { readZip } from '../unit/core/export/zipReader';
import { buildTaxonomy, findCombinations, importDemoCorpus, loadFixtureModel } from './workflow';

interface Violation {
  directive: string;
  blocked: string;
}

interface CspGlobals {
  __cspViolations: Violation[];
  __injected?: string;
}

/** Records every violation the page reports, from before its first script on. */
async function watchViolations(page: Page): Promise<{ console: string[] }> {
  await page.addInitScript(() => {
    const globals = globalThis as unknown as CspGlobals;
    globals.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) =>
      globals.__cspViolations.push({
        directive: event.effectiveDirective,
        blocked: event.blockedURI,
      }),
    );
  });
  const console: string[] = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) console.push(message.text());
  });
  return { console };
}

const violations = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as CspGlobals).__cspViolations);

test('the app works end to end under its CSP, with no violation', async ({ page }) => {
  const reported = await watchViolations(page);
  await page.goto('/');
  const policy = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(policy).toContain("object-src 'none'");
  expect(policy).toContain("base-uri 'none'");

  await importDemoCorpus(page);
  // The skill bars are sized by `style:` directives.
  await page.goto('/#/skills');
  await expect(page.getByRole('heading', { name: 'Skills of demo-corpus.jsonl' })).toBeVisible();
  await buildTaxonomy(page);
  await page.goto('/#/combinations');
  await findCombinations(page, 2);
  await loadFixtureModel(page);
  await page.goto('/#/synthesis');
  await page.getByLabel('Samples wanted for k = 2').fill('2');
  await page.getByLabel('Temperature').fill('0');
  await page.getByLabel('Prompt budget (tokens)').fill('448');
  await page.getByRole('button', { name: 'Start synthesis' }).click();
  await expect(page.getByRole('heading', { name: /^Run .* · done$/ })).toBeVisible();

  await page.goto('/#/dataset');
  await expect(page.getByTestId('dataset-summary')).toHaveText('2 valid samples');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download .zip' }).click();
  const zip = readZip(new Uint8Array(await readFile((await (await download).path())!)));
  const exported = new TextDecoder().decode(
    [...zip].find(([path]) => path.endsWith('/openai/train-00000.jsonl'))![1],
  );
  expect(exported.trim().split('\n')).toHaveLength(2);

  expect(await violations(page)).toEqual([]);
  expect(reported.console).toEqual([]);
});

test('an injected inline script, an inline event handler and eval are refused', async ({
  page,
}) => {
  const reported = await watchViolations(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Import a corpus' })).toBeVisible();

  const result = await page.evaluate(async () => {
    const globals = globalThis as unknown as CspGlobals;
    const script = document.createElement('script');
    script.textContent = "globalThis.__injected = 'inline script';";
    document.body.append(script);
    const image = document.createElement('div');
    image.innerHTML = '<img src="missing.png" onerror="globalThis.__injected = \'event handler\'">';
    document.body.append(image);
    await new Promise((resolve) => image.querySelector('img')!.addEventListener('error', resolve));
    let evaluated: string;
    try {
      evaluated = String((0, eval)("'eval ran'"));
    } catch (error) {
      evaluated = (error as Error).name;
    }
    return { injected: globals.__injected ?? null, evaluated };
  });
  expect(result).toEqual({ injected: null, evaluated: 'EvalError' });
  await expect
    .poll(async () => (await violations(page)).map((v) => `${v.directive} ${v.blocked}`).sort())
    .toEqual(['script-src-attr inline', 'script-src-elem inline', 'script-src eval'].sort());
  // The browser reports them in the console too, which the first test listens to as well.
  expect(reported.console.length).toBeGreaterThanOrEqual(1);
});
