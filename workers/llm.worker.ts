// Hosts one transformers.js chat model off the main thread (WebGPU, or WASM on the processor).
// WebLLM runs in its own worker (webLlm.worker.ts): its client owns the worker's message
// handler, and each library is several megabytes that the other engine's users never need.
//
// Everything the model needs comes from this page's origin or the Hugging Face hub: the
// onnxruntime-web wasm is the one Vite emitted from node_modules (transformers.js would fetch it
// from a CDN otherwise), and the test fixture is served under the app itself.
import { env } from '@huggingface/transformers';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { classifyLoadFailure, GpuDeviceLostError, ModelLoadError } from '../src/llm/errors';
import { loadTransformersEngine, type TransformersEngine } from '../src/llm/transformersEngine';
import type { LlmApi } from './llmApi';
import { serveWorker } from './protocol';

// Only the .wasm is named: the JavaScript glue is bundled into transformers.js's onnxruntime-web.
env.backends.onnx.wasm!.wasmPaths = { wasm: new URL(ortWasmUrl, import.meta.url).href };

let engine: TransformersEngine | null = null;
/** Aborted when the GPU device is lost: every generation stops. */
const deviceLoss = new AbortController();

/** A macrotask break (MessageChannel, not setTimeout: nested timers are clamped to 4 ms). */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

/** A lost GPU device cannot be used again: generations stop and the client restarts the worker. */
async function watchGpuDevice(): Promise<void> {
  const device = await env.backends.onnx.webgpu?.device;
  const info = await device?.lost;
  if (!info || info.reason === 'destroyed') return;
  deviceLoss.abort();
}

serveWorker<LlmApi>({
  async load({ model, device, dtype, localModelBase }, reportProgress) {
    await engine?.dispose();
    engine = null;
    const local = localModelBase !== undefined;
    env.allowLocalModels = local;
    env.allowRemoteModels = !local;
    env.useBrowserCache = !local;
    if (local) env.localModelPath = localModelBase;
    let receivedBytes = false;
    try {
      engine = await loadTransformersEngine({
        model,
        device,
        dtype,
        betweenSteps: yieldToEvents,
        onProgress: (progress) => {
          receivedBytes ||= progress.loadedBytes > 0;
          reportProgress(progress);
        },
      });
    } catch (error) {
      throw classifyLoadFailure(error, { model, receivedBytes });
    }
    if (device === 'webgpu') void watchGpuDevice();
    return null;
  },

  async generate({ request, stream }, reportProgress, signal) {
    if (deviceLoss.signal.aborted) throw new GpuDeviceLostError();
    if (!engine) throw new ModelLoadError('No model is loaded yet: load one first.');
    try {
      const result = await engine.chat(request, {
        signal: AbortSignal.any([signal, deviceLoss.signal]),
        onToken: stream ? reportProgress : undefined,
      });
      if (deviceLoss.signal.aborted) throw new GpuDeviceLostError();
      return result;
    } catch (error) {
      if (deviceLoss.signal.aborted) throw new GpuDeviceLostError(undefined, { cause: error });
      throw error;
    }
  },

  async countTokens({ texts }) {
    if (!engine) throw new ModelLoadError('No model is loaded yet: load one first.');
    return engine.tokenCounts(texts);
  },
});
