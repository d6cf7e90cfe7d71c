// Storage persistence and space: what the browser grants, shown to the user in plain figures.
import type { StorageEstimate } from './types';

/**
 * Asks the browser not to evict this site's data under storage pressure. Returns whether the
 * data is persistent; false when refused or unsupported (never throws: eviction is a risk to
 * tell the user about, not a reason to stop).
 */
export async function requestPersistence(): Promise<boolean> {
  try {
    if (!navigator.storage?.persist) return false;
    return await navigator.storage.persist();
  } catch {
    return false;
  }
}

/** Bytes used by this site and the most it may use, or null when the browser does not say. */
export async function storageEstimate(): Promise<StorageEstimate | null> {
  try {
    if (!navigator.storage?.estimate) return null;
    const { usage, quota } = await navigator.storage.estimate();
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
