import type { GeneratedSample } from '../synthesis/generatedSample';
import { datasetRecord, type ExportOptions, type FileTally } from './datasetFormats';

/**
 * CSV for spreadsheets (RFC 4180: every field quoted, quotes doubled, CRLF between records),
 * one row per sample with the columns of the chosen record shape. Text columns (Alpaca's
 * instruction, input, output, system) hold their text as it is; the nested ones — `messages`,
 * `conversations` and the provenance `steps` — hold JSON text, which keeps every turn exactly
 * (a turn per column would need as many columns as the longest conversation, and a flattened
 * transcript cannot be read back) and which pandas, `datasets` and the importer parse back.
 * Starts with a UTF-8 byte order mark, by which spreadsheet programs recognise UTF-8.
 *
 * Cells are written verbatim: one that starts with `=` or `+` is data, and a spreadsheet asked to
 * evaluate it would take it for a formula (prefixing a quote would change the data).
 */
const BYTE_ORDER_MARK = '\ufeff';

const quoted = (value: string) => `"${value.replace(/"/g, '""')}"`;

/** The header of a record of this shape. */
export function csvHeader(options: ExportOptions): string[] {
  const content =
    options.format === 'openai'
      ? ['messages']
      : options.format === 'sharegpt'
        ? ['conversations']
        : ['instruction', 'input', 'output', 'system'];
  return options.includeProvenance ? [...content, 'steps'] : content;
}

export async function* csvChunks(
  batches: AsyncIterable<GeneratedSample[]>,
  options: ExportOptions,
  tally: FileTally,
): AsyncGenerator<string> {
  const header = csvHeader(options);
  yield `${BYTE_ORDER_MARK}${header.map(quoted).join(',')}\r\n`;
  for await (const batch of batches) {
    let text = '';
    for (const sample of batch) {
      const { record, folded } = datasetRecord(sample, tally.rows++, options);
      if (folded) tally.foldedMultiTurn++;
      const cells = header.map((name) => {
        const value = record[name];
        if (value === undefined) return '""';
        return quoted(typeof value === 'string' ? value : JSON.stringify(value));
      });
      text += `${cells.join(',')}\r\n`;
    }
    yield text;
  }
}
