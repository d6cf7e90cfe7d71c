// GGUF models for wllama (llama.cpp in WebAssembly): where a model comes from, the checks made
// before any of it is loaded (the GGUF magic bytes, the size against this machine's memory), and
// where and how it runs. Pure functions; the worker side is workers/wllamaBackend.ts.
import { ModelTooLargeError, NotGgufFileError } from './errors';
import { memoryBudgetBytes, type MachineInfo } from './machine';

/**
 * A local file the user picked (the page cannot reopen it after a reload unless a copy was kept
 * in wllama's cache), a URL, or a file of a Hugging Face repository.
 */
export type GgufSource =
  | { kind: 'file'; name: string; bytes: number; keptCopy: boolean }
  | { kind: 'url'; url: string }
  | { kind: 'hub'; repo: string; file: string };

export type WllamaDevice = 'webgpu' | 'wasm';

/** The download URL of a source (a kept local file is cached under a URL of its own). */
export function ggufUrl(source: GgufSource): string {
  switch (source.kind) {
    case 'url':
      return source.url;
    case 'hub':
      return `https://huggingface.co/${source.repo}/resolve/main/${source.file
        .split('/')
        .map(encodeURIComponent)
        .join('/')}`;
    case 'file':
      // Never fetched: the cache entry of a kept copy is written under it (wllamaCache.ts).
      return `https://local.invalid/${encodeURIComponent(source.name)}`;
  }
}

/** A short name of the model for labels and generation records. */
export function ggufName(source: GgufSource): string {
  switch (source.kind) {
    case 'file':
      return source.name;
    case 'url':
      return decodeURIComponent(new URL(source.url).pathname.split('/').pop() ?? source.url);
    case 'hub':
      return `${source.repo}/${source.file}`;
  }
}

/** GGUF files start with these four bytes ("GGUF"). */
const GGUF_MAGIC = [0x47, 0x47, 0x55, 0x46];

/** Throws NotGgufFileError unless `head` (the file's first bytes) is a GGUF header. */
export function checkGgufHeader(head: Uint8Array, file: string): void {
  if (!GGUF_MAGIC.every((byte, i) => head[i] === byte)) throw NotGgufFileError.forFile(file);
}

export async function checkGgufBlob(blob: Blob, file: string): Promise<void> {
  checkGgufHeader(new Uint8Array(await blob.slice(0, 4).arrayBuffer()), file);
}

/**
 * llama.cpp needs the weights in memory plus room for the context (KV cache) and compute
 * buffers; a fifth more than the file is a fair guess for the small context used here.
 */
const WORKING_MEMORY_FACTOR = 1.2;

/** Throws ModelTooLargeError when a file of `bytes` cannot fit this machine's memory. */
export function checkGgufFits(bytes: number, file: string, machine: MachineInfo): void {
  const budget = memoryBudgetBytes(machine);
  if (bytes * WORKING_MEMORY_FACTOR <= budget) return;
  const gb = (n: number) => `${(n / 1e9).toFixed(1)} GB`;
  throw new ModelTooLargeError(
    `${file} is ${gb(bytes)}; with its working memory that is more than the ${gb(budget)} this ` +
      'browser can give a model here. Choose a smaller file (fewer parameters, or a smaller ' +
      'quantisation such as Q4_K_M), or connect an OpenAI-compatible server.',
  );
}

/** Where the model runs: WebGPU on a real graphics card, else the processor. */
export function defaultWllamaDevice(machine: MachineInfo): WllamaDevice {
  return machine.gpu && !machine.gpu.isFallbackAdapter ? 'webgpu' : 'wasm';
}

/**
 * Threads of the WebAssembly build: several need SharedArrayBuffer, which browsers give only to
 * cross-origin isolated pages (COOP/COEP headers); half the cores, as wllama does by default.
 */
export function wllamaThreads(crossOriginIsolated: boolean, cores: number): number {
  return crossOriginIsolated ? Math.max(1, Math.floor(cores / 2)) : 1;
}

/** The `device` of a generation record: `webgpu` or `wasm`, and the threads, `wasm, 1 thread`. */
export function wllamaDeviceLabel(device: WllamaDevice, threads: number): string {
  return `${device}, ${threads} thread${threads === 1 ? '' : 's'}`;
}
