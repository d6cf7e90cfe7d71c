// GGUF files in wllama's own cache (the origin private file system): listing them with their
// sizes, deleting one, keeping a copy of a picked local file, and clearing what a broken
// download left. wllama writes a file's metadata only once the whole file is stored, so an entry
// without metadata, or smaller than its metadata says, is an incomplete download.
import type { CacheEntry, CacheManager } from '@wllama/wllama';
import { ggufUrl, type GgufSource } from './wllamaModels';

export interface CachedGguf {
  /** The URL it was downloaded from (a kept local file has one of its own, see ggufUrl). */
  url: string | null;
  /** What the user reads: the file name. */
  name: string;
  bytes: number;
  /** Broke off while downloading: only good for deleting (a new download starts over). */
  incomplete: boolean;
  /** Storage keys of its files. */
  keys: string[];
}

function fileName(entry: CacheEntry): string {
  const url = entry.metadata.originalURL;
  if (url) return decodeURIComponent(new URL(url).pathname.split('/').pop() ?? url);
  return entry.name.replace(/^[0-9a-f]+_/, '');
}

export async function listCachedGguf(cache: CacheManager): Promise<CachedGguf[]> {
  const entries = await cache.list();
  return entries
    .map((entry) => ({
      url: entry.metadata.originalURL || null,
      name: fileName(entry),
      bytes: entry.size,
      incomplete: !entry.metadata.originalURL || entry.size !== entry.metadata.originalSize,
      keys: [entry.name],
    }))
    .sort((a, b) => b.bytes - a.bytes);
}

export async function deleteCachedGguf(cache: CacheManager, cached: CachedGguf): Promise<void> {
  for (const key of cached.keys) await cache.delete(key);
}

/** Deletes whatever is stored for `source`, complete or not (after a broken download). */
export async function forgetGguf(cache: CacheManager, source: GgufSource): Promise<void> {
  await cache.delete(ggufUrl(source));
}

/**
 * Stores a copy of a picked local file in wllama's cache, so it loads after a reload without
 * being picked again. It doubles the disk the model takes (the file stays where it was).
 */
export async function keepGgufCopy(
  cache: CacheManager,
  source: Extract<GgufSource, { kind: 'file' }>,
  file: Blob,
): Promise<void> {
  const url = ggufUrl(source);
  const key = await cache.getNameFromURL(url);
  // Kept already (a reload after a crash loads the same file again).
  const kept = await cache.getMetadata(key);
  if (kept?.originalSize === file.size && (await cache.getSize(key)) === file.size) return;
  try {
    await cache.write(key, file.stream(), { originalURL: url, originalSize: file.size, etag: '' });
  } catch (error) {
    await cache.delete(key);
    throw error;
  }
}
