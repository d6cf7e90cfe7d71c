// WebLLM's model list as the model manager shows it, and its load progress in bytes. Pure
// functions of WebLLM's data; the app passes `prebuiltAppConfig` (loaded lazily: the library is
// several megabytes).
import type { AppConfig, InitProgressReport, ModelRecord } from '@mlc-ai/web-llm';
import type { DownloadProgress } from './transformersEngine';

export interface WebLlmModel {
  modelId: string;
  /** GPU memory WebLLM states the model needs (weights, KV cache and buffers), in MB. */
  vramMB: number;
  needsF16: boolean;
  /** Largest single GPU buffer the model allocates, when WebLLM states it. */
  bufferBytes: number | null;
  lowResource: boolean;
}

/** ModelType.LLM in WebLLM (the enum itself is a runtime value of the big library). */
const LLM_MODEL_TYPE = 0;

/**
 * Chat models only (no embedding or vision models), smallest first; models that need the
 * `shader-f16` WebGPU feature are left out when the adapter lacks it.
 */
export function webLlmChatModels(appConfig: AppConfig, hasShaderF16: boolean): WebLlmModel[] {
  return appConfig.model_list
    .filter((record) => (record.model_type ?? LLM_MODEL_TYPE) === LLM_MODEL_TYPE)
    .map(toModel)
    .filter((model) => hasShaderF16 || !model.needsF16)
    .sort((a, b) => a.vramMB - b.vramMB || a.modelId.localeCompare(b.modelId));
}

function toModel(record: ModelRecord): WebLlmModel {
  return {
    modelId: record.model_id,
    vramMB: record.vram_required_MB ?? 0,
    // Not every f16 build lists the feature; "q4f16", "q0f16" … in the id mean 16-bit floats too.
    needsF16:
      (record.required_features?.includes('shader-f16') ?? false) ||
      /-q\d+f16/.test(record.model_id),
    bufferBytes: record.buffer_size_required_bytes ?? null,
    lowResource: record.low_resource_required ?? false,
  };
}

/**
 * Bytes from WebLLM's progress report. It gives a fraction and a text such as
 * "Fetching param cache[3/22]: 120MB fetched. 15% completed, …" (MB there are MiB); the total
 * follows from the two.
 */
export function webLlmProgress(report: InitProgressReport): DownloadProgress | null {
  const match = /(\d+)MB (?:fetched|loaded)/.exec(report.text);
  if (!match) return null;
  const loadedBytes = Number(match[1]) * 1024 * 1024;
  const totalBytes = report.progress > 0 ? Math.round(loadedBytes / report.progress) : 0;
  return { loadedBytes, totalBytes };
}
