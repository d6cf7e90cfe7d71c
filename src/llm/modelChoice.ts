// The model the user chose, remembered across visits in the IndexedDB `settings` store; and the
// API keys of OpenAI-compatible servers, which are kept apart in this browser's localStorage so
// that they never travel with exported data.
import { openStudioDb } from '../storage/db';
import type { TransformersDtype } from './transformersModels';

export type ModelChoice =
  | {
      engine: 'transformers';
      model: string;
      label: string;
      device: 'webgpu' | 'wasm';
      dtype: TransformersDtype;
      /** The test fixture, served by the app itself. */
      fixture: boolean;
    }
  | { engine: 'webllm'; model: string; label: string }
  | { engine: 'openai'; model: string; label: string; baseUrl: string; concurrency: number };

const CHOICE_KEY = 'llm.modelChoice';

function isModelChoice(value: unknown): value is ModelChoice {
  const choice = value as Partial<ModelChoice> | null;
  return (
    typeof choice?.model === 'string' &&
    typeof choice.label === 'string' &&
    (choice.engine === 'transformers' || choice.engine === 'webllm' || choice.engine === 'openai')
  );
}

export async function loadModelChoice(): Promise<ModelChoice | null> {
  const db = await openStudioDb();
  const stored = await db.get('settings', CHOICE_KEY);
  return isModelChoice(stored) ? stored : null;
}

export async function saveModelChoice(choice: ModelChoice): Promise<void> {
  const db = await openStudioDb();
  await db.put('settings', choice, CHOICE_KEY);
}

const apiKeyName = (baseUrl: string) => `steps-studio.apiKey.${baseUrl}`;

export function loadApiKey(baseUrl: string): string {
  return localStorage.getItem(apiKeyName(baseUrl)) ?? '';
}

export function saveApiKey(baseUrl: string, apiKey: string): void {
  if (apiKey) localStorage.setItem(apiKeyName(baseUrl), apiKey);
  else localStorage.removeItem(apiKeyName(baseUrl));
}
