import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

/** The shared third-party data and reference results live beside the checkout, never inside it. */
export const sharedRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../shared');

export function sharedPath(...parts: string[]): string {
  return resolve(sharedRoot, ...parts);
}
