// `steps inspect <file> [--tags FIELD] [--delimiter D]`: imports a corpus file through the same
// core code as the app and prints its import report as JSON.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { importCorpus } from '../core/corpus/importCorpus';
import type { CorpusFile } from '../core/corpus/source';

/** A file on disk as a CorpusFile: a read stream, plus positioned reads for Parquet. */
export async function corpusFileFromPath(path: string): Promise<CorpusFile> {
  const { size } = await stat(path);
  return {
    name: basename(path),
    size,
    // Opened when the import starts reading; stopping early (Parquet, preview, error) closes it.
    chunks: (async function* () {
      yield* createReadStream(path, { highWaterMark: 1 << 16 });
    })(),
    randomAccess: {
      byteLength: size,
      async slice(start: number, end = size): Promise<ArrayBuffer> {
        const handle = await open(path, 'r');
        try {
          const bytes = new Uint8Array(end - start);
          await handle.read(bytes, 0, bytes.length, start);
          return bytes.buffer;
        } finally {
          await handle.close();
        }
      },
    },
  };
}

const USAGE = 'usage: steps inspect <file> [--tags FIELD] [--delimiter D]';

/** `\t` typed on a command line means a tab. */
function unescapeDelimiter(text: string): string {
  return text === '\\t' ? '\t' : text;
}

export async function runInspect(args: string[]): Promise<void> {
  let path: string | undefined;
  let tagField: string | undefined;
  let delimiter: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = (): string => {
      const next = args[++i];
      if (next === undefined) throw new Error(`${arg} needs a value; ${USAGE}`);
      return next;
    };
    if (arg === '--tags') tagField = value();
    else if (arg === '--delimiter') delimiter = unescapeDelimiter(value());
    else if (arg.startsWith('--') || path !== undefined)
      throw new Error(`unexpected "${arg}"; ${USAGE}`);
    else path = arg;
  }
  if (path === undefined) throw new Error(USAGE);

  const report = await importCorpus(await corpusFileFromPath(path), { tagField, delimiter });
  const printed = {
    format: report.format,
    shape: report.shape,
    tagField: report.tagField,
    delimiter: report.delimiter,
    rows: report.rows,
    kept: report.kept,
    tagged: report.tagged,
    skills: report.skills,
    tagsPerSample: report.tagsPerSample,
    rejected: report.rejected,
    rejectedNotListed: report.rejectedNotListed,
  };
  console.log(JSON.stringify(printed, null, 2));
}
