// Builds the engine for the chosen model. WebLLM's code (several megabytes) and wllama's are
// loaded only when a model of theirs is chosen.
import {
  GgufFileNeededError,
  WebGpuUnavailableError,
  ModelLoadError,
  ShaderF16UnsupportedError,
} from '../../llm/errors';
import { LocalEngine, type LocalEngineStatus } from '../../llm/localEngine';
import type { MachineInfo } from '../../llm/machine';
import { loadApiKey, type ModelChoice } from '../../llm/modelChoice';
import { OpenAiEngine } from '../../llm/openAiEngine';
import { webLlmChatModels } from '../../llm/webLlmModels';
import { wllamaThreads } from '../../llm/wllamaModels';
import { TransformersWorkerBackend } from '../../../workers/transformersBackend';

export type AppEngine = LocalEngine | OpenAiEngine;

/** `ggufFile`: the GGUF file the user picked in this page, for a `wllama` choice of a file. */
export async function engineForChoice(
  choice: ModelChoice,
  machine: MachineInfo,
  onStatus: (status: LocalEngineStatus, error: unknown) => void,
  ggufFile: File | null = null,
): Promise<AppEngine> {
  if (choice.engine === 'openai') {
    return new OpenAiEngine({
      baseUrl: choice.baseUrl,
      model: choice.model,
      apiKey: loadApiKey(choice.baseUrl),
      concurrency: choice.concurrency,
    });
  }
  const gpu = machine.gpu;
  if (choice.engine === 'transformers') {
    if (choice.device === 'webgpu' && !gpu) throw new WebGpuUnavailableError();
    const backend = new TransformersWorkerBackend({
      model: choice.model,
      device: choice.device,
      dtype: choice.dtype,
      // A path, not a URL: transformers.js skips its local lookup for http(s) URLs.
      localModelBase: choice.fixture
        ? new URL('fixture-models/', document.baseURI).pathname
        : undefined,
    });
    const info = {
      kind: 'transformers',
      model: choice.model,
      capabilities: { jsonSchema: false, seed: 'exact' },
    } as const;
    return new LocalEngine(info, backend, onStatus);
  }
  if (choice.engine === 'wllama') {
    const { source, device } = choice;
    if (device === 'webgpu' && !gpu) throw new WebGpuUnavailableError();
    if (source.kind === 'file' && !ggufFile && !source.keptCopy) {
      throw GgufFileNeededError.forFile(source.name);
    }
    const { WllamaBackend } = await import('../../../workers/wllamaBackend');
    const backend = new WllamaBackend({
      source,
      file: ggufFile,
      device,
      threads: wllamaThreads(globalThis.crossOriginIsolated, machine.cores),
      machine,
    });
    const info = {
      kind: 'wllama',
      model: choice.model,
      capabilities: { jsonSchema: true, seed: 'exact' },
    } as const;
    return new LocalEngine(info, backend, onStatus);
  }
  if (!gpu) throw new WebGpuUnavailableError();
  const [{ prebuiltAppConfig }, { WebLlmBackend }] = await Promise.all([
    import('@mlc-ai/web-llm'),
    import('../../../workers/webLlmBackend'),
  ]);
  const model = webLlmChatModels(prebuiltAppConfig, true).find((m) => m.modelId === choice.model);
  if (!model) throw new ModelLoadError(`WebLLM has no chat model "${choice.model}".`);
  if (model.needsF16 && !gpu.shaderF16) throw ShaderF16UnsupportedError.forModel(choice.model);
  const info = {
    kind: 'webllm',
    model: choice.model,
    capabilities: { jsonSchema: true, seed: 'exact' },
  } as const;
  return new LocalEngine(info, new WebLlmBackend(model, gpu.maxStorageBufferBindingSize), onStatus);
}
