// The model the user chose (the UI remembers it across visits in the settings store, and checks
// what it reads back with `isModelChoice`); and the API keys of OpenAI-compatible servers, kept
// apart from the settings so that they never travel with exported data: for this tab's session
// (sessionStorage) unless the user asks to remember a key on this device (localStorage, in
// clear). A key stored by earlier versions, which always used localStorage, counts as remembered.
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

/** The key for this server: this session's, else the one remembered on this device. */
export function loadApiKey(baseUrl: string): string {
  const name = apiKeyName(baseUrl);
  return sessionStorage.getItem(name) ?? localStorage.getItem(name) ?? '';
}

/** Whether this server's key is remembered on this device (in localStorage). */
export function isApiKeyRemembered(baseUrl: string): boolean {
  return localStorage.getItem(apiKeyName(baseUrl)) !== null;
}

/**
 * Keeps the key for this session, or on this device when `remember` is set; either way the other
 * copy is removed, so unticking "remember" forgets the key on this device. An empty key is
 * forgotten everywhere.
 */
export function saveApiKey(baseUrl: string, apiKey: string, remember: boolean): void {
  const name = apiKeyName(baseUrl);
  const [keep, drop] = remember ? [localStorage, sessionStorage] : [sessionStorage, localStorage];
  drop.removeItem(name);
  if (apiKey) keep.setItem(name, apiKey);
  else keep.removeItem(name);
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

/**
 * Whether requests to this address travel unencrypted over a network: plain http:// to a host
 * other than this machine (localhost, 127.x.x.x, [::1]). False for an address that is not a URL.
 */
export function isPlainHttpToAnotherHost(baseUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return false;
  }
  const host = url.hostname.toLowerCase();
  const loopback = LOOPBACK_HOSTS.has(host) || /^127(\.\d{1,3}){3}$/.test(host);
  return url.protocol === 'http:' && !loopback;
}
