import type { ChatMessage, SampleProvenance } from '../corpus/sample';
import type { GeneratedSample } from '../synthesis/generatedSample';

/**
 * Generated samples → records for fine-tuning tools, one per sample, keys always in the order
 * written here (whatever order the stored objects have). A record is a JSONL line, a Parquet row
 * or a CSV row (parquetFile.ts, csvFile.ts), so every file of an export holds the same columns.
 *
 * - `openai`: `{"messages": [{"role", "content"}, …]}`, the chat fine-tuning shape.
 * - `sharegpt`: `{"conversations": [{"from", "value"}, …]}` with from = system | human | gpt.
 * - `alpaca`: `{"instruction", "input", "output"}`, plus `"system"` when the conversation has a
 *   system message (the Alpaca extension LLaMA-Factory reads). A single-turn
 *   conversation converts exactly: instruction = the user turn, input = "", output = the assistant
 *   turn. A multi-turn conversation keeps every turn: instruction and output are its LAST
 *   user/assistant pair, and `input` holds the earlier turns as a transcript, one turn per line
 *   block — `User: <content>` / `Assistant: <content>` joined by "\n" (the layout the synthesis
 *   prompt shows examples in). Each such record is counted in `foldedMultiTurn`.
 *
 * With `includeProvenance`, every record also carries the sample's provenance under a `steps` key
 * (all GeneratedSample fields except `messages`, which are the record's content, and `checks`;
 * `rawOutput` only with `includeRawOutput`).
 */
export type RecordShape = 'openai' | 'sharegpt' | 'alpaca';

export const recordShapes: readonly RecordShape[] = ['openai', 'sharegpt', 'alpaca'];

/** The files an export can hold: JSONL in each record shape, Parquet and CSV. */
export type DatasetFormat = RecordShape | 'parquet' | 'csv';

export const datasetFormats: readonly DatasetFormat[] = [...recordShapes, 'parquet', 'csv'];

export interface ExportOptions {
  format: RecordShape;
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
export function provenanceOf(sample: GeneratedSample, includeRawOutput = false): SampleProvenance {
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

export type DatasetRecord = Record<string, unknown>;

/**
 * One sample as a record of the chosen shape; `folded`: an Alpaca record whose earlier turns
 * went into `input`. `position` names the sample in errors.
 */
export function datasetRecord(
  sample: GeneratedSample,
  position: number,
  options: ExportOptions,
): { record: DatasetRecord; folded: boolean } {
  const messages = checkedMessages(sample, position);
  let record: DatasetRecord;
  let folded = false;
  if (options.format === 'openai') {
    record = { messages: messages.map((m) => ({ role: m.role, content: m.content })) };
  } else if (options.format === 'sharegpt') {
    record = {
      conversations: messages.map((m) => ({ from: SHAREGPT_FROM[m.role], value: m.content })),
    };
  } else {
    const alpaca = alpacaRecord(messages, `sample ${position} (${sample.id})`);
    folded = alpaca.folded;
    record = alpaca.record;
  }
  if (options.includeProvenance) {
    record.steps = provenanceOf(sample, options.includeRawOutput ?? false);
  }
  return { record, folded };
}

export function checkShape(format: string): asserts format is RecordShape {
  if (!(recordShapes as readonly string[]).includes(format)) {
    throw new Error(`format: must be one of ${recordShapes.join(', ')}, got "${format}"`);
  }
}

/**
 * Converts samples to JSONL lines (without trailing newlines) in the chosen shape; `offset` is
 * the first sample's position in the whole export, for errors.
 */
export function exportLines(
  samples: readonly GeneratedSample[],
  options: ExportOptions,
  offset = 0,
): ExportResult {
  checkShape(String(options.format));
  let foldedMultiTurn = 0;
  const lines = samples.map((sample, i) => {
    const { record, folded } = datasetRecord(sample, offset + i, options);
    if (folded) foldedMultiTurn++;
    return JSON.stringify(record);
  });
  return { lines, foldedMultiTurn };
}

/** What a file writer counts as it writes: the card and the manifest report it. */
export interface FileTally {
  rows: number;
  foldedMultiTurn: number;
}

/** JSONL text, one line per sample, each ending with "\n"; a chunk per batch. */
export async function* jsonlChunks(
  batches: AsyncIterable<GeneratedSample[]>,
  options: ExportOptions,
  tally: FileTally,
): AsyncGenerator<string> {
  for await (const batch of batches) {
    const { lines, foldedMultiTurn } = exportLines(batch, options, tally.rows);
    tally.rows += lines.length;
    tally.foldedMultiTurn += foldedMultiTurn;
    yield lines.map((line) => `${line}\n`).join('');
  }
}
