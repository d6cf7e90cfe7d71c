// The catalogue's ranking against WebLLM's real model list (prebuiltAppConfig of
// @mlc-ai/web-llm 0.2.86, as installed) on machines of 4, 8 and 16 GB, with and without
// shader-f16.
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { assessWebLlmModels, type MachineInfo } from '../../../src/llm/machine';
import {
  ggufCatalogue,
  recommendedGguf,
  webLlmCatalogue,
  webLlmThinks,
} from '../../../src/llm/modelCatalogue';
import { webLlmChatModels } from '../../../src/llm/webLlmModels';

const machine = (deviceMemoryGB: number, shaderF16: boolean): MachineInfo => ({
  webgpuApi: true,
  gpu: {
    vendor: 'nvidia',
    architecture: 'ampere',
    description: '',
    isFallbackAdapter: false,
    shaderF16,
    maxBufferSize: 2 ** 32,
    maxStorageBufferBindingSize: 2 ** 31,
    maxComputeWorkgroupStorageSize: 32768,
  },
  deviceMemoryGB,
  cores: 8,
});

function recommended(deviceMemoryGB: number, shaderF16: boolean): string[] {
  const models = webLlmChatModels(prebuiltAppConfig, shaderF16);
  return assessWebLlmModels(machine(deviceMemoryGB, shaderF16), models)
    .filter((a) => a.recommended)
    .map((a) => a.model.modelId);
}

describe('WebLLM recommendations from the catalogue', () => {
  it.each([
    [
      4,
      true,
      ['Qwen3-1.7B-q4f16_1-MLC', 'SmolLM2-1.7B-Instruct-q4f16_1-MLC', 'gemma3-1b-it-q4f16_1-MLC'],
    ],
    [
      8,
      true,
      ['Phi-4-mini-instruct-q4f16_1-MLC', 'Qwen3-4B-q4f16_1-MLC', 'Qwen3.5-4B-q4f16_1-MLC'],
    ],
    [
      16,
      true,
      ['Phi-4-mini-instruct-q4f16_1-MLC', 'Qwen3-8B-q4f16_1-MLC', 'Qwen3.5-9B-q4f16_1-MLC'],
    ],
    [
      4,
      false,
      ['Llama-3.2-1B-Instruct-q4f32_1-MLC', 'Qwen3-0.6B-q4f32_1-MLC', 'Qwen3.5-0.8B-q4f32_1-MLC'],
    ],
    [
      8,
      false,
      ['Llama-3.2-3B-Instruct-q4f32_1-MLC', 'Qwen3.5-2B-q4f32_1-MLC', 'gemma-4-E2B-it-q4f32_1-MLC'],
    ],
    [
      16,
      false,
      ['Phi-4-mini-instruct-q4f32_1-MLC', 'Qwen3-8B-q4f32_1-MLC', 'Qwen3.5-9B-q4f32_1-MLC'],
    ],
  ])('%i GB, shader-f16 %s', (memory, f16, expected) => {
    const ids = recommended(memory, f16);
    expect([...ids].sort()).toEqual(expected);
    // Never a base model, a single-language build, a 2023 model, or the slower f32 build
    // where 16-bit shaders exist.
    expect(ids.some((id) => /RedPajama|jpn|Base/i.test(id))).toBe(false);
    if (f16) expect(ids.every((id) => id.includes('q4f16'))).toBe(true);
  });

  it('names only models the installed WebLLM lists', () => {
    const ids = new Set(prebuiltAppConfig.model_list.map((record) => record.model_id));
    for (const entry of webLlmCatalogue) {
      const builds = ['q4f16_1', 'q4f32_1'].filter((build) => ids.has(`${entry.id}-${build}-MLC`));
      expect(builds.length, entry.id).toBeGreaterThan(0);
    }
  });

  it('knows which models think', () => {
    expect(webLlmThinks('Qwen3-4B-q4f16_1-MLC')).toBe(true);
    expect(webLlmThinks('Qwen3.5-0.8B-q4f32_1-MLC')).toBe(true);
    expect(webLlmThinks('Llama-3.2-1B-Instruct-q4f16_1-MLC')).toBe(false);
  });
});

describe('GGUF recommendations', () => {
  it('on the processor only the small files, on a graphics card what fits memory', () => {
    expect(recommendedGguf(false, 6 * 2 ** 30).map((m) => m.file)).toEqual([
      'smollm2-135m-instruct-q8_0.gguf',
      'smollm2-360m-instruct-q8_0.gguf',
    ]);
    expect(recommendedGguf(true, 6 * 2 ** 30)).toEqual(ggufCatalogue);
    expect(recommendedGguf(true, 2 ** 29).map((m) => m.file)).toEqual([
      'smollm2-135m-instruct-q8_0.gguf',
      'smollm2-360m-instruct-q8_0.gguf',
    ]);
  });
});
