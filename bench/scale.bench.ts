// The CLI at scale, against the goals of issue 14 and against the paper's own code:
// `npm run bench:scale`. Each measurement runs in a child process of its own, so that its peak
// memory (the child's maximum RSS) is its own. Times are wall/CPU seconds; other work on the
// machine inflates wall time far more than CPU time, so both are printed with the load average.
//
// - 100k skills (2.8M edges): 3-level tree, top-down and optimised (which builds the top-down
//   tree too), and the global search (k = 7, B = 100) from every start, on one worker thread per
//   core as `steps combos` runs it (src/cli/searchThreads.ts; CPU time summed over the threads);
// - 1M skills (27M edges): the 3-level top-down tree;
// - `steps combos` on 10k skills, global search from every start, streamed (--format jsonl) and
//   as one JSON document, with the peak RSS of the whole CLI process;
// - the paper's code (https://github.com/weiyifan1023/STEPS, src/struct_entropy.py, with Debian's
//   python3-torch, python3-networkx and python3-tqdm): its 3-level tree builder and its global search from 3
//   starts on 400- and 800-tag co-occurrence graphs (bench/coocGraph.ts), and this project's
//   builder and reference-global search on the same graphs, same settings, in the same run. Set
//   STEPS_PAPER_CODE to a checkout of that repository (`git clone
//   https://github.com/weiyifan1023/STEPS`); without it the ratio is skipped, saying so.
//   STEPS_PYTHON names the Python with torch (default /usr/bin/python3).
//
// The power-law graphs are generated once into bench/out/ as binary graph files (graphCache.ts);
// the first run spends minutes on the million-skill one. `npm run bench:scale -- tree-100k paper`
// runs only the parts named (tree-100k, load-100k, search-100k, tree-1m, combos, paper).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { graphFromBinary } from '../src/core/graph/binaryGraphFile';
import { graphFromFile, graphToFile } from '../src/core/graph/graphFile';
import type { SkillGraph } from '../src/core/graph/skillGraph';
import { searchInThreads, searchThreadCount } from '../src/cli/searchThreads';
import { searchCombinationTable } from '../src/core/taxonomy/combinationSearch';
import { treeTerms } from '../src/core/taxonomy/entropy';
import { buildOptimisedTree } from '../src/core/taxonomy/optimisedTree';
import { buildTopDownTree } from '../src/core/taxonomy/topDownTree';
import { coocGraph } from './coocGraph';
import { benchOut, cachedPowerLawGraph, powerLawGraphPath } from './graphCache';

const LEVELS = 3;
const SEARCH = { size: 7, beamWidth: 100 };
const PAPER_STARTS = [0, 1, 2];
const MB = 1024 * 1024;
const self = fileURLToPath(import.meta.url);
const root = join(benchOut, '..', '..');

interface Timing {
  wall: number;
  cpu: number;
}

function timed<T>(run: () => T): [T, Timing] {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const result = run();
  const cpu = process.cpuUsage(cpuStart);
  return [result, { wall: (performance.now() - start) / 1000, cpu: (cpu.user + cpu.system) / 1e6 }];
}

/** `timed` for a promise: CPU time of every thread of the process, as process.cpuUsage counts. */
async function timedAsync<T>(run: () => Promise<T>): Promise<[T, Timing]> {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const result = await run();
  const cpu = process.cpuUsage(cpuStart);
  return [result, { wall: (performance.now() - start) / 1000, cpu: (cpu.user + cpu.system) / 1e6 }];
}

function bestOf<T>(runs: number, run: () => T): [T, Timing] {
  let [result, best] = timed(run);
  for (let i = 1; i < runs; i++) {
    const [again, time] = timed(run);
    result = again;
    if (time.cpu < best.cpu) best = time;
  }
  return [result, best];
}

/** The power-law graph from its binary file (timed), generated first if it is not there yet. */
function loadGraph(skills: number): [SkillGraph, Timing] {
  if (!existsSync(powerLawGraphPath(skills))) cachedPowerLawGraph(skills);
  return timed(() => graphFromBinary(readFileSync(powerLawGraphPath(skills))));
}

// The measurements, each run by a child process (`tsx bench/scale.bench.ts --case <name>`), which prints
// one JSON line: its timings and its own peak RSS.
const cases: Record<string, () => Record<string, unknown> | Promise<Record<string, unknown>>> = {
  'tree-100k': () => {
    const [graph, load] = loadGraph(100_000);
    const [, topDown] = timed(() => buildTopDownTree(graph, LEVELS));
    const [, optimised] = timed(() => buildOptimisedTree(graph, LEVELS));
    return { edges: graph.targets.length / 2, load, topDown, optimised };
  },
  'load-100k': () => {
    const [graph, binary] = loadGraph(100_000);
    const text = JSON.stringify(graphToFile(graph));
    const [, json] = timed(() => graphFromFile(JSON.parse(text)));
    return {
      binaryMB: readFileSync(powerLawGraphPath(100_000)).length / MB,
      jsonMB: text.length / MB,
      binary,
      json,
    };
  },
  'search-100k': async () => {
    const [graph] = loadGraph(100_000);
    const tree = buildTopDownTree(graph, LEVELS);
    const terms = treeTerms(graph, tree, 'standard');
    const threads = searchThreadCount();
    const [rows, search] = await timedAsync(async () => {
      let count = 0;
      const data = { terms, tree, options: { ...SEARCH, mode: 'global' as const } };
      for await (const table of searchInThreads(data, threads)) count += table.count;
      return count;
    });
    return { starts: graph.names.length, rows, threads, search };
  },
  'tree-1m': () => {
    const [graph, load] = loadGraph(1_000_000);
    const [, topDown] = timed(() => buildTopDownTree(graph, LEVELS));
    return { edges: graph.targets.length / 2, load, topDown };
  },
};

function runCase(name: string): Record<string, unknown> & { peakRssMB: number } {
  const output = execFileSync(process.execPath, [...process.execArgv, self, '--case', name], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * MB,
  });
  return JSON.parse(output.trim().split('\n').at(-1)!) as Record<string, unknown> & {
    peakRssMB: number;
  };
}

/** `steps combos` on the 10k graph under GNU time: wall and CPU seconds, peak RSS, output bytes. */
function runCombos(format: 'json' | 'jsonl') {
  const graph = powerLawGraphPath(10_000);
  if (!existsSync(graph)) cachedPowerLawGraph(10_000);
  const args = ['-f', '%e %U %S %M', join(root, 'node_modules', '.bin', 'tsx')];
  args.push('src/cli/steps.ts', 'combos', graph, '--levels', String(LEVELS));
  args.push('--size', String(SEARCH.size), '--beam', String(SEARCH.beamWidth));
  args.push('--search', 'global', '--format', format);
  const run = spawnSync('/usr/bin/time', args, {
    cwd: root,
    maxBuffer: 1024 * MB,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (run.status !== 0) throw new Error(`steps combos failed: ${run.stderr.toString()}`);
  const [wall, user, system, kilobytes] = run.stderr
    .toString()
    .trim()
    .split('\n')
    .at(-1)!
    .split(' ')
    .map(Number);
  return {
    format,
    time: { wall, cpu: user + system },
    peakRssMB: kilobytes / 1024,
    outputMB: run.stdout.length / MB,
  };
}

interface PaperRow {
  graph: string;
  nodes: number;
  edges: number;
  paper: { tree: Timing; search: Timing; starts: number };
  ours: { tree: Timing; search: Timing };
}

/** This project's tree and search against the paper's code on the same graph, same settings. */
function paperRatio(checkout: string, tags: number): PaperRow {
  const graph = coocGraph(tags, tags);
  const path = join(benchOut, `cooc-T${tags}.json`);
  writeFileSync(path, JSON.stringify(graphToFile(graph)));
  const python = process.env.STEPS_PYTHON ?? '/usr/bin/python3';
  const script = join(root, 'bench', 'paperCode.py');
  const paperArgs = [checkout, path, LEVELS, SEARCH.size, SEARCH.beamWidth, PAPER_STARTS.join(',')];
  const run = spawnSync(python, [script, ...paperArgs.map(String)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * MB,
  });
  if (run.status !== 0) {
    // Its last lines name what is missing, e.g. "No module named 'networkx'".
    throw new Error(
      `the paper's code failed (${python} ${script}; exit ${run.status ?? run.signal}); it needs ` +
        `Debian's python3-torch, python3-networkx and python3-tqdm, or STEPS_PYTHON naming a Python with them:\n` +
        (run.stderr ?? run.error?.message ?? '').trim().split('\n').slice(-3).join('\n'),
    );
  }
  const paper = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as PaperRow['paper'];

  // One warm-up run each (the JIT), then the best of 5: these take milliseconds.
  const build = () => buildTopDownTree(graph, LEVELS);
  build();
  const [tree, ourTree] = bestOf(5, build);
  const terms = treeTerms(graph, tree, 'reference');
  const search = () =>
    searchCombinationTable(terms, tree, {
      ...SEARCH,
      mode: 'reference-global',
      starts: PAPER_STARTS,
    });
  search();
  const [, ourSearch] = bestOf(5, search);
  return {
    graph: `cooc-T${tags}`,
    nodes: graph.names.length,
    edges: graph.targets.length / 2,
    paper,
    ours: { tree: ourTree, search: ourSearch },
  };
}

// `--case NAME`: a child measuring one case; otherwise the parts named (default all of them).
if (process.argv[2] === '--case') {
  const run = cases[process.argv[3]];
  if (run === undefined) throw new Error(`unknown case ${process.argv[3]}`);
  const result = await run();
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ ...result, peakRssMB }));
} else {
  main(process.argv.slice(2));
}

function main(only: string[]): void {
  const load = () => `load ${loadavg()[0].toFixed(1)}`;
  const time = (t: Timing) => `${t.wall.toFixed(3)}/${t.cpu.toFixed(3)} s`;
  const rss = (value: number) => `peak RSS ${value.toFixed(0)} MB`;
  const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
  const goals: { goal: string; measured: string; pass: boolean }[] = [];
  const report = (goal: string, measured: string, pass: boolean) => {
    goals.push({ goal, measured, pass });
    console.log(`  ${verdict(pass)}  ${goal}: ${measured}`);
  };

  const parts: Record<string, () => unknown> = {
    'tree-100k': () => {
      const tree = runCase('tree-100k') as unknown as {
        edges: number;
        load: Timing;
        topDown: Timing;
        optimised: Timing;
        peakRssMB: number;
      };
      report(
        `100k skills / ${tree.edges} edges, 3-level top-down tree ≤ 3 s, < 1 GB`,
        `${time(tree.topDown)} (binary file loaded in ${time(tree.load)}), ${rss(tree.peakRssMB)}; ${load()}`,
        tree.topDown.cpu <= 3 && tree.peakRssMB < 1024,
      );
      report(
        '100k skills, optimised tree (with its top-down tree) ≤ 6 s, < 1 GB',
        `${time(tree.optimised)}, ${rss(tree.peakRssMB)}; ${load()}`,
        tree.optimised.cpu <= 6 && tree.peakRssMB < 1024,
      );
      return tree;
    },
    'load-100k': () => {
      const loading = runCase('load-100k') as unknown as {
        binaryMB: number;
        jsonMB: number;
        binary: Timing;
        json: Timing;
      };
      console.log(
        `        loading the 100k graph: binary file, ${loading.binaryMB.toFixed(0)} MB, ${time(loading.binary)}; ` +
          `JSON text, ${loading.jsonMB.toFixed(0)} MB, parsed and read ${time(loading.json)}; ${load()}`,
      );
      return loading;
    },
    'search-100k': () => {
      const search = runCase('search-100k') as unknown as {
        starts: number;
        rows: number;
        threads: number;
        search: Timing;
        peakRssMB: number;
      };
      report(
        `100k skills, global search (k = ${SEARCH.size}, B = ${SEARCH.beamWidth}) from all ${search.starts} starts ≤ 30 s (wall, ${search.threads} threads)`,
        `${time(search.search)}, ${search.rows} combinations, ${rss(search.peakRssMB)}; ${load()}`,
        search.search.wall <= 30,
      );
      return search;
    },
    'tree-1m': () => {
      const tree = runCase('tree-1m') as unknown as {
        edges: number;
        load: Timing;
        topDown: Timing;
        peakRssMB: number;
      };
      report(
        `1M skills / ${tree.edges} edges, 3-level top-down tree ≤ 60 s, < 8 GB`,
        `${time(tree.topDown)} (binary file loaded in ${time(tree.load)}), ${rss(tree.peakRssMB)}; ${load()}`,
        tree.topDown.cpu <= 60 && tree.peakRssMB < 8192,
      );
      return tree;
    },
    combos: () => {
      const jsonl = runCombos('jsonl');
      const json = runCombos('json');
      report(
        '`steps combos` on 10k skills (global, every start) streaming, peak RSS < 400 MB',
        `--format jsonl ${time(jsonl.time)}, ${rss(jsonl.peakRssMB)}, ${jsonl.outputMB.toFixed(0)} MB out; ` +
          `--format json ${time(json.time)}, ${rss(json.peakRssMB)}; whole process; ${load()}`,
        jsonl.peakRssMB < 400,
      );
      return [jsonl, json];
    },
    paper: () => {
      const checkout = process.env.STEPS_PAPER_CODE;
      if (checkout === undefined || !existsSync(join(checkout, 'src', 'struct_entropy.py'))) {
        console.log(
          'The paper-code ratio is skipped: set STEPS_PAPER_CODE to a checkout of ' +
            'https://github.com/weiyifan1023/STEPS (with python3-torch, python3-networkx and python3-tqdm).',
        );
        return [];
      }
      console.log(
        `Against the paper's code (${checkout}), one thread each, 3-level tree and ` +
          `global search k = ${SEARCH.size}, B = ${SEARCH.beamWidth} from starts ${PAPER_STARTS.join(', ')}:`,
      );
      const ratio = (paper: Timing, ours: Timing) => `${(paper.cpu / ours.cpu).toFixed(0)}×`;
      return [400, 800].map((tags) => {
        const row = paperRatio(checkout, tags);
        console.log(
          `  ${row.graph} (${row.nodes} skills, ${row.edges} edges): tree paper ${time(row.paper.tree)}, ` +
            `ours ${time(row.ours.tree)}, ${ratio(row.paper.tree, row.ours.tree)} on CPU; ` +
            `search paper ${time(row.paper.search)}, ours ${time(row.ours.search)}, ` +
            `${ratio(row.paper.search, row.ours.search)} on CPU; ${load()}`,
        );
        return row;
      });
    },
  };
  const unknown = only.filter((name) => !(name in parts));
  if (unknown.length > 0) {
    throw new Error(`unknown part ${unknown.join(', ')}; parts: ${Object.keys(parts).join(', ')}`);
  }

  console.log(
    `Times: wall/CPU seconds; PASS/FAIL on CPU seconds, the threaded search on wall seconds. Node ${process.version}.`,
  );
  const results: Record<string, unknown> = {};
  for (const [name, run] of Object.entries(parts)) {
    if (only.length === 0 || only.includes(name)) results[name] = run();
  }

  mkdirSync(benchOut, { recursive: true });
  const outPath = join(benchOut, 'scale.json');
  const record = { date: new Date().toISOString(), node: process.version, goals, results };
  writeFileSync(outPath, JSON.stringify(record, null, 2));
  console.log(`\nwrote ${outPath}`);
}
