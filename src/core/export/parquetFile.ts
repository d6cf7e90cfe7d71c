import type { SchemaElement } from 'hyparquet';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { GeneratedSample } from '../synthesis/generatedSample';
import {
  datasetRecord,
  type DatasetRecord,
  type ExportOptions,
  type FileTally,
} from './datasetFormats';

/**
 * Parquet with the columns of the chosen record shape, typed as the Hugging Face `datasets`
 * library types them when it writes such data itself: `messages` / `conversations` a list of
 * structs (what chat templates and TRL read as a conversation, and the Hub's viewer shows as
 * one), Alpaca's fields strings (`system` null where there is none), and the provenance a
 * `steps` struct whose fields keep their types: lists of strings, int32 counts, int64 seeds and
 * token counts, doubles. Only `steps.parameters` is JSON text, since its keys differ between runs
 * and a Parquet struct has one fixed set of fields.
 *
 * Written one row group per batch, each handed out as soon as it is written, so a file of 100k
 * samples never sits in memory whole (the footer, written last, holds the row groups' offsets).
 */
type Column =
  | { name: string; type: 'string' | 'int32' | 'int64' | 'double' | 'json'; optional?: boolean }
  | { name: string; type: 'list'; element: Column }
  | { name: string; type: 'struct'; fields: Column[] };

const text = (name: string, optional = false): Column => ({ name, type: 'string', optional });
const strings = (name: string): Column => ({ name, type: 'list', element: text('element') });
const struct = (name: string, fields: Column[]): Column => ({ name, type: 'struct', fields });

function provenanceColumn(includeRawOutput: boolean): Column {
  return struct('steps', [
    text('id'),
    text('runId'),
    strings('skills'),
    { name: 'k', type: 'int32' },
    struct('combination', [
      strings('skills'),
      { name: 'score', type: 'double' },
      struct('lowestCommonNode', [
        { name: 'level', type: 'int32' },
        { name: 'community', type: 'int32' },
      ]),
    ]),
    strings('atomicSampleIds'),
    struct('template', [text('id'), text('kind'), { name: 'version', type: 'int32' }]),
    struct('model', [text('id'), text('engine')]),
    { name: 'seed', type: 'int64' },
    { name: 'parameters', type: 'json' },
    strings('repairs'),
    struct('usage', [
      { name: 'promptTokens', type: 'int64' },
      { name: 'completionTokens', type: 'int64' },
      { name: 'timeToFirstTokenMs', type: 'double', optional: true },
      { name: 'tokensPerSecond', type: 'double', optional: true },
    ]),
    text('createdAt'),
    ...(includeRawOutput ? [text('rawOutput')] : []),
  ]);
}

/** The columns of a record of this shape, in the record's key order. */
export function parquetColumns(options: ExportOptions): Column[] {
  const turns = (name: string, role: string, content: string): Column => ({
    name,
    type: 'list',
    element: struct('element', [text(role), text(content)]),
  });
  const columns: Column[] =
    options.format === 'openai'
      ? [turns('messages', 'role', 'content')]
      : options.format === 'sharegpt'
        ? [turns('conversations', 'from', 'value')]
        : [text('instruction'), text('input'), text('output'), text('system', true)];
  if (options.includeProvenance) {
    columns.push(provenanceColumn(options.includeRawOutput ?? false));
  }
  return columns;
}

/** The schema in Parquet's flat depth-first form; lists in the standard three-level layout. */
function schemaElements(column: Column): SchemaElement[] {
  const repetition_type = 'optional' in column && column.optional ? 'OPTIONAL' : 'REQUIRED';
  switch (column.type) {
    case 'string':
      return [{ name: column.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type }];
    case 'json':
      return [{ name: column.name, type: 'BYTE_ARRAY', converted_type: 'JSON', repetition_type }];
    case 'int32':
      return [{ name: column.name, type: 'INT32', repetition_type }];
    case 'int64':
      return [{ name: column.name, type: 'INT64', repetition_type }];
    case 'double':
      return [{ name: column.name, type: 'DOUBLE', repetition_type }];
    case 'list':
      return [
        { name: column.name, repetition_type, converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        ...schemaElements(column.element),
      ];
    case 'struct':
      return [
        { name: column.name, repetition_type, num_children: column.fields.length },
        ...column.fields.flatMap(schemaElements),
      ];
  }
}

/** A value as the writer takes it: int64 as BigInt, JSON as its text, structs field by field. */
function parquetValue(column: Column, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'int64':
      return BigInt(value as number);
    case 'json':
      return JSON.stringify(value);
    case 'list':
      return (value as unknown[]).map((item) => parquetValue(column.element, item));
    case 'struct': {
      const record = value as DatasetRecord;
      return Object.fromEntries(
        column.fields.map((field) => [field.name, parquetValue(field, record[field.name])]),
      );
    }
    default:
      return value;
  }
}

/** Takes the bytes written so far out of the writer, which goes on from an empty buffer. */
function drain(writer: ByteWriter): Uint8Array {
  const bytes = writer.getBytes().slice();
  writer.index = 0;
  return bytes;
}

/** A Parquet file in chunks: the header, one chunk per batch (a row group), then the footer. */
export async function* parquetChunks(
  batches: AsyncIterable<GeneratedSample[]>,
  options: ExportOptions,
  tally: FileTally,
  createdBy: string,
): AsyncGenerator<Uint8Array> {
  const columns = parquetColumns(options);
  const writer = new ByteWriter(1 << 20);
  const parquet = new ParquetWriter({
    writer,
    schema: [{ name: 'root', num_children: columns.length }, ...columns.flatMap(schemaElements)],
    createdBy,
  });
  for await (const batch of batches) {
    const records = batch.map((sample, i) => {
      const { record, folded } = datasetRecord(sample, tally.rows + i, options);
      if (folded) tally.foldedMultiTurn++;
      return record;
    });
    tally.rows += records.length;
    const columnData = columns.map((column) => ({
      name: column.name,
      data: records.map((record) => parquetValue(column, record[column.name])),
    }));
    await parquet.write({ columnData, rowGroupSize: records.length });
    yield drain(writer);
  }
  await parquet.finish();
  yield drain(writer);
}
