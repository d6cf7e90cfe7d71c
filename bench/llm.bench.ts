// The transformers.js adapter's cost: `npm run bench:llm`.
// Generates with the fixture model (tests/fixtures/models/steps-fixture, onnxruntime-node, CPU)
// four ways in the same run, on one tokenizer and one inference session: a bare transformers.js
// loop (chat template + model.generate + decode), the same with transformers.js's TextStreamer,
// and the adapter without and with streaming. Greedy decoding, so all four produce the same
// tokens. Each like-for-like pair is compared round by round (A-B-B-A runs, median of the time
// ratios over rounds), which cancels the load swings of a shared machine and any advantage of
// running first or second. Target: the adapter's overhead under 5 % of CPU time (wall-clock
// figures are printed too; they swing with other processes' load).
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  env,
  TextStreamer,
  type Tensor,
} from '@huggingface/transformers';
import { fileURLToPath } from 'node:url';
import { TransformersEngine } from '../src/llm/transformersEngine';
import type { ChatMessage } from '../src/llm/engine';

const MODEL = 'steps-fixture';
const ROUNDS = 30;
/** Passes over the prompts per timed run (a run then lasts a few tenths of a second). */
const REPEATS = 4;
const MAX_NEW_TOKENS = 128;
const SYSTEM = 'You write training data for chat assistants. You answer with JSON only.';
const QUESTIONS = [
  'Write a short conversation that exercises these skills: git, docker.',
  'Skills: python, sql, regex',
  'Name the skill group: summarizing, paraphrasing, outlining.',
  'Tag this conversation with its skills.',
  'Explain recursion to a child.',
  'Give step by step instructions for baking bread.',
];
/** Each question with and without a system message. */
const PROMPTS: ChatMessage[][] = QUESTIONS.flatMap((question) => [
  [{ role: 'user', content: question }],
  [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: question },
  ],
]);

env.allowRemoteModels = false;
env.localModelPath = fileURLToPath(new URL('../tests/fixtures/models/', import.meta.url));

// One tokenizer and one inference session for all four ways, so only the code around differs.
const tokenizer = await AutoTokenizer.from_pretrained(MODEL);
const bareModel = await AutoModelForCausalLM.from_pretrained(MODEL, { device: 'cpu' });
const engine = new TransformersEngine(MODEL, 'cpu', tokenizer, bareModel);

/** What an app would write without the adapter. */
async function bare(messages: ChatMessage[], stream: boolean): Promise<number> {
  const inputs = tokenizer.apply_chat_template(messages, {
    add_generation_prompt: true,
    return_dict: true,
  });
  const streamer = stream
    ? new TextStreamer(tokenizer, { skip_prompt: true, callback_function: () => {} })
    : undefined;
  const output = (await bareModel.generate({
    ...inputs,
    max_new_tokens: MAX_NEW_TOKENS,
    do_sample: false,
    streamer,
  })) as Tensor;
  const generated = (output.tolist() as bigint[][])[0].slice(inputs.input_ids.dims.at(-1));
  tokenizer.decode(generated, { skip_special_tokens: true });
  return generated.length;
}

async function adapter(messages: ChatMessage[], stream: boolean): Promise<number> {
  const result = await engine.chat(
    { messages, temperature: 0, max_tokens: MAX_NEW_TOKENS },
    stream ? { onToken: () => {} } : {},
  );
  return result.usage.completion_tokens;
}

const ways = {
  bare: (messages: ChatMessage[]) => bare(messages, false),
  bareStreaming: (messages: ChatMessage[]) => bare(messages, true),
  adapter: (messages: ChatMessage[]) => adapter(messages, false),
  adapterStreaming: (messages: ChatMessage[]) => adapter(messages, true),
};
type Way = keyof typeof ways;
const order = Object.keys(ways) as Way[];

/**
 * One unit of measurement: every prompt once, so a unit lasts long enough to time well. Both
 * wall time and the process's CPU time (all threads): on a machine shared with other jobs, CPU
 * time leaves out the moments this process was waiting for a core.
 */
async function timed(way: Way) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let tokens = 0;
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    for (const messages of PROMPTS) tokens += await ways[way](messages);
  }
  const { user, system } = process.cpuUsage(cpu);
  return {
    tokens,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (user + system) / 1e6,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

// Warm-up (the first runs allocate buffers); also checks that the four ways agree.
for (const messages of PROMPTS) {
  const counts = [];
  for (const way of order) counts.push(await ways[way](messages));
  if (new Set(counts).size !== 1) throw new Error(`The ways generated ${counts} tokens.`);
}

const totals = Object.fromEntries(order.map((way) => [way, { tokens: 0, seconds: 0 }])) as Record<
  Way,
  { tokens: number; seconds: number }
>;
const pairs = {
  adapter: ['bare', 'adapter'],
  adapterStreaming: ['bareStreaming', 'adapterStreaming'],
} as const;
const ratios = { adapter: [] as number[], adapterStreaming: [] as number[] };
const cpuRatios = { adapter: [] as number[], adapterStreaming: [] as number[] };
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, [bareWay, adapterWay]] of Object.entries(pairs) as [
    keyof typeof pairs,
    (typeof pairs)[keyof typeof pairs],
  ][]) {
    // A-B-B-A (B-A-A-B on odd rounds): drift and position effects fall on both ways alike.
    const sequence =
      round % 2 === 0
        ? [bareWay, adapterWay, adapterWay, bareWay]
        : [adapterWay, bareWay, bareWay, adapterWay];
    const wall = { bare: 0, adapter: 0 };
    const cpu = { bare: 0, adapter: 0 };
    for (const way of sequence) {
      const run = await timed(way);
      const side = way === bareWay ? 'bare' : 'adapter';
      wall[side] += run.seconds;
      cpu[side] += run.cpuSeconds;
      totals[way].tokens += run.tokens;
      totals[way].seconds += run.seconds;
    }
    ratios[name].push(wall.bare / wall.adapter);
    cpuRatios[name].push(cpu.bare / cpu.adapter);
  }
}

const tokensPerSecond = Object.fromEntries(
  order.map((way) => [way, Number((totals[way].tokens / totals[way].seconds).toFixed(1))]),
);
const percent = (ratio: number) => Number((100 * (1 - ratio)).toFixed(2));
const result = {
  model: MODEL,
  device: 'cpu (onnxruntime-node)',
  prompts: PROMPTS.length,
  rounds: ROUNDS,
  tokensPerAnswer: Number(
    (totals.bare.tokens / (2 * ROUNDS * REPEATS * PROMPTS.length)).toFixed(1),
  ),
  /** Wall clock, prompt processing included, over all rounds. */
  tokensPerSecond,
  /** Median over rounds of (bare time / adapter time), like for like (streaming or not). */
  speedRatioToBare: {
    wall: {
      adapter: Number(median(ratios.adapter).toFixed(4)),
      adapterStreaming: Number(median(ratios.adapterStreaming).toFixed(4)),
    },
    cpu: {
      adapter: Number(median(cpuRatios.adapter).toFixed(4)),
      adapterStreaming: Number(median(cpuRatios.adapterStreaming).toFixed(4)),
    },
  },
  /** The target: extra CPU time the adapter spends per answer. */
  overheadPercent: {
    adapter: percent(median(cpuRatios.adapter)),
    adapterStreaming: percent(median(cpuRatios.adapterStreaming)),
  },
  wallOverheadPercent: {
    adapter: percent(median(ratios.adapter)),
    adapterStreaming: percent(median(ratios.adapterStreaming)),
  },
};
console.log(JSON.stringify(result, null, 2));
const ok = result.overheadPercent.adapter < 5 && result.overheadPercent.adapterStreaming < 5;
console.log(ok ? 'target met (adapter overhead < 5 %)' : 'TARGET MISSED (adapter overhead >= 5 %)');
if (!ok) process.exitCode = 1;
await engine.dispose();
