// The real model at work: `npm run bench:model`.
// SmolLM2-135M-Instruct (Q4_1 GGUF, fetched by scripts/test-model.mjs) writes synthesis samples on
// the demo corpus: the app's fusion prompt for k = 2 combinations of its 3-level taxonomy, through
// the same SynthesisRun as the app and the CLI (parsing, conversation rules, duplicate filter).
// Each target runs the same seeded run twice: with the output constrained (the answer's JSON
// schema as a grammar) and unconstrained. Per run: prompt tokens per second (prompt tokens over
// the time to the first token), generation tokens per second (the other tokens over the rest of
// the time), seconds per valid sample and the valid share of attempts. STEPS_BENCH_ATTEMPTS sets
// the attempts per run (default 10): a fixed number of attempts, not of valid samples, since
// unconstrained output may rarely be valid.
//
// Two halves, one table (printed, and written to bench/out/model.json):
// - the CLI's engine (node-llama-cpp on the CPU), here, with one thread and with every core;
// - wllama in Chromium, through the app (bench/browser/modelSpeed.ts, run by Playwright), not
//   cross-origin isolated (one thread) and isolated (several); it needs a build in dist/ (or
//   STEPS_BENCH_DIST). Its tokens per second come from the valid samples' records only.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Sample } from '../src/core/corpus/sample';
import { SkillGraphBuilder, buildTree, findCombinations } from '../src/core/steps';
import { assignAtomicSamples } from '../src/core/synthesis/atomicAssignment';
import {
  describeDiscard,
  groupDiscardReasons,
  type RecordedDiscardReason,
} from '../src/core/synthesis/discardReason';
import { defaultTemplates } from '../src/core/synthesis/prompts';
import {
  SynthesisRun,
  type RunCombination,
  type SynthesisRunSpec,
} from '../src/core/synthesis/synthesisRun';
import { estimateTokens, type ChatEngine, type ChatResult } from '../src/llm/engine';
import { loadNodeLlamaCppEngine } from '../src/llm/nodeLlamaCppEngine';
import { testModelMissing, testModelPath } from '../tests/unit/testModel';
import type { BenchRunFigures } from './modelFigures';

const ATTEMPTS = Number(process.env.STEPS_BENCH_ATTEMPTS ?? 10);
const SEED = 7;
const K = 2;

/** A way to run the model: it loads an engine, which the run then asks. */
interface BenchTarget {
  name: string;
  load(): Promise<{ engine: ChatEngine; dispose(): Promise<void> }>;
}

const cliTarget = (threads: number): BenchTarget => ({
  name: `CLI · node-llama-cpp · ${threads} thread${threads === 1 ? '' : 's'}`,
  async load() {
    const engine = await loadNodeLlamaCppEngine({ modelPath: testModelPath, threads });
    return { engine, dispose: () => engine.dispose() };
  },
});

const cores = availableParallelism();
const targets: BenchTarget[] = [cliTarget(1), ...(cores > 1 ? [cliTarget(cores)] : [])];

if (testModelMissing) {
  console.error(`bench:model needs the test model: ${testModelMissing}`);
  process.exit(1);
}

const corpus: Sample[] = readFileSync(
  new URL('../public/demo/demo-corpus.jsonl', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Sample);
const samplesById = new Map(corpus.map((sample) => [sample.id, sample]));

const graphBuilder = new SkillGraphBuilder();
for (const sample of corpus) graphBuilder.add(sample.skills);
const graph = graphBuilder.build();
const { tree } = buildTree(graph, { levels: 3, builder: 'optimised' });
const combinations: RunCombination[] = findCombinations(graph, tree, {
  entropyMode: 'standard',
  size: K,
  beamWidth: 5,
  dedupeAcrossStarts: true,
}).map(({ skills, score, lowestCommonNode }) => ({
  skills: skills.map((id) => graph.names[id]),
  score,
  lowestCommonNode,
}));

async function run(
  target: string,
  engine: ChatEngine,
  output: BenchRunFigures['output'],
): Promise<BenchRunFigures> {
  const spec: SynthesisRunSpec = {
    runId: `bench-${output}`,
    combinations,
    // More than the attempts allow: the run ends by the attempt count.
    targetPerK: { [K]: ATTEMPTS },
    template: defaultTemplates.fusion,
    model: { id: engine.model, engine: engine.kind },
    // The sampling the README recommends for a model this small: it keeps SmolLM2 out of the
    // repetition loops that run into the token limit.
    generation: { temperature: 0.3, top_p: 1, max_tokens: 384, frequency_penalty: 0.5 },
    maxPromptTokens: 600,
    seed: SEED,
    maxAttemptsPerSlot: 3,
    quality: {
      dedup: true,
      nearDuplicateThreshold: 0.8,
      novelty: false,
      coverage: false,
      minCoverage: 1,
    },
    checkMaxTokens: 64,
    unconstrained: output === 'unconstrained',
  };
  const answers: { result: ChatResult; seconds: number }[] = [];
  const reasons: RecordedDiscardReason[] = [];
  const started = performance.now();
  const synthesis = new SynthesisRun(
    spec,
    {
      async chat(call, signal) {
        const asked = performance.now();
        const result = await engine.chat(call, { signal });
        answers.push({ result, seconds: (performance.now() - asked) / 1000 });
        return result;
      },
      countTokens: estimateTokens,
      tokenCounts: engine.tokenCounts?.bind(engine),
      assignment: assignAtomicSamples(corpus, { seed: SEED }),
      sample: async (id) => samplesById.get(id)!,
      saveAttempt: async (attempt) => {
        const reason = attempt.reason ? ` (${describeDiscard(attempt.reason)})` : '';
        console.error(`${target}, ${output}: attempt ${attempt.index} ${attempt.status}${reason}`);
        if (attempt.reason) reasons.push(attempt.reason);
      },
    },
    [],
  );
  while (synthesis.progress.attempts < ATTEMPTS && (await synthesis.next()));
  const seconds = (performance.now() - started) / 1000;
  const { attempts, discarded } = synthesis.progress;
  const valid = attempts - discarded;
  let promptTokens = 0;
  let promptSeconds = 0;
  let generatedTokens = 0;
  let generationSeconds = 0;
  for (const { result, seconds: answerSeconds } of answers) {
    const firstToken = (result.usage.time_to_first_token_ms ?? 0) / 1000;
    promptTokens += result.usage.prompt_tokens;
    promptSeconds += firstToken;
    generatedTokens += Math.max(0, result.usage.completion_tokens - 1);
    generationSeconds += answerSeconds - firstToken;
  }
  return {
    target,
    output,
    attempts,
    valid,
    validShare: valid / attempts,
    secondsPerValidSample: seconds / valid,
    promptTokensPerSecond: promptTokens / promptSeconds,
    generationTokensPerSecond: generatedTokens / generationSeconds,
    discarded: groupDiscardReasons(reasons),
  };
}

const figures: BenchRunFigures[] = [];
for (const target of targets) {
  const { engine, dispose } = await target.load();
  for (const output of ['constrained', 'unconstrained'] as const) {
    figures.push(await run(target.name, engine, output));
    console.error(JSON.stringify(figures.at(-1)));
  }
  await dispose();
}

// The browser half, in Playwright's runner: it writes its figures for this table.
const out = fileURLToPath(new URL('out/', import.meta.url));
const browserFigures = `${out}model-browser.json`;
rmSync(browserFigures, { force: true });
spawnSync('npx', ['playwright', 'test', '-c', 'bench/playwright.config.ts'], {
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  stdio: 'inherit',
});
if (existsSync(browserFigures)) {
  figures.push(...(JSON.parse(readFileSync(browserFigures, 'utf8')) as BenchRunFigures[]));
}

const fixed = (value: number, digits: number) =>
  Number.isFinite(value) ? value.toFixed(digits) : '–';
console.table(
  figures.map((f) => ({
    target: f.target,
    output: f.output,
    attempts: f.attempts,
    'valid share': `${(100 * f.validShare).toFixed(0)} %`,
    's / valid sample': fixed(f.secondsPerValidSample, 1),
    'prompt tok/s': fixed(f.promptTokensPerSecond, 0),
    'generation tok/s': fixed(f.generationTokensPerSecond, 1),
  })),
);
mkdirSync(out, { recursive: true });
writeFileSync(
  `${out}model.json`,
  `${JSON.stringify(
    {
      model: 'SmolLM2-135M-Instruct.Q4_1.gguf',
      corpus: 'public/demo/demo-corpus.jsonl',
      k: K,
      attemptsPerRun: ATTEMPTS,
      seed: SEED,
      // The machine may be shared: its load while the benchmark ran puts the figures in context.
      machine: { cores, loadAverage: loadavg() },
      runs: figures,
    },
    null,
    2,
  )}\n`,
);
console.log(`written to ${out}model.json`);
