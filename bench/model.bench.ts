// The real model at work: `npm run bench:model`.
// SmolLM2-135M-Instruct (Q4_1 GGUF, fetched by scripts/test-model.mjs) writes synthesis samples on
// the demo corpus: the app's fusion prompt for k = 2 combinations of its 3-level taxonomy, through
// the same SynthesisRun as the app and the CLI (parsing, conversation rules, duplicate filter).
// Each target runs the same seeded run twice: with the output constrained (the answer's JSON
// schema as a grammar) and unconstrained. Per run: prompt tokens per second (prompt tokens over
// the time to the first token), generation tokens per second (the other tokens over the rest of
// the time), seconds per valid sample and the valid share of attempts. Prints a table and writes
// bench/out/model.json. STEPS_BENCH_ATTEMPTS sets the attempts per run (default 10): a fixed
// number of attempts, not of valid samples, since unconstrained output may rarely be valid.
//
// Targets: the CLI's engine (node-llama-cpp on the CPU) with one thread and with every core. A
// target is anything that answers chat requests, so the browser's engine (wllama in Chromium, one
// thread, and several with cross-origin isolation) joins as targets whose chat runs in the page.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Sample } from '../src/core/corpus/sample';
import { SkillGraphBuilder, buildTree, findCombinations } from '../src/core/steps';
import { assignAtomicSamples } from '../src/core/synthesis/atomicAssignment';
import {
  describeDiscard,
  groupDiscardReasons,
  type DiscardGroup,
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

/** What one run measured. */
interface RunFigures {
  target: string;
  output: 'constrained' | 'unconstrained';
  attempts: number;
  valid: number;
  validShare: number;
  secondsPerValidSample: number;
  promptTokensPerSecond: number;
  generationTokensPerSecond: number;
  /** Why attempts were discarded, most common first. */
  discarded: DiscardGroup[];
}

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
const tree = buildTree(graph, { levels: 3, builder: 'optimised' });
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
  output: RunFigures['output'],
): Promise<RunFigures> {
  const spec: SynthesisRunSpec = {
    runId: `bench-${output}`,
    combinations,
    // More than the attempts allow: the run ends by the attempt count.
    targetPerK: { [K]: ATTEMPTS },
    template: defaultTemplates.fusion,
    model: { id: engine.model, engine: engine.kind },
    generation: { temperature: 0.7, top_p: 1, max_tokens: 384 },
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
  };
  const answers: { result: ChatResult; seconds: number }[] = [];
  const reasons: RecordedDiscardReason[] = [];
  const started = performance.now();
  const synthesis = new SynthesisRun(
    spec,
    {
      async chat(call, signal) {
        const request =
          output === 'constrained' ? call : { ...call, response_format: { type: 'text' as const } };
        const asked = performance.now();
        const result = await engine.chat(request, { signal });
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

const figures: RunFigures[] = [];
for (const target of targets) {
  const { engine, dispose } = await target.load();
  for (const output of ['constrained', 'unconstrained'] as const) {
    figures.push(await run(target.name, engine, output));
  }
  await dispose();
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
const out = fileURLToPath(new URL('out/', import.meta.url));
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
