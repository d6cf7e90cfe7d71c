import type { ChatMessage } from '../corpus/sample';
import type { GeneratedSample } from '../synthesis/generatedSample';

/**
 * Generated samples → JSONL lines for fine-tuning tools, one JSON object per sample, keys always
 * in the order written here (whatever order the stored objects have).
 *
 * - `openai`: `{"messages": [{"role", "content"}, …]}`, the chat fine-tuning shape.
 * - `sharegpt`: `{"conversations": [{"from", "value"}, …]}` with from = system | human | gpt.
 * - `alpaca`: `{"instruction", "input", "output"}`, plus `"system"` when the conversation has a
 *   system message (the Alpaca extension LLaMA-Factory reads). A single-turn
 *   conversation converts exactly: instruction = the user turn, input = "", output = the assistant
 *   turn. A multi-turn conversation keeps every turn: instruction and output are its LAST
 *   user/assistant pair, and `input` holds the earlier turns as a transcript, one turn per line
 *   block — `User: <content>` / `Assistant: <content>` joined by "\n" (the layout the synthesis
 *   prompt shows examples in). Each such line is counted in `foldedMultiTurn`.
 *
 * With `includeProvenance`, every line also carries the sample's provenance under a `steps` key
 * (all GeneratedSample fields except `messages`, which are the line's content; `rawOutput` only
 * with `includeRawOutput`).
 */
export type DatasetFormat = 'openai' | 'sharegpt' | 'alpaca';

export const datasetFormats: readonly DatasetFormat[] = ['openai', 'sharegpt', 'alpaca'];

export interface ExportOptions {
  format: DatasetFormat;
  includeProvenance?: boolean;
  /** Only with includeProvenance: also keep the model's raw answer. */
  includeRawOutput?: boolean;
}

export interface ExportResult {
  /** One JSON object per sample, in the samples' order, without newlines. */
  lines: string[];
  /** Alpaca only: lines of multi-turn samples, whose earlier turns went into `input`. */
  foldedMultiTurn: number;
}

/** The provenance fields a line carries under `steps`, in their order, with what each means. */
export const provenanceFields: readonly { name: string; meaning: string }[] = [
  { name: 'id', meaning: 'sample id: `<run id>:<attempt index>`' },
  { name: 'runId', meaning: 'the synthesis run (fingerprint of its parameters)' },
  { name: 'skills', meaning: 'the combination’s skills, start skill first' },
  { name: 'k', meaning: 'number of skills' },
  {
    name: 'combination',
    meaning: 'skills, score H(Y | x) and lowest common taxonomy node {level, community}',
  },
  { name: 'atomicSampleIds', meaning: 'the corpus sample shown as example for each skill' },
  { name: 'template', meaning: 'prompt template {id, kind, version}' },
  { name: 'model', meaning: 'model {id, engine}' },
  { name: 'seed', meaning: 'generation seed' },
  { name: 'parameters', meaning: 'sampling parameters (temperature, top_p, max_tokens, …)' },
  { name: 'repairs', meaning: 'what the lenient parser fixed in the answer' },
  {
    name: 'usage',
    meaning: 'promptTokens, completionTokens, timeToFirstTokenMs, tokensPerSecond',
  },
  { name: 'createdAt', meaning: 'generation time, ISO 8601 UTC' },
  { name: 'rawOutput', meaning: 'the model’s answer as received (only when asked for)' },
];

const SHAREGPT_FROM: Record<ChatMessage['role'], string> = {
  system: 'system',
  user: 'human',
  assistant: 'gpt',
};

const TRANSCRIPT_LABEL: Record<ChatMessage['role'], string> = {
  system: 'System',
  user: 'User',
  assistant: 'Assistant',
};

/** The sample's provenance with a fixed key order at every level (parameters sorted by name). */
export function provenanceOf(sample: GeneratedSample, includeRawOutput = false) {
  const { combination, template, model, usage, parameters } = sample;
  return {
    id: sample.id,
    runId: sample.runId,
    skills: [...sample.skills],
    k: sample.k,
    combination: {
      skills: [...combination.skills],
      score: combination.score,
      lowestCommonNode: {
        level: combination.lowestCommonNode.level,
        community: combination.lowestCommonNode.community,
      },
    },
    atomicSampleIds: [...sample.atomicSampleIds],
    template: { id: template.id, kind: template.kind, version: template.version },
    model: { id: model.id, engine: model.engine },
    seed: sample.seed,
    parameters: Object.fromEntries(
      Object.keys(parameters)
        .sort()
        .map((name) => [name, parameters[name]]),
    ),
    repairs: [...sample.repairs],
    usage: {
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
      timeToFirstTokenMs: usage.timeToFirstTokenMs,
      tokensPerSecond: usage.tokensPerSecond,
    },
    createdAt: sample.createdAt,
    ...(includeRawOutput ? { rawOutput: sample.rawOutput } : {}),
  };
}

/** The messages after checking the shape every format relies on; errors name the sample. */
function checkedMessages(sample: GeneratedSample, position: number): ChatMessage[] {
  const where = `sample ${position} (${sample.id})`;
  const { messages } = sample;
  if (!Array.isArray(messages) || messages.length === 0) throw new Error(`${where}: no messages`);
  messages.forEach((message, i) => {
    if (!Object.hasOwn(SHAREGPT_FROM, message.role)) {
      throw new Error(`${where}: messages[${i}] has unknown role "${String(message.role)}"`);
    }
    if (typeof message.content !== 'string') {
      throw new Error(`${where}: messages[${i}].content is not a string`);
    }
  });
  return messages;
}

function alpacaRecord(messages: ChatMessage[], where: string) {
  const system = messages[0].role === 'system' ? messages[0].content : null;
  const turns = system === null ? messages : messages.slice(1);
  const last = turns.length - 1;
  if (last < 1 || turns[last].role !== 'assistant' || turns[last - 1].role !== 'user') {
    throw new Error(`${where}: Alpaca needs a conversation ending with a user then assistant turn`);
  }
  const input = turns
    .slice(0, last - 1)
    .map((m) => `${TRANSCRIPT_LABEL[m.role]}: ${m.content}`)
    .join('\n');
  return {
    record: {
      instruction: turns[last - 1].content,
      input,
      output: turns[last].content,
      ...(system === null ? {} : { system }),
    },
    folded: last > 1,
  };
}

/** Converts samples to JSONL lines (without trailing newlines) in the chosen format. */
export function exportLines(
  samples: readonly GeneratedSample[],
  options: ExportOptions,
): ExportResult {
  if (!datasetFormats.includes(options.format)) {
    throw new Error(
      `format: must be one of ${datasetFormats.join(', ')}, got "${String(options.format)}"`,
    );
  }
  let foldedMultiTurn = 0;
  const lines = samples.map((sample, position) => {
    const messages = checkedMessages(sample, position);
    let record: Record<string, unknown>;
    if (options.format === 'openai') {
      record = { messages: messages.map((m) => ({ role: m.role, content: m.content })) };
    } else if (options.format === 'sharegpt') {
      record = {
        conversations: messages.map((m) => ({ from: SHAREGPT_FROM[m.role], value: m.content })),
      };
    } else {
      const alpaca = alpacaRecord(messages, `sample ${position} (${sample.id})`);
      if (alpaca.folded) foldedMultiTurn++;
      record = alpaca.record;
    }
    if (options.includeProvenance) {
      record.steps = provenanceOf(sample, options.includeRawOutput ?? false);
    }
    return JSON.stringify(record);
  });
  return { lines, foldedMultiTurn };
}

/** `steps-<corpus>-<format>.jsonl`, the corpus name reduced to lower-case letters, digits and -. */
export function datasetFileName(corpusName: string, format: DatasetFormat): string {
  const base = corpusName
    .replace(/\.(jsonl|ndjson|json|csv|tsv|parquet|txt)$/i, '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 60)
    .replace(/^-+|-+$/g, '');
  return `steps-${base || 'corpus'}-${format}.jsonl`;
}

/** The file text: every line followed by "\n" (empty for no lines). */
export function jsonlText(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}
