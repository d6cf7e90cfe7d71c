import { describe, expect, it } from 'vitest';
import {
  assessWebLlmModels,
  machineVerdict,
  recommendedTransformersModels,
  type GpuInfo,
  type MachineInfo,
} from '../../../src/llm/machine';
import { fixtureModel, transformersModels } from '../../../src/llm/transformersModels';
import type { WebLlmModel } from '../../../src/llm/webLlmModels';

const gpu = (overrides: Partial<GpuInfo>): GpuInfo => ({
  vendor: 'apple',
  architecture: 'metal-3',
  description: '',
  isFallbackAdapter: false,
  shaderF16: true,
  maxBufferSize: 2 ** 32,
  maxStorageBufferBindingSize: 2 ** 31,
  maxComputeWorkgroupStorageSize: 32768,
  ...overrides,
});
const machine = (overrides: Partial<MachineInfo>): MachineInfo => ({
  webgpuApi: true,
  gpu: gpu({}),
  deviceMemoryGB: 8,
  cores: 8,
  ...overrides,
});
const model = (
  modelId: string,
  vramMB: number,
  bufferBytes: number | null = null,
): WebLlmModel => ({
  modelId,
  vramMB,
  needsF16: false,
  bufferBytes,
  lowResource: false,
});

describe('machineVerdict', () => {
  it('tells the four kinds of machine apart in plain words', () => {
    expect(machineVerdict(machine({ webgpuApi: false, gpu: null }))).toMatchObject({
      level: 'no-webgpu',
      headline: 'This browser has no WebGPU.',
    });
    expect(machineVerdict(machine({ gpu: null })).headline).toMatch(/no graphics adapter/);
    const software = machineVerdict(
      machine({
        gpu: gpu({
          vendor: 'google',
          architecture: 'swiftshader',
          isFallbackAdapter: true,
          shaderF16: false,
        }),
      }),
    );
    expect(software.level).toBe('software-gpu');
    expect(software.headline).toContain('google swiftshader');
    expect(machineVerdict(machine({ gpu: gpu({ shaderF16: false }) })).level).toBe(
      'gpu-without-f16',
    );
    const good = machineVerdict(machine({}));
    expect(good.level).toBe('gpu');
    expect(good.advice).toContain('4 GB');
  });
});

describe('recommendations', () => {
  it('recommends the best catalogue models that fit, one per line, never on a software GPU', () => {
    const models = [
      model('Qwen3-0.6B-q4f16_1-MLC', 600),
      model('Qwen3-1.7B-q4f16_1-MLC', 2000),
      model('Qwen3.5-4B-q4f16_1-MLC', 3900),
      model('Qwen3.5-9B-q4f16_1-MLC', 9000),
      model('Phi-4-mini-instruct-q4f16_1-MLC', 1000, 2 ** 32),
      model('Llama-3.2-1B-Instruct-q4f16_1-MLC', 900),
      model('Big-Base-q4f16_1-MLC', 1000),
    ];
    const assessed = assessWebLlmModels(machine({}), models);
    const recommended = assessed.filter((a) => a.recommended).map((a) => a.model.modelId);
    expect(recommended.sort()).toEqual([
      'Llama-3.2-1B-Instruct-q4f16_1-MLC',
      'Qwen3-1.7B-q4f16_1-MLC',
      'Qwen3.5-4B-q4f16_1-MLC',
    ]);
    expect(assessed.find((a) => a.model.modelId.startsWith('Qwen3.5-9B'))?.fits).toBe(false);
    // A buffer above the adapter's binding limit does not fit, whatever the memory.
    expect(assessed.find((a) => a.model.modelId.startsWith('Phi-4'))?.fits).toBe(false);
    // Not in the catalogue: it may fit, but it is never recommended.
    expect(assessed.find((a) => a.model.modelId.startsWith('Big-Base'))).toMatchObject({
      fits: true,
      recommended: false,
    });

    const software = machine({ gpu: gpu({ isFallbackAdapter: true }) });
    expect(assessWebLlmModels(software, models).some((a) => a.fits || a.recommended)).toBe(false);
  });

  it('recommends only small transformers.js models on the processor, never the fixture', () => {
    const models = [...transformersModels, fixtureModel];
    const onCpu = recommendedTransformersModels(machine({ gpu: null }), models);
    expect([...onCpu]).toEqual([
      'HuggingFaceTB/SmolLM2-135M-Instruct',
      'HuggingFaceTB/SmolLM2-360M-Instruct',
    ]);
    const onGpu = recommendedTransformersModels(machine({}), models);
    expect(onGpu.has('onnx-community/Qwen2.5-0.5B-Instruct')).toBe(true);
    expect(onGpu.has(fixtureModel.model)).toBe(false);
  });
});
