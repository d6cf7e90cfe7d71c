// Small user settings kept in IndexedDB (survive reloads, leave with "clear site data").
import { openStudioDb } from './db';

export async function getSetting<T>(key: string): Promise<T | undefined> {
  const db = await openStudioDb();
  return (await db.get('settings', key)) as T | undefined;
}

export async function putSetting(key: string, value: unknown): Promise<void> {
  const db = await openStudioDb();
  await db.put('settings', value, key);
}
