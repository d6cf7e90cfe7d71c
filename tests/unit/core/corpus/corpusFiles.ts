// Test helpers: corpus files from memory (any chunk size) and from a temp folder on disk.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusFileFromPath } from '../../../../src/cli/corpusFile';
import {
  importCorpus,
  type ImportOptions,
  type ImportReport,
} from '../../../../src/core/corpus/importCorpus';
import type { CorpusFile } from '../../../../src/core/corpus/source';

/** Bytes in chunks of `chunkSize`, so readers see rows, strings and UTF-8 sequences cut anywhere. */
export function memoryFile(
  name: string,
  content: string | Uint8Array,
  chunkSize = 1 << 16,
): CorpusFile {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return {
    name,
    size: bytes.length,
    chunks: (async function* () {
      for (let start = 0; start < bytes.length; start += chunkSize) {
        yield bytes.slice(start, start + chunkSize);
      }
    })(),
    randomAccess: {
      byteLength: bytes.length,
      slice: async (start, end = bytes.length) => bytes.slice(start, end).buffer,
    },
  };
}

/** JSON Lines text of the given rows. */
export function jsonl(rows: unknown[]): string {
  return rows.map((row) => JSON.stringify(row)).join('\n') + '\n';
}

/** A fresh temp folder for one test file. */
export function tempFolder(): string {
  return mkdtempSync(join(tmpdir(), 'steps-corpus-'));
}

/** Writes `content` into `folder` and imports it from disk through a file stream. */
export async function importWritten(
  folder: string,
  name: string,
  content: string | Uint8Array,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const path = join(folder, name);
  writeFileSync(path, content);
  return importCorpus(await corpusFileFromPath(path), options);
}
