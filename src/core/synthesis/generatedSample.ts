import type { ChatMessage } from '../corpus/sample';
import { fnv1a64 } from '../hash';
import { conversationProblem } from './parseConversation';
import type { TemplateKind } from './prompts';

/** One generated training conversation with its full provenance (schema table in README.md). */
export interface GeneratedSample {
  id: string;
  runId: string;
  messages: ChatMessage[];
  /** The combination's skills, in its order. */
  skills: string[];
  k: number;
  combination: {
    skills: string[];
    score: number;
    lowestCommonNode: { level: number; community: number };
  };
  /** One atomic source sample per skill, parallel to `skills`. */
  atomicSampleIds: string[];
  template: { id: string; kind: TemplateKind; version: number };
  model: { id: string; engine: string };
  seed: number;
  parameters: GenerationParameters;
  rawOutput: string;
  repairs: string[];
  usage: {
    promptTokens: number;
    completionTokens: number;
    /** null when the engine did not stream. */
    timeToFirstTokenMs: number | null;
    tokensPerSecond: number | null;
  };
  /** Model-judged checks the sample passed, present only when its run asked them. */
  checks?: {
    agentic?: { suitable: true; reason: string };
    /** Which of `skills` the model found exercised (and not). */
    coverage?: { covered: string[]; missing: string[] };
  };
  /** ISO 8601 in UTC, e.g. 2025-01-31T12:00:00.000Z. */
  createdAt: string;
}

export interface GenerationParameters {
  temperature: number;
  top_p: number;
  max_tokens: number;
  [name: string]: number | string | boolean | null;
}

const TOP_LEVEL_FIELDS = [
  'id',
  'runId',
  'messages',
  'skills',
  'k',
  'combination',
  'atomicSampleIds',
  'template',
  'model',
  'seed',
  'parameters',
  'rawOutput',
  'repairs',
  'usage',
  'checks',
  'createdAt',
];
const TEMPLATE_KINDS: readonly string[] = ['fusion', 'agentic', 'agentic-check'];
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every way `value` departs from the GeneratedSample schema, each naming its field; empty when it
 * conforms. Messages follow the conversation rules of conversationProblem (without length limits).
 */
export function validateGeneratedSample(value: unknown): string[] {
  if (!isRecord(value)) return ['the sample is not a JSON object'];
  const problems: string[] = [];
  const problem = (field: string, text: string) => problems.push(`${field}: ${text}`);
  const missing = (record: Fields, field: string, path: string) => {
    if (record[field] !== undefined) return false;
    problem(path, 'missing');
    return true;
  };
  const string = (record: Fields, field: string, path: string, nonEmpty = true) => {
    const v = record[field];
    if (missing(record, field, path)) return;
    if (typeof v !== 'string') problem(path, 'must be a string');
    else if (nonEmpty && v.trim() === '') problem(path, 'must not be empty');
  };
  const number = (
    record: Fields,
    field: string,
    path: string,
    check: { integer?: boolean; min?: number; nullable?: boolean } = {},
  ) => {
    const v = record[field];
    if (missing(record, field, path) || (v === null && check.nullable)) return;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      problem(path, `must be a finite number${check.nullable ? ' or null' : ''}`);
    } else if (check.integer && !Number.isInteger(v)) {
      problem(path, 'must be an integer');
    } else if (check.min !== undefined && v < check.min) {
      problem(path, `must be >= ${check.min}`);
    }
  };
  const object = (record: Fields, field: string, path: string): Fields | null => {
    const v = record[field];
    if (isRecord(v)) return v;
    if (!missing(record, field, path)) problem(path, 'must be an object');
    return null;
  };
  const stringList = (record: Fields, field: string, path: string, distinct: boolean) => {
    const v = record[field];
    if (!Array.isArray(v)) {
      if (!missing(record, field, path)) problem(path, 'must be an array of strings');
      return null;
    }
    const bad = v.findIndex((s) => typeof s !== 'string' || s.trim() === '');
    if (bad >= 0) {
      problem(`${path}[${bad}]`, 'must be a non-empty string');
      return null;
    }
    if (distinct && new Set(v).size !== v.length) problem(path, 'must not repeat an entry');
    return v as string[];
  };

  for (const field of Object.keys(value)) {
    if (!TOP_LEVEL_FIELDS.includes(field)) problem(field, 'unknown field');
  }
  string(value, 'id', 'id');
  string(value, 'runId', 'runId');

  if (Array.isArray(value.messages)) {
    const bad = value.messages.findIndex(
      (m) =>
        !isRecord(m) ||
        !['system', 'user', 'assistant'].includes(m.role as string) ||
        typeof m.content !== 'string' ||
        Object.keys(m).some((key) => key !== 'role' && key !== 'content'),
    );
    if (bad >= 0) {
      problem(`messages[${bad}]`, 'must be {role: "system"|"user"|"assistant", content: string}');
    } else {
      const rule = conversationProblem(value.messages as ChatMessage[], {
        maxTurns: Infinity,
        maxTurnChars: Infinity,
        maxTotalChars: Infinity,
      });
      if (rule !== null) problem('messages', rule);
    }
  } else if (!missing(value, 'messages', 'messages')) {
    problem('messages', 'must be an array');
  }

  const skills = stringList(value, 'skills', 'skills', true);
  number(value, 'k', 'k', { integer: true, min: 1 });
  if (skills && typeof value.k === 'number' && skills.length !== value.k) {
    problem('k', `is ${value.k} but skills has ${skills.length}`);
  }
  const combination = object(value, 'combination', 'combination');
  if (combination) {
    const comboSkills = stringList(combination, 'skills', 'combination.skills', true);
    if (skills && comboSkills && comboSkills.join('\n') !== skills.join('\n')) {
      problem('combination.skills', 'must equal skills');
    }
    number(combination, 'score', 'combination.score');
    const node = object(combination, 'lowestCommonNode', 'combination.lowestCommonNode');
    if (node) {
      number(node, 'level', 'combination.lowestCommonNode.level', { integer: true, min: 0 });
      number(node, 'community', 'combination.lowestCommonNode.community', {
        integer: true,
        min: 0,
      });
    }
  }
  const atomic = stringList(value, 'atomicSampleIds', 'atomicSampleIds', true);
  if (atomic && skills && atomic.length !== skills.length) {
    problem('atomicSampleIds', `has ${atomic.length} ids but skills has ${skills.length}`);
  }

  const template = object(value, 'template', 'template');
  if (template) {
    string(template, 'id', 'template.id');
    if (!TEMPLATE_KINDS.includes(template.kind as string)) {
      problem('template.kind', `must be one of ${TEMPLATE_KINDS.join(', ')}`);
    }
    number(template, 'version', 'template.version', { integer: true, min: 1 });
  }
  const model = object(value, 'model', 'model');
  if (model) {
    string(model, 'id', 'model.id');
    string(model, 'engine', 'model.engine');
  }
  number(value, 'seed', 'seed', { integer: true });

  const parameters = object(value, 'parameters', 'parameters');
  if (parameters) {
    number(parameters, 'temperature', 'parameters.temperature', { min: 0 });
    number(parameters, 'top_p', 'parameters.top_p', { min: 0 });
    if (typeof parameters.top_p === 'number' && parameters.top_p > 1) {
      problem('parameters.top_p', 'must be <= 1');
    }
    number(parameters, 'max_tokens', 'parameters.max_tokens', { integer: true, min: 1 });
    for (const [name, v] of Object.entries(parameters)) {
      const scalar = v === null || ['number', 'string', 'boolean'].includes(typeof v);
      if (!scalar) problem(`parameters.${name}`, 'must be a number, string, boolean or null');
    }
  }
  string(value, 'rawOutput', 'rawOutput', false);
  stringList(value, 'repairs', 'repairs', false);

  const usage = object(value, 'usage', 'usage');
  if (usage) {
    number(usage, 'promptTokens', 'usage.promptTokens', { integer: true, min: 0 });
    number(usage, 'completionTokens', 'usage.completionTokens', { integer: true, min: 0 });
    number(usage, 'timeToFirstTokenMs', 'usage.timeToFirstTokenMs', { min: 0, nullable: true });
    number(usage, 'tokensPerSecond', 'usage.tokensPerSecond', { min: 0, nullable: true });
  }
  if (value.checks !== undefined) {
    const checks = object(value, 'checks', 'checks');
    if (checks) {
      for (const field of Object.keys(checks)) {
        if (field !== 'agentic' && field !== 'coverage')
          problem(`checks.${field}`, 'unknown field');
      }
      if (checks.agentic !== undefined) {
        const agentic = object(checks, 'agentic', 'checks.agentic');
        if (agentic) {
          if (agentic.suitable !== true) problem('checks.agentic.suitable', 'must be true');
          string(agentic, 'reason', 'checks.agentic.reason', false);
        }
      }
      if (checks.coverage !== undefined) {
        const coverage = object(checks, 'coverage', 'checks.coverage');
        if (coverage) {
          const covered = stringList(coverage, 'covered', 'checks.coverage.covered', true);
          const missed = stringList(coverage, 'missing', 'checks.coverage.missing', true);
          if (skills && covered && missed) {
            const judged = [...covered, ...missed];
            if (judged.length !== skills.length || judged.some((s) => !skills.includes(s))) {
              problem('checks.coverage', 'covered and missing together must be the skills');
            }
          }
        }
      }
    }
  }
  const createdAt = value.createdAt;
  if (!missing(value, 'createdAt', 'createdAt')) {
    if (typeof createdAt !== 'string' || !ISO_UTC.test(createdAt)) {
      problem('createdAt', 'must be an ISO 8601 UTC time like 2025-01-31T12:00:00.000Z');
    } else if (Number.isNaN(Date.parse(createdAt))) {
      problem('createdAt', 'is not a valid date');
    }
  }
  return problems;
}

/**
 * JSON with object keys sorted at every level (arrays keep their order); `undefined` fields are
 * left out and non-finite numbers become null, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isRecord(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}

/** A stable id of a run's parameters: FNV-1a 64-bit (hex) of their canonical JSON. */
export function runFingerprint(parameters: unknown): string {
  return fnv1a64(canonicalJson(parameters));
}
