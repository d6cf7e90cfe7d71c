// `steps synthesize`: the app's synthesis pipeline in Node, for scripted runs, with a
// transformers.js model folder or a GGUF file (node-llama-cpp). Every attempt is appended to
// `<out>.attempts.jsonl` as it exists and every valid sample to `<out>`, so an interrupted run
// started again with the same arguments resumes where it stopped.
import { appendFile, readFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { env } from '@huggingface/transformers';
import { importCorpus } from '../core/corpus/importCorpus';
import type { Sample } from '../core/corpus/sample';
import { SkillGraphBuilder } from '../core/steps';
import { assignAtomicSamples } from '../core/synthesis/atomicAssignment';
import { describeDiscard } from '../core/synthesis/discardReason';
import { runFingerprint } from '../core/synthesis/generatedSample';
import { defaultTemplates } from '../core/synthesis/prompts';
import {
  SynthesisRun,
  type RunCombination,
  type SynthesisAttempt,
  type SynthesisRunSpec,
} from '../core/synthesis/synthesisRun';
import type { ChatEngine } from '../llm/engine';
import { loadNodeLlamaCppEngine } from '../llm/nodeLlamaCppEngine';
import { loadTransformersEngine } from '../llm/transformersEngine';
import { CommandArgs } from './args';
import { corpusFileFromPath } from './corpusFile';

const syntax = {
  usage:
    'steps synthesize --corpus <file> --combos <combos.json> --count N ' +
    '--model <model-folder|model.gguf> --out <samples.jsonl> [--seed S] [--tags FIELD] ' +
    '[--graph <graph.json>] [--temperature T] [--frequency-penalty F] [--max-tokens N] [--prompt-tokens N] [--tries N] ' +
    '[--template fusion|agentic] [--agentic-check] [--coverage] [--min-coverage SHARE] ' +
    '[--check-tokens N] [--threads N] [--unconstrained]',
  positionals: [],
  options: {
    corpus: 'value',
    combos: 'value',
    count: 'value',
    model: 'value',
    out: 'value',
    seed: 'value',
    tags: 'value',
    graph: 'value',
    temperature: 'value',
    'frequency-penalty': 'value',
    'max-tokens': 'value',
    'prompt-tokens': 'value',
    tries: 'value',
    template: 'value',
    'min-coverage': 'value',
    'check-tokens': 'value',
    threads: 'value',
    'agentic-check': 'switch',
    coverage: 'switch',
    unconstrained: 'switch',
  },
} as const;

const templateKinds = ['fusion', 'agentic'] as const;

/** `{"combinations": [{skills: [ids or names], score, lowestCommonNode?}]}`, as `steps combos` prints. */
function readCombinations(
  value: unknown,
  names: readonly string[],
  file: string,
): RunCombination[] {
  const list = (value as { combinations?: unknown })?.combinations;
  if (!Array.isArray(list)) throw new Error(`${file}: field "combinations" must be an array`);
  return list.map((entry: unknown, index) => {
    const { skills, score, lowestCommonNode } = (entry ?? {}) as Record<string, unknown>;
    if (!Array.isArray(skills) || skills.length < 2) {
      throw new Error(`${file}: combinations[${index}].skills must list two or more skills`);
    }
    const skillNames = skills.map((skill: unknown) => {
      if (typeof skill === 'string') return skill;
      if (typeof skill === 'number' && names[skill] !== undefined) return names[skill];
      throw new Error(
        `${file}: combinations[${index}].skills has an unknown skill ${String(skill)}`,
      );
    });
    return {
      skills: skillNames,
      score: typeof score === 'number' ? score : 0,
      lowestCommonNode: (lowestCommonNode as RunCombination['lowestCommonNode']) ?? {
        level: 0,
        community: 0,
      },
    };
  });
}

async function readJsonLines<T>(path: string): Promise<T[]> {
  if (!existsSync(path)) return [];
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** A GGUF file's engine (node-llama-cpp), or a transformers.js model folder's. */
async function loadModel(
  modelPath: string,
  gguf: { threads?: number } | null,
): Promise<ChatEngine & { countTokens(text: string): number; dispose(): Promise<void> }> {
  if (gguf) return loadNodeLlamaCppEngine({ modelPath, ...gguf });
  env.allowRemoteModels = false;
  env.localModelPath = `${dirname(modelPath)}/`;
  return loadTransformersEngine({ model: basename(modelPath), device: 'cpu' });
}

export async function runSynthesize(argv: string[]): Promise<void> {
  const args = CommandArgs.parse(argv, syntax);
  const corpusPath = args.requiredText('corpus');
  const combosPath = args.requiredText('combos');
  const count = args.integer('count', 1);
  const modelPath = resolve(args.requiredText('model'));
  const out = resolve(args.requiredText('out'));
  const seed = args.integer('seed', 0, 1);
  const temperature = args.number('temperature', 'in 0…2', (t) => t >= 0 && t <= 2, 0);
  const frequencyPenalty = args.number('frequency-penalty', 'in 0…2', (f) => f >= 0 && f <= 2, 0);
  const templateKind = args.choice('template', templateKinds, 'fusion');
  const agenticCheck = args.switch('agentic-check');
  if (agenticCheck && templateKind !== 'agentic') {
    args.fail('--agentic-check needs --template agentic');
  }
  const minCoverage = args.number(
    'min-coverage',
    'above 0 and at most 1',
    (share) => share > 0 && share <= 1,
    1,
  );
  const maxTokens = args.integer('max-tokens', 1, 384);
  const maxPromptTokens = args.integer('prompt-tokens', 1, 600);
  const maxAttemptsPerSlot = args.integer('tries', 1, 3);
  const checkMaxTokens = args.integer('check-tokens', 1, 64);
  const graphPath = args.text('graph');
  const unconstrained = args.switch('unconstrained');
  if (!existsSync(modelPath)) args.fail(`--model: ${modelPath} does not exist`);
  // A file is a GGUF model; a folder, a transformers.js model.
  const gguf = statSync(modelPath).isFile()
    ? { ...(args.text('threads') !== undefined && { threads: args.integer('threads', 1) }) }
    : null;
  if (!gguf && args.text('threads') !== undefined) args.fail('--threads is for a GGUF model file');

  // The corpus: its samples by id, and skill names in `steps graph` order for numeric combos.
  const samples = new Map<string, Sample>();
  const graphBuilder = new SkillGraphBuilder();
  const report = await importCorpus(await corpusFileFromPath(corpusPath), {
    tagField: args.text('tags'),
    onBatch: (batch) => {
      for (const sample of batch) {
        samples.set(sample.id, sample);
        graphBuilder.add(sample.skills);
      }
    },
  });
  const names = graphPath
    ? ((JSON.parse(await readFile(graphPath, 'utf8')) as { names?: string[] }).names ?? [])
    : graphBuilder.build().names;
  const combinations = readCombinations(
    JSON.parse(await readFile(combosPath, 'utf8')),
    names,
    combosPath,
  );
  const ks = [...new Set(combinations.map((c) => c.skills.length))].sort((a, b) => a - b);
  const targetPerK: Record<number, number> = {};
  ks.forEach(
    (k, i) => (targetPerK[k] = Math.floor(count / ks.length) + (i < count % ks.length ? 1 : 0)),
  );

  const engine = await loadModel(modelPath, gguf);
  const parameters = {
    corpus: basename(corpusPath),
    corpusRows: report.kept,
    targetPerK,
    template: defaultTemplates[templateKind],
    ...(agenticCheck && { agenticCheck: defaultTemplates['agentic-check'] }),
    model: { id: engine.model, engine: engine.kind },
    generation: {
      temperature,
      top_p: 1,
      max_tokens: maxTokens,
      ...(frequencyPenalty > 0 && { frequency_penalty: frequencyPenalty }),
    },
    maxPromptTokens,
    seed,
    maxAttemptsPerSlot,
    quality: {
      dedup: true,
      nearDuplicateThreshold: 0.8,
      novelty: false,
      coverage: args.switch('coverage'),
      minCoverage,
    },
    checkMaxTokens,
    // An unconstrained run is another run (its own fingerprint): it never resumes a constrained one.
    ...(unconstrained && { unconstrained }),
  };
  const runId = `run-${runFingerprint({ ...parameters, combinations })}`;
  const spec: SynthesisRunSpec = { runId, combinations, ...parameters };
  const attemptsFile = `${out}.attempts.jsonl`;
  const recorded = (await readJsonLines<SynthesisAttempt>(attemptsFile)).filter(
    (attempt) => attempt.runId === runId,
  );
  const run = new SynthesisRun(
    spec,
    {
      chat: (call, signal) => engine.chat(call, { signal }),
      countTokens: (text) => engine.countTokens(text),
      assignment: assignAtomicSamples([...samples.values()], { seed }),
      sample: async (id) => samples.get(id)!,
      saveAttempt: async (attempt) => {
        await appendFile(attemptsFile, `${JSON.stringify(attempt)}\n`);
        if (attempt.sample) await appendFile(out, `${JSON.stringify(attempt.sample)}\n`);
      },
    },
    recorded,
  );
  if (recorded.length > 0) console.error(`resuming run ${runId} after ${recorded.length} attempts`);
  for (;;) {
    const attempt = await run.next();
    if (!attempt) break;
    const { attempts, discarded } = run.progress;
    console.error(
      `attempt ${attempt.index}: ${attempt.status}${attempt.reason ? ` (${describeDiscard(attempt.reason)})` : ''} · ${attempts - discarded} valid, ${discarded} discarded`,
    );
  }
  await engine.dispose();
  process.stdout.write(`${JSON.stringify({ runId, out, ...run.progress })}\n`);
}
