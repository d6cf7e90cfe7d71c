// The capability check: asks the browser for a WebGPU adapter, its features and limits, and the
// device memory it reports. (The storage this site may use is the storage layer's to ask:
// src/ui/shell/storageSpace.svelte.ts.)
import type { MachineInfo } from './machine';

export async function detectMachine(): Promise<MachineInfo> {
  const gpu = await probeGpu();
  const { deviceMemory } = navigator as Navigator & { deviceMemory?: number };
  return {
    webgpuApi: 'gpu' in navigator,
    gpu,
    deviceMemoryGB: typeof deviceMemory === 'number' ? deviceMemory : null,
    cores: navigator.hardwareConcurrency || 1,
  };
}

async function probeGpu(): Promise<MachineInfo['gpu']> {
  if (!('gpu' in navigator)) return null;
  try {
    const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return null;
    const { info, limits, features } = adapter;
    return {
      vendor: info.vendor,
      architecture: info.architecture,
      description: info.description,
      isFallbackAdapter: info.isFallbackAdapter ?? false,
      shaderF16: features.has('shader-f16'),
      maxBufferSize: limits.maxBufferSize,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
    };
  } catch {
    return null;
  }
}
