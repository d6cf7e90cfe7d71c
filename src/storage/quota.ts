// Storage persistence and space: what the browser grants, shown to the user in plain figures.
import type { CorpusFormat } from '../core/corpus/source';
import type { StorageEstimate } from './types';

/**
 * The browser's StorageManager (`navigator.storage`), described structurally: the figures below
 * are pure and also type-check on the Node side (tsconfig.node.json), which has no DOM types.
 */
interface BrowserStorage {
  persist?(): Promise<boolean>;
  persisted?(): Promise<boolean>;
  estimate?(): Promise<{ usage?: number; quota?: number }>;
}

const browserStorage = (): BrowserStorage | undefined =>
  (globalThis as { navigator?: { storage?: BrowserStorage } }).navigator?.storage;

/**
 * Asks the browser not to evict this site's data under storage pressure. Returns whether the
 * data is persistent; false when refused or unsupported (never throws: eviction is a risk to
 * tell the user about, not a reason to stop).
 */
export async function requestPersistence(): Promise<boolean> {
  try {
    const storage = browserStorage();
    if (!storage?.persist) return false;
    return await storage.persist();
  } catch {
    return false;
  }
}

/** Whether the browser keeps this site's data under storage pressure; null when it does not say. */
export async function storagePersisted(): Promise<boolean | null> {
  try {
    const storage = browserStorage();
    if (!storage?.persisted) return null;
    return await storage.persisted();
  } catch {
    return null;
  }
}

/** Bytes used by this site and the most it may use, or null when the browser does not say. */
export async function storageEstimate(): Promise<StorageEstimate | null> {
  try {
    const storage = browserStorage();
    if (!storage?.estimate) return null;
    const { usage, quota } = await storage.estimate();
    if (usage === undefined || quota === undefined) return null;
    return { usage, quota };
  } catch {
    return null;
  }
}

const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** Decimal (SI) units, like the operating systems' file managers: `formatBytes(1_500_000)` = "1.5 MB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return `${bytes} B`;
  let value = bytes;
  let unit = 0;
  // 999.5 and up would round to "1000", so it moves to the next unit.
  while (value >= 999.5 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${Number(value.toFixed(digits))} ${units[unit]}`;
}

/**
 * About the storage a corpus file takes once imported: stored samples and their indexes take about
 * twice the file's text (the demo corpus: 453 kB of JSON Lines grew the site's usage by 0.89 MB in
 * Chromium); Parquet is compressed, commonly to a third of its text.
 */
export function importedBytes(fileBytes: number, format: CorpusFormat): number {
  return fileBytes * (format === 'parquet' ? 6 : 2);
}

/**
 * Why the quota is only an estimate unless the data is persistent: best-effort data may be
 * evicted, and a private window keeps it in memory, where far less fits than the figure says.
 */
export const estimateCaveat =
  'Only an estimate: this data is not kept persistently, so the browser may clear it or stop ' +
  'writes well before the quota (in a private window it lives in memory, where far less fits).';

/**
 * A warning when `what` (needing about `needed` bytes) is large next to the room left: more
 * than the room, more than half of it, or, when the data is not persistent and the quota only
 * an estimate, more than a tenth. Null when it fits well, or when the browser gives no figures.
 */
export function roomWarning(
  estimate: StorageEstimate | null,
  persisted: boolean | null,
  needed: number,
  what: string,
): string | null {
  if (!estimate) return null;
  const left = Math.max(0, estimate.quota - estimate.usage);
  const figures =
    `${what} needs about ${formatBytes(needed)}; this site may store ` +
    `${formatBytes(left)} more (${formatBytes(estimate.usage)} used of ${formatBytes(estimate.quota)}).`;
  if (needed > left) {
    return `${figures} It will not fit: delete corpora or downloaded models you no longer need first.`;
  }
  if (persisted === true) {
    return needed > left / 2 ? `${figures} That is more than half of the room left.` : null;
  }
  return needed > left / 10 ? `${figures} ${estimateCaveat}` : null;
}
