// `steps synthesize`: the app's synthesis pipeline in Node with transformers.js, for scripted
// runs. Every attempt is appended to `<out>.attempts.jsonl` as it exists and every valid sample to
// `<out>`, so an interrupted run started again with the same arguments resumes where it stopped.
import { appendFile, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { env } from '@huggingface/transformers';
import { importCorpus } from '../core/corpus/importCorpus';
import type { Sample } from '../core/corpus/sample';
import { SkillGraphBuilder } from '../core/graph/buildSkillGraph';
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
import { loadTransformersEngine } from '../llm/transformersEngine';
import { corpusFileFromPath } from './inspect';

const USAGE =
  'usage: steps synthesize --corpus <file> --combos <combos.json> --count N --model <model-folder> ' +
  '--out <samples.jsonl> [--seed S] [--tags FIELD] [--graph <graph.json>] [--temperature T] ' +
  '[--max-tokens N] [--prompt-tokens N] [--tries N] [--template fusion|agentic] [--agentic-check] ' +
  '[--coverage] [--min-coverage SHARE] [--check-tokens N]';

function wholeNumber(value: string | undefined, option: string, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (value === undefined || !/^\d+$/.test(value)) {
    throw new Error(`--${option} must be a whole number, got "${value ?? ''}"; ${USAGE}`);
  }
  return Number(value);
}

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

export async function runSynthesize(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      corpus: { type: 'string' },
      combos: { type: 'string' },
      count: { type: 'string' },
      model: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      tags: { type: 'string' },
      graph: { type: 'string' },
      temperature: { type: 'string' },
      'max-tokens': { type: 'string' },
      'prompt-tokens': { type: 'string' },
      tries: { type: 'string' },
      template: { type: 'string' },
      'min-coverage': { type: 'string' },
      'check-tokens': { type: 'string' },
      'agentic-check': { type: 'boolean' },
      coverage: { type: 'boolean' },
    },
    strict: true,
  });
  for (const required of ['corpus', 'combos', 'count', 'model', 'out'] as const) {
    if (!values[required]) throw new Error(`--${required} is required; ${USAGE}`);
  }
  const out = resolve(values.out!);
  const count = wholeNumber(values.count, 'count');
  const seed = wholeNumber(values.seed, 'seed', 1);
  const temperature = values.temperature === undefined ? 0 : Number(values.temperature);
  if (!(temperature >= 0 && temperature <= 2)) throw new Error(`--temperature must be in 0…2`);
  const templateKind = values.template ?? 'fusion';
  if (templateKind !== 'fusion' && templateKind !== 'agentic') {
    throw new Error(`--template must be fusion or agentic, got "${templateKind}"`);
  }
  if (values['agentic-check'] && templateKind !== 'agentic') {
    throw new Error('--agentic-check needs --template agentic');
  }
  const minCoverage = values['min-coverage'] === undefined ? 1 : Number(values['min-coverage']);
  if (!(minCoverage > 0 && minCoverage <= 1)) {
    throw new Error(
      `--min-coverage must be a share above 0 and at most 1, got "${values['min-coverage']}"`,
    );
  }

  // The corpus: its samples by id, and skill names in `steps graph` order for numeric combos.
  const samples = new Map<string, Sample>();
  const graphBuilder = new SkillGraphBuilder();
  const report = await importCorpus(await corpusFileFromPath(values.corpus!), {
    tagField: values.tags,
    onBatch: (batch) => {
      for (const sample of batch) {
        samples.set(sample.id, sample);
        graphBuilder.add(sample.skills);
      }
    },
  });
  const names = values.graph
    ? ((JSON.parse(await readFile(values.graph, 'utf8')) as { names?: string[] }).names ?? [])
    : graphBuilder.build().names;
  const combinations = readCombinations(
    JSON.parse(await readFile(values.combos!, 'utf8')),
    names,
    values.combos!,
  );
  const ks = [...new Set(combinations.map((c) => c.skills.length))].sort((a, b) => a - b);
  const targetPerK: Record<number, number> = {};
  ks.forEach(
    (k, i) => (targetPerK[k] = Math.floor(count / ks.length) + (i < count % ks.length ? 1 : 0)),
  );

  const modelPath = resolve(values.model!);
  env.allowRemoteModels = false;
  env.localModelPath = `${dirname(modelPath)}/`;
  const engine = await loadTransformersEngine({ model: basename(modelPath), device: 'cpu' });
  const parameters = {
    corpus: basename(values.corpus!),
    corpusRows: report.kept,
    targetPerK,
    template: defaultTemplates[templateKind],
    ...(values['agentic-check'] && { agenticCheck: defaultTemplates['agentic-check'] }),
    model: { id: engine.model, engine: engine.kind },
    generation: {
      temperature,
      top_p: 1,
      max_tokens: wholeNumber(values['max-tokens'], 'max-tokens', 384),
    },
    maxPromptTokens: wholeNumber(values['prompt-tokens'], 'prompt-tokens', 600),
    seed,
    maxAttemptsPerSlot: wholeNumber(values.tries, 'tries', 3),
    quality: {
      dedup: true,
      nearDuplicateThreshold: 0.8,
      novelty: false,
      coverage: values.coverage === true,
      minCoverage,
    },
    checkMaxTokens: wholeNumber(values['check-tokens'], 'check-tokens', 64),
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
