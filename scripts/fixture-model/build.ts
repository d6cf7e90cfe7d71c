/**
 * `npm run fixture:model`: rebuilds tests/fixtures/models/steps-fixture, a tiny real causal LM
 * that transformers.js runs offline, trained to answer the app's own prompts with valid JSON.
 *
 * 1. Tokenizer corpus: prompts built with src/core/synthesis (fusion, agentic, agentic check,
 *    tagging, naming) over public/demo/demo-corpus.jsonl, answers from answers.ts.
 * 2. Byte-level BPE over line pieces (bpe.ts), written as tokenizer.json/tokenizer_config.json
 *    (ChatML template), loaded back and checked with transformers.js.
 * 3. Training and held-out sets, prompts budgeted in that tokenizer's tokens
 *    (make-training-data.ts); token ids made by transformers.js itself.
 * 4. train.py (Debian's /usr/bin/python3 with python3-torch and python3-onnx): a Llama-style
 *    decoder with a KV cache, trained on the CPU for a fixed number of steps with one thread,
 *    exported to onnx/model.onnx (fp32) with config.json and generation_config.json.
 * 5. Greedy answers to the held-out prompts through transformers.js; the rates go in README.md.
 *
 * Seeded throughout (settings.ts): the same machine setup gives the same files. Torch's results
 * depend on the BLAS library, so the one used is recorded; Debian's reference BLAS also makes
 * training about 10x slower than OpenBLAS (libopenblas0-serial).
 * Intermediate files go to node_modules/.cache/fixture-model/.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultTemplates } from '../../src/core/synthesis/prompts';
import { buildTokenizer, checkTokenizer } from './buildTokenizer';
import { evaluate, type EvaluationReport } from './evaluate';
import { KIND_WEIGHTS, type FixtureExample } from './examples';
import { promptFormatFingerprint } from './promptFormat';
import { makeTrainingData } from './make-training-data';
import { buildFolder, modelFolder, repoRoot, settings } from './settings';
import { EOS_TOKEN_ID, PAD_TOKEN_ID, renderChatMl, SPECIAL_TOKENS } from './tokenizerFiles';

const PYTHON = '/usr/bin/python3';
const APT = 'apt-get update && apt-get install -y python3-torch python3-onnx libopenblas0-serial';

function checkPython(): { versions: string; blas: string } {
  const probe = spawnSync(
    PYTHON,
    [
      '-c',
      [
        'import os, torch, onnx',
        'torch.ones(8, 8) @ torch.ones(8, 8)',
        "maps = open('/proc/self/maps').read().split()",
        "blas = sorted({os.path.realpath(p) for p in maps if 'blas' in os.path.basename(p)})",
        "print(torch.__version__, onnx.__version__, ' '.join(blas) or 'unknown')",
      ].join('\n'),
    ],
    { encoding: 'utf8' },
  );
  if (probe.status !== 0) {
    console.error(probe.stderr || probe.error?.message);
    console.error(`${PYTHON} cannot import torch and onnx. Install Debian's packages:\n  ${APT}`);
    process.exit(1);
  }
  const [torch, onnx, ...blas] = probe.stdout.trim().split(' ');
  if (!blas.some((path) => path.includes('openblas'))) {
    console.warn(
      `torch uses ${blas.join(' ')}, not OpenBLAS: training is much slower and the weights will ` +
        `differ from the committed ones. Install libopenblas0-serial (${APT}).`,
    );
  }
  return { versions: `python3-torch ${torch}, python3-onnx ${onnx}`, blas: blas.join(' ') };
}

function run(command: string, args: string[]): void {
  // No __pycache__ beside the scripts.
  const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status})`);
}

function encodeExamples(
  tokenizer: Awaited<ReturnType<typeof buildTokenizer>>['tokenizer'],
  examples: FixtureExample[],
): { ids: number[]; prompt_length: number }[] {
  return examples.map((example) => {
    const prompt = renderChatMl(example.prompt, true);
    const promptIds = tokenizer.encode(prompt, { add_special_tokens: false });
    const ids = tokenizer.encode(prompt + example.answer + SPECIAL_TOKENS[EOS_TOKEN_ID], {
      add_special_tokens: false,
    });
    if (promptIds.some((id, i) => ids[i] !== id)) {
      throw new Error(`${example.id}: the prompt's ids are not a prefix of the full text's ids`);
    }
    return { ids, prompt_length: promptIds.length };
  });
}

/** Tokens the chat template adds around a prompt's messages. */
function chatOverhead(
  tokenizer: Awaited<ReturnType<typeof buildTokenizer>>['tokenizer'],
  example: FixtureExample,
): number {
  const count = (text: string) => tokenizer.encode(text, { add_special_tokens: false }).length;
  const contents = example.prompt.reduce((n, m) => n + count(m.content), 0);
  return count(renderChatMl(example.prompt, true)) - contents;
}

function fileSizes(folder: string, files: string[]): Record<string, number> {
  return Object.fromEntries(files.map((f) => [f, statSync(join(folder, f)).size]));
}

function readme(facts: {
  vocabSize: number;
  parameters: number;
  sizes: Record<string, number>;
  report: EvaluationReport;
  heldout: FixtureExample[];
  longestTraining: number;
  longestAnswer: number;
  chatOverhead: number;
  python: { versions: string; blas: string };
}): string {
  const { model, training } = settings;
  const mb = (bytes: number) => (bytes / 1e6).toFixed(2);
  const total = Object.values(facts.sizes).reduce((a, b) => a + b, 0);
  const rows = Object.entries(facts.report.byKind).map(
    ([kind, r]) =>
      `| ${kind} | ${r.prompts} | ${r.valid}/${r.prompts} | ` +
      (kind === 'fusion' || kind === 'agentic'
        ? `${r.acceptedByApp}/${r.prompts} | ${r.allSkillsNamed}/${r.prompts} | – |`
        : `– | – | ${r.asTrained}/${r.prompts} |`),
  );
  const templates = Object.values(defaultTemplates)
    .map((t) => `\`${t.id}\` v${t.version}`)
    .join(', ');
  return `# steps-fixture: a tiny real model for tests

**Not a language model for users.** A ${facts.parameters.toLocaleString('en')}-parameter Llama-style
decoder trained for a few minutes on the CPU to answer STEPS Studio's own prompts with valid JSON.
It lets the tests run real generation and real parsing through transformers.js, offline.

Generated by \`npm run fixture:model\` (\`scripts/fixture-model/build.ts\`); every file here is
that script's output. Do not edit by hand.

## Prompt format it was trained on

- Synthesis templates (\`src/core/synthesis/prompts.ts\`): ${templates}; tagging prompt
  (\`buildTaggingMessages\`, \`src/core/synthesis/tagging.ts\`), naming prompt
  (\`buildNamingMessages\`, \`src/core/synthesis/naming.ts\`) and skill-coverage prompt
  (\`buildCoverageMessages\`, \`src/core/synthesis/coverage.ts\`; the conversation is a templated
  fusion answer, in 40 % of the examples written without one of the skills).
- Prompt-format fingerprint: \`${promptFormatFingerprint()}\` (\`scripts/fixture-model/promptFormat.ts\`:
  FNV-1a 64 of the default templates, of a fusion prompt with an example cut to a budget, and of a
  tagging, a naming and a coverage prompt). The fixture test fails when the code's prompts no longer match
  it: then run \`npm run fixture:model\`.
- Atomic examples: the demo corpus \`public/demo/demo-corpus.jsonl\`, one sample per skill drawn
  with \`assignAtomicSamples\`/\`drawAtomicExamples\` (seed ${settings.seed}); skill combinations of
  k = 2..4 of its 60 skills. Answers are templated (\`scripts/fixture-model/answers.ts\`) and name
  every skill of the prompt.
- Prompt budget: \`maxPromptTokens\` = **${settings.maxPromptTokens}** (system + user contents as
  counted by this tokenizer); training prompts were built with budgets ${settings.minPromptTokens}..${settings.maxPromptTokens}.
  Mix: ${settings.trainExamples} training examples (${KIND_WEIGHTS.map(([k, w]) => `${Math.round(w * 100)}% ${k}`).join(', ')});
  the longest training sequence is ${facts.longestTraining} tokens.

## Files and model

| file | bytes |
| --- | --- |
${Object.entries(facts.sizes)
  .map(([f, b]) => `| ${f} | ${b} |`)
  .join('\n')}
| total | ${total} (${mb(total)} MB) |

- \`model_type: llama\`, ${model.layers} layers, hidden ${model.hiddenSize}, ${model.heads} heads
  (head_dim ${model.hiddenSize / model.heads}, no GQA), SwiGLU ${model.intermediateSize}, RoPE θ 10000,
  tied embeddings, vocabulary ${facts.vocabSize}, **max positions ${settings.maxPositions}**.
- ONNX opset 14, **fp32 only** (\`onnx/model.onnx\`; \`transformers.js_config.dtype = "fp32"\`,
  so browsers do not look for \`model_quantized.onnx\`). Inputs \`input_ids\`, \`attention_mask\`,
  \`position_ids\`, \`past_key_values.{0..${model.layers - 1}}.{key,value}\` [batch, ${model.heads}, past, ${model.hiddenSize / model.heads}];
  outputs \`logits\`, \`present.*\`.
- Tokenizer: byte-level BPE (${settings.merges} merges) over **line** pieces (merges cross spaces,
  not newlines; a snake_case identifier such as a skill name is a piece of its own); special tokens \`<|endoftext|>\` = 0 (pad), \`<|im_start|>\` = 1,
  **\`<|im_end|>\` = ${EOS_TOKEN_ID} (eos)**, no bos; ChatML chat template.
- Count prompt tokens as \`tokenizer.encode(text, { add_special_tokens: false }).length\` of the
  system and user contents; the chat template adds ${facts.chatOverhead} more (two messages and the generation
  prompt).
- Use greedy decoding (\`do_sample: false\`) and \`max_new_tokens\` ≤ ${settings.maxNewTokens}: prompt
  and answer then stay within the ${settings.maxPositions} positions. Answers end with \`<|im_end|>\`
  well before that (the longest held-out answer: ${facts.longestAnswer} tokens).

## Loading it

\`\`\`ts
import { AutoModelForCausalLM, AutoTokenizer, env } from '@huggingface/transformers';
env.allowRemoteModels = false;
env.localModelPath = '<repo>/tests/fixtures/models/'; // in a browser also: env.allowLocalModels = true
const tokenizer = await AutoTokenizer.from_pretrained('steps-fixture');
const model = await AutoModelForCausalLM.from_pretrained('steps-fixture', { dtype: 'fp32' });
\`\`\`

\`pipeline('text-generation', 'steps-fixture')\` works as well. Answers are short (10–40 tokens).

## Held-out results (greedy, transformers.js in Node)

${facts.heldout.length} prompts built like the training ones; the fusion and agentic skill sets
never occur in training. *valid*: \`JSON.parse\` gives the asked shape (a conversation:
user/assistant alternating from user, non-empty; tags: a string array; name: \`{"name"}\`; agentic
check: \`{"suitable", "reason"}\`; coverage: \`{"covered": [...]}\`). *app parser*: \`parseConversation\`
accepts it. *as trained*: the answer equals the templated one (for tags: the sample's own tags).

| kind | prompts | valid | app parser | names every skill | as trained |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Example (fusion, skills ${facts.report.samples[0]?.skills.join(', ')}):

\`\`\`json
${facts.report.samples[0]?.output}
\`\`\`

Limits: tags and agentic-check verdicts are guesses in the right shape (the model cannot know a
sample's skills). The figures are for greedy decoding of prompts in the trained format and
budget; other templates, corpora or longer prompts were not measured.

## How it was made

- \`${facts.python.versions}\` at \`/usr/bin/python3\` (\`apt-get install -y python3-torch
  python3-onnx libopenblas0-serial\`); BLAS: \`${facts.python.blas}\`; one thread.
- Seed ${settings.seed}; ${training.steps} steps × batch ${training.batch}, AdamW lr ${training.lr}
  (cosine to 10%), loss on answer tokens and the closing \`<|im_end|>\` only.
- \`@huggingface/transformers\` 4.3.1 builds the token ids and runs the evaluation.
`;
}

async function main(): Promise<void> {
  const started = Date.now();
  const python = checkPython();
  console.log(`${python.versions}; BLAS ${python.blas}`);
  console.log(`prompt format fingerprint ${promptFormatFingerprint()}`);
  const staging = join(buildFolder, 'steps-fixture');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });

  const corpus = await makeTrainingData(join(buildFolder, 'tokenizer-corpus.jsonl'));
  const { tokenizer, vocabSize } = await buildTokenizer(
    corpus,
    settings.merges,
    settings.maxPositions,
    staging,
  );
  console.log(`tokenizer: ${vocabSize} tokens (${Math.round((Date.now() - started) / 1000)}s)`);

  const examples = await makeTrainingData(join(buildFolder, 'training-data.jsonl'), staging);
  checkTokenizer(tokenizer, examples.slice(0, 100));
  const train = examples.filter((e) => e.split === 'train');
  const heldout = examples.filter((e) => e.split === 'heldout');
  const idsPath = join(buildFolder, 'ids.json');
  const encoded = {
    train: encodeExamples(tokenizer, train),
    heldout: encodeExamples(tokenizer, heldout),
  };
  writeFileSync(idsPath, JSON.stringify(encoded));
  const longestTraining = Math.max(...encoded.train.map((e) => e.ids.length));
  console.log(
    `data: ${train.length} training, ${heldout.length} held-out examples; longest ${longestTraining} ` +
      `tokens (${Math.round((Date.now() - started) / 1000)}s)`,
  );

  const { model, training } = settings;
  run(PYTHON, [
    join(repoRoot, 'scripts/fixture-model/train.py'),
    ...['--data', idsPath, '--out', staging],
    ...['--vocab-size', String(vocabSize), '--max-positions', String(settings.maxPositions)],
    ...['--eos-token-id', String(EOS_TOKEN_ID), '--pad-token-id', String(PAD_TOKEN_ID)],
    ...[
      '--hidden-size',
      String(model.hiddenSize),
      '--intermediate-size',
      String(model.intermediateSize),
    ],
    ...['--layers', String(model.layers), '--heads', String(model.heads)],
    ...['--steps', String(training.steps), '--batch', String(training.batch)],
    ...['--lr', String(training.lr), '--seed', String(settings.seed)],
  ]);
  const trainReport = JSON.parse(readFileSync(join(buildFolder, 'train-report.json'), 'utf8')) as {
    parameters: number;
    train_seconds: number;
  };

  const report = await evaluate(staging, heldout, settings.maxNewTokens);
  writeFileSync(join(buildFolder, 'eval.json'), JSON.stringify(report, null, 2) + '\n');
  const files = [
    'config.json',
    'generation_config.json',
    'tokenizer.json',
    'tokenizer_config.json',
    'onnx/model.onnx',
  ];
  writeFileSync(
    join(staging, 'README.md'),
    readme({
      vocabSize,
      parameters: trainReport.parameters,
      sizes: fileSizes(staging, files),
      report,
      heldout,
      longestTraining,
      longestAnswer: report.longestAnswer,
      chatOverhead: chatOverhead(tokenizer, heldout[0]),
      python,
    }),
  );
  rmSync(modelFolder, { recursive: true, force: true });
  cpSync(staging, modelFolder, { recursive: true });
  console.log(JSON.stringify({ ...report, samples: undefined }, null, 2));
  console.log(
    `wrote ${modelFolder} (training ${trainReport.train_seconds}s, ` +
      `total ${Math.round((Date.now() - started) / 1000)}s)`,
  );
}

await main();
