// A corpus file on disk for the commands that import one (`inspect`, `graph`, `compare`,
// `synthesize`, `combos --corpus`), and their shared `--tags` / `--delimiter` options.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { importCorpus, type ImportReport } from '../core/corpus/importCorpus';
import type { CorpusFile } from '../core/corpus/source';
import type { CommandArgs } from './args';

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

export const corpusOptionsUsage = '[--tags FIELD] [--delimiter D]';

export const corpusOptionSyntax = { tags: 'value', delimiter: 'value' } as const;

/** The tag field and delimiter the user named; `\t` typed on a command line means a tab. */
export function corpusOptions(args: CommandArgs): { tagField?: string; delimiter?: string } {
  const delimiter = args.text('delimiter');
  return { tagField: args.text('tags'), delimiter: delimiter === '\\t' ? '\t' : delimiter };
}

/** Every kept sample's skills in a corpus file, read with the user's `--tags` / `--delimiter`. */
export async function readSampleSkills(
  path: string,
  args: CommandArgs,
): Promise<{ skills: string[][]; report: ImportReport }> {
  const skills: string[][] = [];
  const report = await importCorpus(await corpusFileFromPath(path), {
    ...corpusOptions(args),
    onBatch: (samples) => {
      for (const sample of samples) skills.push(sample.skills);
    },
  });
  return { skills, report };
}
