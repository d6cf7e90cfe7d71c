// The checks made before a GGUF model loads, where and how it runs, the failures named, and
// wllama's cache as the app lists it (a real CacheManager over storage kept in memory).
import { CacheManager } from '@wllama/wllama';
import { openSync, readSync, closeSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GpuDeviceLostError, ModelTooLargeError, NotGgufFileError } from '../../../src/llm/errors';
import type { MachineInfo } from '../../../src/llm/machine';
import { deleteCachedGguf, keepGgufCopy, listCachedGguf } from '../../../src/llm/wllamaCache';
import { classifyWllamaLoadFailure } from '../../../src/llm/wllamaEngine';
import {
  checkGgufFits,
  checkGgufHeader,
  defaultWllamaDevice,
  ggufName,
  ggufUrl,
  wllamaDeviceLabel,
  wllamaThreads,
} from '../../../src/llm/wllamaModels';

const machine = (overrides: Partial<MachineInfo>): MachineInfo => ({
  webgpuApi: false,
  gpu: null,
  deviceMemoryGB: 8,
  cores: 8,
  ...overrides,
});

const modelFile = fileURLToPath(
  new URL('../../../.cache/models/SmolLM2-135M-Instruct.Q4_1.gguf', import.meta.url),
);

describe('before loading', () => {
  it('accepts a GGUF header and names a file that is not one', () => {
    expect(() => checkGgufHeader(new TextEncoder().encode('GGUF\x03\x00'), 'm.gguf')).not.toThrow();
    expect(() => checkGgufHeader(new TextEncoder().encode('PK\x03\x04'), 'm.gguf')).toThrow(
      NotGgufFileError,
    );
    expect(() => checkGgufHeader(new Uint8Array(0), 'empty.gguf')).toThrow(
      /empty\.gguf is not a GGUF/,
    );
  });

  it.skipIf(!existsSync(modelFile))('reads the real model file as GGUF', () => {
    const head = new Uint8Array(4);
    const fd = openSync(modelFile, 'r');
    readSync(fd, head, 0, 4, 0);
    closeSync(fd);
    expect(() => checkGgufHeader(head, 'SmolLM2')).not.toThrow();
  });

  it('refuses a file too large for the memory the browser reports', () => {
    // 8 GB reported: three quarters of it, 6 GiB, for the weights and a fifth more.
    expect(() => checkGgufFits(5e9, 'ok.gguf', machine({}))).not.toThrow();
    expect(() => checkGgufFits(6e9, 'big.gguf', machine({}))).toThrow(ModelTooLargeError);
    expect(() => checkGgufFits(3e9, 'm.gguf', machine({ deviceMemoryGB: null }))).toThrow(
      /more than the 3\.2 GB/,
    );
  });
});

describe('where it runs', () => {
  it('threads only when the page is cross-origin isolated', () => {
    expect(wllamaThreads(false, 8)).toBe(1);
    expect(wllamaThreads(true, 8)).toBe(4);
    expect(wllamaThreads(true, 1)).toBe(1);
    expect(wllamaDeviceLabel('wasm', 1)).toBe('wasm, 1 thread');
    expect(wllamaDeviceLabel('webgpu', 4)).toBe('webgpu, 4 threads');
  });

  it('WebGPU on a real graphics card, the processor on a software one or none', () => {
    const gpu = {
      vendor: 'google',
      architecture: 'swiftshader',
      description: '',
      isFallbackAdapter: true,
      shaderF16: false,
      maxBufferSize: 2 ** 28,
      maxStorageBufferBindingSize: 2 ** 27,
      maxComputeWorkgroupStorageSize: 16384,
    };
    expect(defaultWllamaDevice(machine({}))).toBe('wasm');
    expect(defaultWllamaDevice(machine({ gpu }))).toBe('wasm');
    expect(defaultWllamaDevice(machine({ gpu: { ...gpu, isFallbackAdapter: false } }))).toBe(
      'webgpu',
    );
  });

  it('names sources and their URLs', () => {
    const hub = {
      kind: 'hub',
      repo: 'Qwen/Qwen3-0.6B-GGUF',
      file: 'Qwen3-0.6B-Q8_0.gguf',
    } as const;
    expect(ggufUrl(hub)).toBe(
      'https://huggingface.co/Qwen/Qwen3-0.6B-GGUF/resolve/main/Qwen3-0.6B-Q8_0.gguf',
    );
    expect(ggufName({ kind: 'url', url: 'https://example.org/m/a%20b.gguf?x=1' })).toBe('a b.gguf');
    const file = { kind: 'file', name: 'my model.gguf', bytes: 1, keptCopy: true } as const;
    expect(ggufUrl(file)).toBe('https://local.invalid/my%20model.gguf');
  });
});

describe('load failures', () => {
  const context = { model: 'x.gguf', receivedBytes: false, log: [] as string[] };

  it("an unknown architecture, named in llama.cpp's log", () => {
    const log = ["llama_model_load: error loading model: unknown model architecture: 'mamba9'"];
    const error = classifyWllamaLoadFailure(new Error('failed to load model'), { ...context, log });
    expect(error.name).toBe('UnsupportedArchitectureError');
    expect(error.message).toContain('"mamba9"');
  });

  it('running out of memory', () => {
    const error = classifyWllamaLoadFailure(
      new Error('Aborted(Cannot enlarge memory arrays)'),
      context,
    );
    expect(error).toBeInstanceOf(ModelTooLargeError);
  });

  it('a download cut off, and the LlmErrors thrown by the checks, kept', () => {
    const cut = classifyWllamaLoadFailure(new TypeError('Failed to fetch'), {
      ...context,
      receivedBytes: true,
    });
    expect(cut.name).toBe('ShardDownloadError');
    const offline = classifyWllamaLoadFailure(new TypeError('Failed to fetch'), context);
    expect(offline.name).toBe('ModelNotCachedOfflineError');
    const lost = new GpuDeviceLostError();
    expect(classifyWllamaLoadFailure(lost, context)).toBe(lost);
  });
});

/** wllama's storage interface (its package does not export the type by name). */
type StorageBackend = NonNullable<ConstructorParameters<typeof CacheManager>[0]>[number];

/** Storage kept in memory, behind wllama's own CacheManager; it counts its writes. */
function memoryStorage(): StorageBackend & { writes: number } {
  const files = new Map<string, Blob>();
  return {
    writes: 0,
    isSupported: () => true,
    read: async (key) => files.get(key) ?? null,
    async write(key, stream) {
      this.writes++;
      files.set(key, await new Response(stream).blob());
    },
    getSize: async (key) => files.get(key)?.size ?? -1,
    list: async () => [...files].map(([key, blob]) => ({ key, size: blob.size })),
    delete: async (key) => {
      files.delete(key);
    },
  };
}

describe("wllama's cache", () => {
  it('lists kept copies with sizes, marks what a broken download left, deletes', async () => {
    const storage = memoryStorage();
    const cache = new CacheManager([storage]);
    const file = new Blob(['GGUF', new Uint8Array(28)]);
    const source = { kind: 'file', name: 'tiny.gguf', bytes: file.size, keptCopy: true } as const;
    await keepGgufCopy(cache, source, file);
    // The file and its metadata, once: keeping it again writes nothing.
    await keepGgufCopy(cache, source, file);
    expect(storage.writes).toBe(2);
    // A download that broke off: bytes without metadata.
    await storage.write('abc123_partial.gguf', new Blob(['GGUF']).stream());

    const listed = await listCachedGguf(cache);
    expect(listed.map(({ name, bytes, incomplete }) => ({ name, bytes, incomplete }))).toEqual([
      { name: 'tiny.gguf', bytes: 32, incomplete: false },
      { name: 'partial.gguf', bytes: 4, incomplete: true },
    ]);
    expect(listed[0].url).toBe(ggufUrl(source));
    await deleteCachedGguf(cache, listed[1]);
    expect((await listCachedGguf(cache)).map((c) => c.name)).toEqual(['tiny.gguf']);
    // The kept copy is what wllama's model manager finds under the source's URL.
    const models = await new (await import('@wllama/wllama')).ModelManager({
      cacheManager: cache,
    }).getModels();
    expect(models.map((m) => m.url)).toEqual([ggufUrl(source)]);
  });
});
