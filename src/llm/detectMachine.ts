// The capability check: asks the browser for a WebGPU adapter, its features and limits, the
// storage this site may use and the device memory it reports.
import { storageEstimate } from '../storage/quota';
import type { MachineInfo } from './machine';

export async function detectMachine(): Promise<MachineInfo> {
  const [gpu, storage] = await Promise.all([probeGpu(), storageEstimate()]);
  const { deviceMemory } = navigator as Navigator & { deviceMemory?: number };
  return {
    webgpuApi: 'gpu' in navigator,
    gpu,
    storage,
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
