// The model the user chose (the UI remembers it across visits in the settings store, and checks
// what it reads back with `isModelChoice`); and the API keys of OpenAI-compatible servers, which
// are kept apart in this browser's localStorage so that they never travel with exported data.
import type { TransformersDtype } from './transformersModels';
import type { GgufSource, WllamaDevice } from './wllamaModels';

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
  | {
      engine: 'wllama';
      model: string;
      label: string;
      /** A picked local file needs picking again after a reload, unless a copy was kept. */
      source: GgufSource;
      device: WllamaDevice;
    }
  | { engine: 'openai'; model: string; label: string; baseUrl: string; concurrency: number };

/** Whether a value read back from storage is a model choice. */
export function isModelChoice(value: unknown): value is ModelChoice {
  const choice = value as Partial<ModelChoice> | null;
  return (
    typeof choice?.model === 'string' &&
    typeof choice.label === 'string' &&
    (choice.engine === 'transformers' ||
      choice.engine === 'webllm' ||
      choice.engine === 'openai' ||
      (choice.engine === 'wllama' && typeof choice.source?.kind === 'string'))
  );
}

const apiKeyName = (baseUrl: string) => `steps-studio.apiKey.${baseUrl}`;

export function loadApiKey(baseUrl: string): string {
  return localStorage.getItem(apiKeyName(baseUrl)) ?? '';
}

export function saveApiKey(baseUrl: string, apiKey: string): void {
  if (apiKey) localStorage.setItem(apiKeyName(baseUrl), apiKey);
  else localStorage.removeItem(apiKeyName(baseUrl));
}
