// The browser's data path, end to end in Chromium: `npm run bench:browser` (production build).
// Serves the build (dist/, or STEPS_E2E_DIST) on STEPS_E2E_PORT (default 4173) and drives the app
// as a user would:
// - `200k`: import of a 200k-sample JSONL whose tags form a 10k-skill graph; click → taxonomy;
//   the all-start local search k = 7, B = 100 (click → summary, and the search alone as the
//   combinations worker timed it); the longest main-thread task meanwhile. Click → shown is
//   timed in the page, up to the first frame after the summary is in it (watchShown);
// - `1gb`: import of a 1 GB JSONL (MB/s, peak renderer memory);
// - `million`: a corpus of 600k samples naming 10^6 skills imported, its taxonomy built and drawn:
//   click → drawn, the longest main-thread task meanwhile (each long task listed, and the
//   messages and bytes the page received from its workers), peak renderer memory;
// - `explore`: a 20k-skill taxonomy opened from a fresh page, zoomed twice by keyboard and
//   searched, then a search and its combinations table and plots: the longest main-thread task
//   of each, and a 100k-skill table scrolled to its end and sorted (the Long Tasks API), in the
//   production build, where such figures belong (test builds are development builds).
// The corpora are written once into bench/out/ (git-ignored). Renderer memory is the resident
// size of the browser's renderer processes (workers run inside them), sampled from /proc.
// `--only 200k|1gb|million|explore` runs one scenario; `--budget <s>` stops an import after that many seconds
// and reports the throughput so far (for a slow "before"); `--label <name>` names the result,
// saved as bench/out/browser-<name>.json; the table compares every saved result.
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { writeCorpus } from './browserCorpus';
import { startPreview } from './previewServer';

const outDir = join(import.meta.dirname, 'out');
const port = Number(process.env.STEPS_E2E_PORT ?? 4173);
const dist = process.env.STEPS_E2E_DIST ?? 'dist';
const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const only = option('only');
const budgetSeconds = Number(option('budget') ?? Infinity);
const label = option('label') ?? 'latest';

interface Result {
  label: string;
  machine: string;
  importSeconds?: number;
  importCpuSeconds?: number;
  taxonomyCpuSeconds?: number;
  searchCpuSeconds?: number;
  bigImportCpuSeconds?: number;
  /** Of bigImportCpuSeconds, the renderers' (the page and its workers, the import worker too). */
  bigImportRendererCpuSeconds?: number;
  /** The 1-minute load average when the 1 GB import ended: the machine may be shared. */
  bigImportLoadAverage?: number;
  importRowsPerSecond?: number;
  taxonomySeconds?: number;
  /** The worker's own times for the graph and the tree (the taxonomy's timingsMs). */
  taxonomyGraphSeconds?: number;
  taxonomyTreeSeconds?: number;
  searchSeconds?: number;
  /** The search alone, as the combinations worker timed it (its set's timingsMs.search). */
  searchOnlySeconds?: number;
  longestTaskMs?: number;
  bigImportMBps?: number;
  bigImportSeconds?: number;
  bigImportComplete?: boolean;
  bigRendererPeakMB?: number;
  /** Of the renderers, the page's alone (the page, its import and hash workers). */
  bigPageRendererPeakMB?: number;
  /** The renderers' summed PSS: shared pages split among the processes sharing them. */
  bigRendererPeakPssMB?: number;
  exploreLongestTaskMs?: number;
  combinationsLongestTaskMs?: number;
  skillTableLongestTaskMs?: number;
  millionImportSeconds?: number;
  millionTaxonomySeconds?: number;
  millionLongestTaskMs?: number;
  millionRendererPeakMB?: number;
  /** Of the renderers, the page's alone (the page and its workers). */
  millionPageRendererPeakMB?: number;
}

function machine(): string {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? '?';
  const cores = readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? 0;
  return `${cpu.trim()}, ${cores} cores`;
}

/** The browser's processes: `root` and its descendants, with their command lines and /proc stat. */
function browserProcesses(root: number): { pid: number; command: string; stat: string[] }[] {
  const children = new Map<number, number[]>();
  const found = new Map<number, { command: string; stat: string[] }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name, which may hold spaces: state, ppid, … (man 5 proc).
      const stat = text.slice(text.lastIndexOf(')') + 2).split(' ');
      const parent = Number(stat[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
      found.set(Number(entry), { command: readFileSync(`/proc/${entry}/cmdline`, 'utf8'), stat });
    } catch {
      // The process ended while being read.
    }
  }
  const tree: { pid: number; command: string; stat: string[] }[] = [];
  const visit = (pid: number) => {
    const process = found.get(pid);
    if (process) tree.push({ pid, ...process });
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return tree;
}

/**
 * Memory of each of the browser's renderer processes (a page and its workers), by pid, in MB:
 * resident (RSS) and proportional (PSS: each shared page split among the processes sharing it,
 * so a sum over processes counts the Chromium binary's pages once).
 */
function rendererMBs(
  root: number,
  proportional: boolean,
): Map<number, { rss: number; pss: number }> {
  const mbs = new Map<number, { rss: number; pss: number }>();
  const kbOf = (text: string, field: string) =>
    Number(new RegExp(`${field}:\\s*(\\d+)`).exec(text)?.[1] ?? 0);
  for (const { pid, command } of browserProcesses(root)) {
    if (!command.includes('--type=renderer')) continue;
    try {
      const rss = kbOf(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS') / 1024;
      const pss = proportional
        ? kbOf(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss') / 1024
        : 0;
      mbs.set(pid, { rss, pss });
    } catch {
      // Gone meanwhile.
    }
  }
  return mbs;
}

/**
 * CPU seconds all the browser's processes have used (utime + stime, at 100 ticks a second): on a
 * machine shared with other work, the wall time says more about the others than about the app.
 */
function browserCpuSeconds(root: number, renderersOnly = false): number {
  let ticks = 0;
  for (const { stat, command } of browserProcesses(root)) {
    if (renderersOnly && !command.includes('--type=renderer')) continue;
    ticks += Number(stat[11]) + Number(stat[12]);
  }
  return ticks / 100;
}

/**
 * Samples the renderers' memory every 250 ms: the peak of their sum, and of each one. The sum
 * also counts renderers that are not the app's (Chromium's own UI, `--top-chrome-webui`, and a
 * spare one kept ready for the next site), and each process's pages of the shared Chromium
 * binary (about 60–120 MB each); the peak of their summed PSS counts those pages once. PSS only
 * where asked (the 1 GB import): reading it walks a process's page tables under its memory-map
 * lock, which can hold up a 2 GB renderer (one 10^6-skill run with it had a 132 ms task; five
 * without it had none over 50 ms).
 */
function sampleMemory(root: number, proportional = false) {
  let peak = 0;
  let proportionalPeak = 0;
  const peaks = new Map<number, number>();
  const sample = () => {
    const mbs = rendererMBs(root, proportional);
    let sum = 0;
    let proportionalSum = 0;
    for (const [pid, { rss, pss }] of mbs) {
      sum += rss;
      proportionalSum += pss;
      peaks.set(pid, Math.max(peaks.get(pid) ?? 0, rss));
    }
    peak = Math.max(peak, sum);
    proportionalPeak = Math.max(proportionalPeak, proportionalSum);
  };
  const timer = setInterval(sample, 250);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
    /** The peak of the largest renderer: the page's, which runs the page and its workers. */
    largestPeak: () => Math.max(0, ...peaks.values()),
    /** The peak of the renderers' summed PSS (shared pages counted once). */
    proportionalPeak: () => proportionalPeak,
  };
}

/** Records the page's long tasks (over 50 ms) from its start. */
async function recordLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const tasks: { start: number; duration: number }[] = [];
    (window as unknown as { longTasks: typeof tasks }).longTasks = tasks;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        tasks.push({ start: entry.startTime, duration: entry.duration });
      }
    }).observe({ type: 'longtask', buffered: true });
  });
}

/**
 * Counts what the page receives from its workers: messages, and their bytes (typed arrays' bytes,
 * strings at 2 bytes a character), less sensitive to the machine's load than task lengths.
 */
async function countReceived(page: Page): Promise<void> {
  await page.addInitScript(() => {
    // Nothing is counted until countReceivedSince sets the start.
    const received = { messages: 0, bytes: 0, since: Infinity };
    (window as unknown as { received: typeof received }).received = received;
    const listen = Worker.prototype.addEventListener;
    Worker.prototype.addEventListener = function (
      this: Worker,
      type: string,
      listener: EventListenerOrEventListenerObject,
      options?: boolean | AddEventListenerOptions,
    ) {
      if (type !== 'message' || typeof listener !== 'function') {
        listen.call(this, type, listener, options);
        return;
      }
      listen.call(
        this,
        type,
        (event: Event) => {
          // Counting never keeps the app from its message. No named function here: tsx would
          // wrap it in a helper the page does not have.
          try {
            if (performance.now() >= received.since) {
              received.messages++;
              const values: unknown[] = [(event as MessageEvent).data];
              while (values.length > 0) {
                const value = values.pop();
                if (typeof value === 'string') received.bytes += 2 * value.length;
                else if (ArrayBuffer.isView(value)) received.bytes += value.byteLength;
                else if (value && typeof value === 'object') {
                  for (const item of Object.values(value)) values.push(item);
                } else received.bytes += 8;
              }
            }
          } finally {
            listener.call(this, event);
          }
        },
        options,
      );
    };
  });
}

type Received = { received: { messages: number; bytes: number; since: number } };

/** Counts from `since` (page time) on: what was received before is dropped. */
const countReceivedSince = (page: Page, since: number) =>
  page.evaluate((from) => {
    const { received } = window as unknown as Received;
    received.since = from;
    received.messages = 0;
    received.bytes = 0;
  }, since);

const receivedCounts = (page: Page) =>
  page.evaluate(() => {
    const { messages, bytes } = (window as unknown as Received).received;
    return { messages, bytes };
  });

const pageNow = (page: Page) => page.evaluate(() => performance.now());

/** The longest long task since `since` (page time), in ms; 0 when there was none. */
async function longestTaskSince(page: Page, since: number): Promise<number> {
  return page.evaluate(
    (from) =>
      Math.max(
        0,
        ...(window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks
          .filter((task) => task.start >= from)
          .map((task) => task.duration),
      ),
    since,
  );
}

/** The long tasks since `since` (page time). */
async function longTasksSince(
  page: Page,
  since: number,
): Promise<{ start: number; duration: number }[]> {
  return page.evaluate(
    (from) =>
      (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks.filter(
        (task) => task.start >= from,
      ),
    since,
  );
}

/** Imports `file` and waits until it is stored, or `budgetSeconds` pass; seconds and rows. */
async function importFile(page: Page, file: string, name: string, rows: number) {
  await page.goto('/#/import');
  await page.getByTestId('corpus-file').setInputFiles(file);
  const button = page.getByRole('button', { name: `Import ${name}` });
  await button.waitFor();
  const started = performance.now();
  await button.click();
  const kept = page.getByTestId('stat-kept');
  const deadline = started + budgetSeconds * 1000;
  while (!(await kept.isVisible())) {
    if (performance.now() > deadline) break;
    await page.waitForTimeout(100);
  }
  const seconds = (performance.now() - started) / 1000;
  const complete = await kept.isVisible();
  if (complete) {
    const shown = Number((await kept.textContent())!.replace(/\D/g, ''));
    if (shown !== rows) throw new Error(`imported ${shown} of ${rows} rows`);
    return { seconds, bytes: null, complete };
  }
  const bytes = await page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('steps-studio');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('corpora').objectStore('corpora').getAll();
          request.onsuccess = () => {
            const records = request.result as { checkpoint?: { bytesRead: number } }[];
            resolve(Math.max(0, ...records.map((record) => record.checkpoint?.bytesRead ?? 0)));
          };
        };
      }),
  );
  return { seconds, bytes, complete };
}

/** The timings (ms) a worker stored with the newest record of `store`. */
async function storedTimings(
  page: Page,
  store: 'combinationSets' | 'taxonomies',
): Promise<Record<string, number>> {
  return page.evaluate(
    (name) =>
      new Promise<Record<string, number>>((resolve, reject) => {
        const open = indexedDB.open('steps-studio');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction(name).objectStore(name).getAll();
          request.onsuccess = () => {
            const records = request.result as {
              createdAt: number;
              timingsMs: Record<string, number>;
            }[];
            open.result.close();
            resolve(records.sort((a, b) => b.createdAt - a.createdAt)[0].timingsMs);
          };
        };
      }),
    store,
  );
}

/**
 * Watches from now for `testId` (holding `text`) to be in the page; the function returned gives
 * the page time of the first frame after it was. The scenario waits for it with Playwright too,
 * but Playwright polls up to 500 ms apart, and its wait alone would add up to that much.
 */
async function watchShown(page: Page, testId: string, text = ''): Promise<() => Promise<number>> {
  await page.evaluate(
    ([id, text]) => {
      // No named functions in here: tsx would wrap them in a helper the page does not have.
      (window as unknown as { shownAt: Promise<number> }).shownAt = new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          const element = document.querySelector(`[data-testid="${id}"]`);
          if (!element?.textContent?.includes(text)) return;
          observer.disconnect();
          requestAnimationFrame(() => resolve(performance.now()));
        });
        observer.observe(document, { childList: true, subtree: true, characterData: true });
      });
    },
    [testId, text],
  );
  return () => page.evaluate(() => (window as unknown as { shownAt: Promise<number> }).shownAt);
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  const result: Result = { label, machine: machine() };
  const small = { path: join(outDir, 'corpus-200k-10k.jsonl'), samples: 200_000, skills: 10_000 };
  const big = { path: join(outDir, 'corpus-1gb.jsonl'), samples: 1_840_000, skills: 50_000 };
  const wide = { path: join(outDir, 'corpus-40k-20k.jsonl'), samples: 40_000, skills: 20_000 };
  const million = {
    path: join(outDir, 'corpus-600k-1m.jsonl'),
    samples: 600_000,
    skills: 1_000_000,
  };
  const runs = (scenario: string) => only === undefined || only === scenario;
  if (runs('200k')) await writeCorpus({ ...small, filler: 8, seed: 14 });
  const bigBytes = runs('1gb') ? await writeCorpus({ ...big, filler: 80, seed: 15 }) : 0;
  if (runs('million')) await writeCorpus({ ...million, filler: 2, seed: 16 });
  const wider = { path: join(outDir, 'corpus-45k-100k.jsonl'), samples: 45_000, skills: 100_000 };
  if (runs('explore')) {
    await writeCorpus({ ...wide, filler: 8, seed: 7 });
    await writeCorpus({ ...wider, filler: 8, seed: 11 });
  }

  const { process: server, baseURL } = await startPreview(dist, port);
  const browserServer = await chromium.launchServer({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const browser = await chromium.connect(browserServer.wsEndpoint());
    const root = browserServer.process().pid!;
    if (runs('200k')) {
      const context = await browser.newContext({ baseURL });
      const page = await context.newPage();
      await recordLongTasks(page);
      await page.goto('/#/import');
      const since = await pageNow(page); // after the page's own start
      let cpu = browserCpuSeconds(root);
      const imported = await importFile(page, small.path, 'corpus-200k-10k.jsonl', small.samples);
      result.importCpuSeconds = browserCpuSeconds(root) - cpu;
      result.importSeconds = imported.seconds;
      result.importRowsPerSecond = small.samples / imported.seconds;
      console.log(`import 200k: ${imported.seconds.toFixed(1)} s`);
      await page.goto('/#/taxonomy');
      cpu = browserCpuSeconds(root);
      const taxonomyShown = await watchShown(page, 'taxonomy-skills');
      let clicked = await pageNow(page);
      const taxonomySeen = await timed(async () => {
        await page.getByRole('button', { name: 'Build taxonomy' }).click();
        await page.getByTestId('taxonomy-skills').waitFor();
      });
      result.taxonomySeconds = ((await taxonomyShown()) - clicked) / 1000;
      result.taxonomyCpuSeconds = browserCpuSeconds(root) - cpu;
      const built = await storedTimings(page, 'taxonomies');
      result.taxonomyGraphSeconds = built.graph / 1000;
      result.taxonomyTreeSeconds = built.tree / 1000;
      console.log(
        `taxonomy: ${result.taxonomySeconds.toFixed(2)} s (Playwright's wait: ${taxonomySeen.toFixed(2)} s)`,
      );
      await page.goto('/#/combinations');
      await page.getByLabel('Skills per combination (k)').fill('7');
      await page.getByLabel('Beam width').fill('100'); // the local search is the default
      cpu = browserCpuSeconds(root);
      const searchShown = await watchShown(
        page,
        'combinations-summary',
        'combinations of 7 skills',
      );
      clicked = await pageNow(page);
      const searchSeen = await timed(async () => {
        await page.getByRole('button', { name: 'Find combinations' }).click();
        await page
          .getByTestId('combinations-summary')
          .filter({ hasText: 'combinations of 7 skills' })
          .waitFor({ timeout: 20 * 60_000 });
      });
      result.searchSeconds = ((await searchShown()) - clicked) / 1000;
      result.searchCpuSeconds = browserCpuSeconds(root) - cpu;
      result.searchOnlySeconds = (await storedTimings(page, 'combinationSets')).search / 1000;
      result.longestTaskMs = await longestTaskSince(page, since);
      console.log(
        `search: ${result.searchSeconds.toFixed(2)} s (Playwright's wait: ${searchSeen.toFixed(2)} s)`,
      );
      await context.close();
    }
    if (runs('1gb')) {
      const context = await browser.newContext({ baseURL });
      const page = await context.newPage();
      const memory = sampleMemory(root, true);
      const cpu = browserCpuSeconds(root);
      const rendererCpu = browserCpuSeconds(root, true);
      const imported = await importFile(page, big.path, 'corpus-1gb.jsonl', big.samples);
      result.bigImportCpuSeconds = browserCpuSeconds(root) - cpu;
      result.bigImportRendererCpuSeconds = browserCpuSeconds(root, true) - rendererCpu;
      result.bigImportLoadAverage = loadavg()[0];
      result.bigRendererPeakMB = memory.stop();
      result.bigPageRendererPeakMB = memory.largestPeak();
      result.bigRendererPeakPssMB = memory.proportionalPeak();
      result.bigImportSeconds = imported.seconds;
      result.bigImportComplete = imported.complete;
      result.bigImportMBps = (imported.bytes ?? bigBytes) / 1e6 / imported.seconds;
      await context.close();
    }
    if (runs('million')) {
      const context = await browser.newContext({ baseURL });
      const page = await context.newPage();
      await recordLongTasks(page);
      await countReceived(page);
      const imported = await importFile(
        page,
        million.path,
        'corpus-600k-1m.jsonl',
        million.samples,
      );
      result.millionImportSeconds = imported.seconds;
      console.log(`import 600k samples / 10^6 skills: ${imported.seconds.toFixed(1)} s`);
      await page.goto('/#/taxonomy');
      const since = await pageNow(page);
      await countReceivedSince(page, since);
      const memory = sampleMemory(root);
      result.millionTaxonomySeconds = await timed(async () => {
        await page.getByRole('button', { name: 'Build taxonomy' }).click();
        // An error the step shows ends the wait too, and is reported.
        // The icicle's top row is drawn; its cells may all be aggregated ("+N smaller").
        const drawn = page.getByTestId('icicle-focus');
        const failed = page.getByRole('alert').first();
        await drawn.or(failed).waitFor({ timeout: 30 * 60_000 });
        if (await failed.isVisible()) {
          throw new Error(`the 10^6-skill taxonomy failed: ${await failed.textContent()}`);
        }
        await page
          .getByTestId('taxonomy-skills')
          .filter({ hasText: /^1000000$/ })
          .waitFor();
      });
      result.millionRendererPeakMB = memory.stop();
      result.millionPageRendererPeakMB = memory.largestPeak();
      result.millionLongestTaskMs = await longestTaskSince(page, since);
      // Each long task's start (ms after the click's page time) and length, to find what ran.
      const tasks = await longTasksSince(page, since);
      console.log(
        `long tasks: ${tasks.map((t) => `+${Math.round(t.start - since)}:${Math.round(t.duration)}`).join(' ')}`,
      );
      const received = await receivedCounts(page);
      console.log(
        `${tasks.length} tasks over 50 ms; received from workers after the click: ` +
          `${received.messages} messages, ${(received.bytes / 1e6).toFixed(1)} MB`,
      );
      console.log(
        `10^6-skill taxonomy: click → drawn ${result.millionTaxonomySeconds.toFixed(1)} s, ` +
          `longest task ${result.millionLongestTaskMs} ms, renderers ${result.millionRendererPeakMB.toFixed(0)} MB ` +
          `(the page's ${result.millionPageRendererPeakMB.toFixed(0)} MB)`,
      );
      await context.close();
    }
    if (runs('explore')) {
      const context = await browser.newContext({ baseURL });
      const page = await context.newPage();
      await recordLongTasks(page);
      await importFile(page, wide.path, 'corpus-40k-20k.jsonl', wide.samples);
      await page.goto('/#/taxonomy');
      await page.getByRole('button', { name: 'Build taxonomy' }).click();
      await page.getByTestId('taxonomy-skills').filter({ hasText: '20000' }).waitFor();
      // From a fresh page: the app opens the stored taxonomy, then the explorer draws it.
      await page.goto('/#/import');
      await page.reload();
      const workflow = page.getByRole('navigation', { name: 'Workflow' });
      await workflow.waitFor();
      let since = await pageNow(page);
      await workflow.getByRole('link', { name: /Taxonomy/ }).click();
      await page.getByTestId('icicle-cell').first().waitFor();
      const tree = page.getByTestId('taxonomy-tree');
      await tree.focus();
      for (let zoom = 0; zoom < 2; zoom++) {
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Enter');
      }
      await page.getByTestId('zoom-path').getByRole('button').nth(3).waitFor();
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      await page.getByTestId('tree-search').fill('skill-17321');
      await page
        .getByTestId('tree-match')
        .filter({ hasText: /^skill-17321$/ })
        .click();
      await page.getByTestId('found-path').waitFor();
      result.exploreLongestTaskMs = await longestTaskSince(page, since);
      since = await pageNow(page);
      await workflow.getByRole('link', { name: /Combinations/ }).click();
      await page.getByRole('button', { name: 'Find combinations' }).click();
      await page.getByTestId('combinations-summary').waitFor({ timeout: 20 * 60_000 });
      await page.getByTestId('combination-row').first().waitFor();
      result.combinationsLongestTaskMs = await longestTaskSince(page, since);
      console.log(
        `explore: longest task ${result.exploreLongestTaskMs} ms; combinations ${result.combinationsLongestTaskMs} ms`,
      );
      await context.close();

      const tableContext = await browser.newContext({ baseURL });
      const tablePage = await tableContext.newPage();
      await recordLongTasks(tablePage);
      await importFile(tablePage, wider.path, 'corpus-45k-100k.jsonl', wider.samples);
      await tablePage.goto('/#/skills');
      await tablePage
        .getByTestId('skill-count')
        .filter({ hasText: /^100,000 of/ })
        .waitFor();
      since = await pageNow(tablePage);
      const table = tablePage.getByTestId('skill-rows');
      for (const fraction of [0.1, 0.35, 0.6, 0.85, 1]) {
        await table.evaluate((element, f) => {
          element.scrollTop = f * (element.scrollHeight - element.clientHeight);
        }, fraction);
        const row = Math.max(2, Math.floor(fraction * wider.skills) - 5);
        await table.locator(`[aria-rowindex="${row}"]`).waitFor();
      }
      await tablePage.getByRole('button', { name: 'Skill', exact: true }).click();
      await table
        .locator('[aria-rowindex="2"] .name')
        .filter({ hasText: /^skill-0$/ })
        .waitFor();
      result.skillTableLongestTaskMs = await longestTaskSince(tablePage, since);
      console.log(`skill table: longest task ${result.skillTableLongestTaskMs} ms`);
      await tableContext.close();
    }
    await browser.close();
  } finally {
    await browserServer.close();
    server.kill();
  }
  writeFileSync(join(outDir, `browser-${label}.json`), JSON.stringify(result, null, 2) + '\n');
  const table = report();
  writeFileSync(join(outDir, 'browser.md'), table);
  console.log(table);
}

const fixed = (value: number | undefined, digits: number, unit = '') =>
  value === undefined ? '—' : `${value.toFixed(digits)}${unit}`;

/** Markdown table: the issue's figures, then every result saved in bench/out/. */
function report(): string {
  const saved = readdirSync(outDir)
    .filter((name) => /^browser-.*\.json$/.test(name))
    .map((name) => JSON.parse(readFileSync(join(outDir, name), 'utf8')) as Result)
    .sort((a, b) => Number(b.label === 'before') - Number(a.label === 'before'));
  const columns = ['step', 'goal', 'issue 14 (before)', ...saved.map((r) => r.label)];
  const rows: [string, string, string, (r: Result) => string][] = [
    [
      'import 200k samples / 10k skills',
      '≤ 10 s',
      '46.6 s',
      (r) => fixed(r.importSeconds, 1, ' s'),
    ],
    ['… its CPU time, all browser processes', '', '—', (r) => fixed(r.importCpuSeconds, 1, ' s')],
    ['click → taxonomy', '≤ 1 s', '8.7 s', (r) => fixed(r.taxonomySeconds, 2, ' s')],
    ['… its CPU time', '', '—', (r) => fixed(r.taxonomyCpuSeconds, 2, ' s')],
    [
      '… of which graph / tree (worker-timed)',
      '',
      '—',
      (r) =>
        r.taxonomyGraphSeconds === undefined
          ? '—'
          : `${r.taxonomyGraphSeconds.toFixed(2)} / ${r.taxonomyTreeSeconds!.toFixed(2)} s`,
    ],
    ['all-start local search k = 7, B = 100', '≤ 2 s', '—', (r) => fixed(r.searchSeconds, 2, ' s')],
    ['… its CPU time', '', '—', (r) => fixed(r.searchCpuSeconds, 2, ' s')],
    [
      '… of which the search itself (worker-timed)',
      '',
      '—',
      (r) => fixed(r.searchOnlySeconds, 2, ' s'),
    ],
    [
      'longest main-thread task meanwhile',
      '≤ 100 ms',
      '—',
      (r) => fixed(r.longestTaskMs, 0, ' ms'),
    ],
    [
      'import 1 GB JSONL',
      '≥ 20 MB/s',
      '≈ 1.2 MB/s (904 s)',
      (r) =>
        r.bigImportMBps === undefined
          ? '—'
          : `${r.bigImportMBps.toFixed(1)} MB/s` +
            (r.bigImportComplete ? ` (${r.bigImportSeconds!.toFixed(0)} s)` : ' (first part)'),
    ],
    [
      '… its CPU time per 100 MB',
      '',
      '—',
      (r) =>
        r.bigImportCpuSeconds === undefined
          ? '—'
          : `${((r.bigImportCpuSeconds * 100) / (r.bigImportMBps! * r.bigImportSeconds!)).toFixed(1)} s`,
    ],
    [
      '… of which the renderers (page, import worker)',
      '',
      '—',
      (r) =>
        r.bigImportRendererCpuSeconds === undefined
          ? '—'
          : `${((r.bigImportRendererCpuSeconds * 100) / (r.bigImportMBps! * r.bigImportSeconds!)).toFixed(1)} s`,
    ],
    ['… load average (1 min) at its end', '', '—', (r) => fixed(r.bigImportLoadAverage, 1, '')],
    ['renderer memory, 1 GB import', '< 500 MB', '—', (r) => fixed(r.bigRendererPeakMB, 0, ' MB')],
    [
      "… the page's renderer alone (page, import and hash workers)",
      '',
      '—',
      (r) => fixed(r.bigPageRendererPeakMB, 0, ' MB'),
    ],
    [
      '… all renderers, shared pages counted once (PSS)',
      '',
      '—',
      (r) => fixed(r.bigRendererPeakPssMB, 0, ' MB'),
    ],
    ['import 600k samples / 10^6 skills', '—', '—', (r) => fixed(r.millionImportSeconds, 1, ' s')],
    [
      '10^6-skill taxonomy: click → drawn',
      '—',
      '21 s (built)',
      (r) => fixed(r.millionTaxonomySeconds, 1, ' s'),
    ],
    [
      '… longest main-thread task meanwhile',
      '≤ 100 ms',
      '19.4 s',
      (r) => fixed(r.millionLongestTaskMs, 0, ' ms'),
    ],
    [
      '… peak renderer memory',
      '< 2 GB',
      '3.27 GB',
      (r) => fixed(r.millionRendererPeakMB, 0, ' MB'),
    ],
    [
      "… the page's renderer alone (page and workers)",
      '',
      '—',
      (r) => fixed(r.millionPageRendererPeakMB, 0, ' MB'),
    ],

    [
      '20k-skill taxonomy: open, zoom, search — longest task',
      '< 100 ms',
      '—',
      (r) => fixed(r.exploreLongestTaskMs, 0, ' ms'),
    ],
    [
      '20k skills: search, combinations table — longest task',
      'none over 50 ms',
      '—',
      (r) => fixed(r.combinationsLongestTaskMs, 0, ' ms'),
    ],
    [
      '100k-skill table: scroll to the end, sort — longest task',
      '< 100 ms',
      '—',
      (r) => fixed(r.skillTableLongestTaskMs, 0, ' ms'),
    ],
  ];
  return [
    `Machine: ${saved[0]?.machine ?? machine()}`,
    '',
    `| ${columns.join(' | ')} |`,
    `|${columns.map(() => '---').join('|')}|`,
    ...rows.map(
      ([step, goal, before, of]) => `| ${[step, goal, before, ...saved.map(of)].join(' | ')} |`,
    ),
    '',
  ].join('\n');
}

await main();
