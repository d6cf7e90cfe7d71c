// Downloaded models: what is in this browser's Cache Storage and how big it is, and deleting
// one. transformers.js keeps each file under its hub URL in the cache "transformers-cache";
// WebLLM keeps weights, chat config and model library in "webllm/model", "webllm/config" and
// "webllm/wasm" (its default Cache API backend), and deletes them itself.
import type { AppConfig } from '@mlc-ai/web-llm';

export interface CachedModel {
  engine: 'transformers' | 'webllm';
  model: string;
  bytes: number;
  files: number;
}

const TRANSFORMERS_CACHE = 'transformers-cache';
const WEBLLM_CACHES = ['webllm/model', 'webllm/config', 'webllm/wasm'];

async function entrySize(cache: Cache, request: Request): Promise<number> {
  const response = await cache.match(request);
  if (!response) return 0;
  const length = Number(response.headers.get('content-length'));
  return Number.isFinite(length) && length > 0 ? length : (await response.blob()).size;
}

/** `https://huggingface.co/{owner}/{name}/resolve/{revision}/{file}` → `{owner}/{name}`. */
function hubModelOf(url: string): string | null {
  const match = /^https:\/\/huggingface\.co\/([^/]+\/[^/]+)\/resolve\//.exec(url);
  return match ? match[1] : null;
}

export async function listCachedModels(webLlmConfig: AppConfig | null): Promise<CachedModel[]> {
  const found = new Map<string, CachedModel>();
  const add = (engine: CachedModel['engine'], model: string, bytes: number) => {
    const key = `${engine}:${model}`;
    const entry = found.get(key) ?? { engine, model, bytes: 0, files: 0 };
    entry.bytes += bytes;
    entry.files += 1;
    found.set(key, entry);
  };
  const cacheNames = await caches.keys();
  if (cacheNames.includes(TRANSFORMERS_CACHE)) {
    const cache = await caches.open(TRANSFORMERS_CACHE);
    for (const request of await cache.keys()) {
      const model = hubModelOf(request.url);
      if (model) add('transformers', model, await entrySize(cache, request));
    }
  }
  if (webLlmConfig) {
    const owners = webLlmConfig.model_list.map((record) => ({
      id: record.model_id,
      prefixes: [record.model.replace(/\/?$/, '/'), record.model_lib],
    }));
    for (const name of WEBLLM_CACHES.filter((cacheName) => cacheNames.includes(cacheName))) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const owner = owners.find(({ prefixes }) =>
          prefixes.some((prefix) => request.url.startsWith(prefix)),
        );
        if (owner) add('webllm', owner.id, await entrySize(cache, request));
      }
    }
  }
  return [...found.values()].sort((a, b) => b.bytes - a.bytes);
}

export async function deleteCachedModel(cached: CachedModel, webLlmConfig: AppConfig | null) {
  if (cached.engine === 'webllm') {
    const { deleteModelAllInfoInCache } = await import('@mlc-ai/web-llm');
    await deleteModelAllInfoInCache(cached.model, webLlmConfig ?? undefined);
    return;
  }
  const cache = await caches.open(TRANSFORMERS_CACHE);
  for (const request of await cache.keys()) {
    if (hubModelOf(request.url) === cached.model) await cache.delete(request);
  }
}
