// What this machine can run, in plain language: the verdict of the capability check and the
// models worth recommending. Pure functions of the probe's findings (detectMachine.ts).
import { rankWebLlmModels } from './modelCatalogue';
import type { TransformersModel } from './transformersModels';
import type { WebLlmModel } from './webLlmModels';

export interface GpuInfo {
  vendor: string;
  architecture: string;
  description: string;
  /** A software renderer (SwiftShader) or other fallback adapter: slower than the processor. */
  isFallbackAdapter: boolean;
  shaderF16: boolean;
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
  maxComputeWorkgroupStorageSize: number;
}

export interface MachineInfo {
  /** `navigator.gpu` exists (the browser has WebGPU at all). */
  webgpuApi: boolean;
  /** The adapter WebGPU gave, or null when none. */
  gpu: GpuInfo | null;
  /** `navigator.deviceMemory` (Chromium only, rounded, at most 8). */
  deviceMemoryGB: number | null;
  cores: number;
}

export type VerdictLevel = 'gpu' | 'gpu-without-f16' | 'software-gpu' | 'no-webgpu';

export interface Verdict {
  level: VerdictLevel;
  headline: string;
  advice: string;
}

function adapterName(gpu: GpuInfo): string {
  return [gpu.vendor, gpu.architecture, gpu.description].filter(Boolean).join(' ') || 'unnamed';
}

export function machineVerdict(machine: MachineInfo): Verdict {
  const { gpu } = machine;
  if (!gpu) {
    return {
      level: 'no-webgpu',
      headline: machine.webgpuApi
        ? 'WebGPU is present but offered no graphics adapter (the GPU may be disabled or blocklisted).'
        : 'This browser has no WebGPU.',
      advice:
        'Models run on the processor only (transformers.js on WASM): fine for small models up to ' +
        'about 0.5 B parameters, slow beyond. For bigger models, connect an OpenAI-compatible server.',
    };
  }
  if (gpu.isFallbackAdapter) {
    return {
      level: 'software-gpu',
      headline: `WebGPU runs in software here (${adapterName(gpu)}, a fallback adapter), not on a graphics card.`,
      advice:
        'Software WebGPU is slower than the processor path: run a small model on WASM ' +
        '(transformers.js), or connect an OpenAI-compatible server.',
    };
  }
  const budget = gpuBudgetMB(machine);
  const fits = `Models needing up to about ${formatGB(budget)} of graphics memory should fit (a guess: browsers do not reveal graphics memory).`;
  if (!gpu.shaderF16) {
    return {
      level: 'gpu-without-f16',
      headline: `A graphics card is available (${adapterName(gpu)}), without 16-bit float shaders.`,
      advice: `Use 32-bit-activation variants (WebLLM "q4f32", transformers.js "q4"). ${fits}`,
    };
  }
  return {
    level: 'gpu',
    headline: `A graphics card with 16-bit float shaders is available (${adapterName(gpu)}).`,
    advice: `WebLLM models run on it, "q4f16" variants fastest. ${fits}`,
  };
}

/**
 * A guess at the graphics memory a model may use, in MB. Laptop GPUs mostly share system memory,
 * so half the reported device memory; 4 GB when the browser does not report it.
 */
export function gpuBudgetMB(machine: MachineInfo): number {
  return machine.deviceMemoryGB ? (machine.deviceMemoryGB * 1024) / 2 : 4096;
}

function formatGB(mb: number): string {
  return `${Number((mb / 1024).toFixed(1))} GB`;
}

/**
 * How well WebLLM's models suit this machine: whether each fits, and the (at most three)
 * recommended by the curated catalogue (modelCatalogue.ts).
 */
export function assessWebLlmModels(
  machine: MachineInfo,
  models: WebLlmModel[],
): { model: WebLlmModel; fits: boolean; recommended: boolean }[] {
  const gpu = machine.gpu;
  const usable = gpu !== null && !gpu.isFallbackAdapter;
  const budget = gpuBudgetMB(machine);
  const fits = (model: WebLlmModel) =>
    usable &&
    model.vramMB <= budget &&
    (model.bufferBytes === null || model.bufferBytes <= gpu.maxStorageBufferBindingSize);
  const chosen = new Set(
    rankWebLlmModels(models, gpu?.shaderF16 ?? false, fits).map((model) => model.modelId),
  );
  return models.map((model) => ({
    model,
    fits: fits(model),
    recommended: chosen.has(model.modelId),
  }));
}

/**
 * transformers.js models recommended here: on the processor (no usable GPU) the small ones
 * only, since WASM makes a few tokens per second per hundred million parameters.
 */
export function recommendedTransformersModels(
  machine: MachineInfo,
  models: TransformersModel[],
): Set<string> {
  const gpu = machine.gpu;
  const onGpu = gpu !== null && !gpu.isFallbackAdapter;
  const limit = onGpu ? 1.5e9 : 500e6;
  return new Set(
    models
      .filter((model) => !model.fixture && (model.bytes.q4 ?? Infinity) <= limit)
      .map((model) => model.model),
  );
}

/**
 * Memory a model running in WebAssembly may take, in bytes: three quarters of the memory the
 * browser reports (Chromium reports at most 8 GB, so bigger machines are under-counted), and
 * 3 GB when it reports none.
 */
export function memoryBudgetBytes(machine: MachineInfo): number {
  return (machine.deviceMemoryGB ?? 4) * 0.75 * 2 ** 30;
}
