// The models this app recommends, as data: current instruct models (no base models, no
// single-language builds), best first, and the ranking that picks from them what fits a machine.
// Sizes are never written here for WebLLM: they come from WebLLM's own records
// (`vram_required_MB` of prebuiltAppConfig, through webLlmModels.ts), and an id that the
// installed WebLLM does not list is never offered. GGUF files name their Hugging Face repository
// and file, with the size the hub lists (decimal units).
import type { WebLlmModel } from './webLlmModels';

/** A WebLLM model line, best first within the catalogue; `id` without its quantisation. */
export interface WebLlmCatalogueEntry {
  /** The id up to the quantisation, e.g. `Qwen3-4B` for `Qwen3-4B-q4f16_1-MLC`. */
  id: string;
  /** Models of one line are alternatives: at most one of them is recommended. */
  line: string;
  /** A reasoning model whose thinking the engines turn off (Qwen3: `enable_thinking: false`). */
  thinks: boolean;
}

const webLlm = (id: string, line: string, thinks = false): WebLlmCatalogueEntry => ({
  id,
  line,
  thinks,
});

/** Best first: by quality for synthesis, then smaller (faster) within a line. */
export const webLlmCatalogue: WebLlmCatalogueEntry[] = [
  webLlm('Qwen3.5-9B', 'Qwen3.5', true),
  webLlm('Qwen3-8B', 'Qwen3', true),
  webLlm('Qwen3.5-4B', 'Qwen3.5', true),
  webLlm('Qwen3-4B', 'Qwen3', true),
  webLlm('Phi-4-mini-instruct', 'Phi-4'),
  webLlm('gemma-4-E2B-it', 'Gemma'),
  webLlm('Llama-3.2-3B-Instruct', 'Llama 3.2'),
  webLlm('Qwen3.5-2B', 'Qwen3.5', true),
  webLlm('Qwen3-1.7B', 'Qwen3', true),
  webLlm('SmolLM2-1.7B-Instruct', 'SmolLM2'),
  webLlm('gemma3-1b-it', 'Gemma'),
  webLlm('Llama-3.2-1B-Instruct', 'Llama 3.2'),
  webLlm('Qwen3.5-0.8B', 'Qwen3.5', true),
  webLlm('Qwen3-0.6B', 'Qwen3', true),
  webLlm('SmolLM2-360M-Instruct', 'SmolLM2'),
];

/** Whether WebLLM should be asked to skip the model's thinking. */
export function webLlmThinks(modelId: string): boolean {
  return webLlmCatalogue.some((entry) => entry.thinks && modelId.startsWith(`${entry.id}-`));
}

/**
 * Up to `count` WebLLM models for a machine: the best catalogue entries whose build fits
 * `fits`, one per line, in the 4-bit build with 16-bit activations when the adapter has
 * `shader-f16` (smaller and faster) and with 32-bit ones otherwise. `models` is WebLLM's own list.
 */
export function rankWebLlmModels(
  models: readonly WebLlmModel[],
  shaderF16: boolean,
  fits: (model: WebLlmModel) => boolean,
  count = 3,
): WebLlmModel[] {
  const build = shaderF16 ? 'q4f16_1' : 'q4f32_1';
  const byId = new Map(models.map((model) => [model.modelId, model]));
  const lines = new Set<string>();
  const chosen: WebLlmModel[] = [];
  for (const entry of webLlmCatalogue) {
    if (chosen.length === count) break;
    const model = byId.get(`${entry.id}-${build}-MLC`);
    if (!model || lines.has(entry.line) || !fits(model)) continue;
    lines.add(entry.line);
    chosen.push(model);
  }
  return chosen;
}

/** A GGUF file of a Hugging Face repository, for wllama. */
export interface GgufCatalogueEntry {
  label: string;
  parameters: string;
  repo: string;
  file: string;
  /** As the hub lists it. */
  bytes: number;
  /** A reasoning model (its thinking is turned off). */
  thinks: boolean;
}

/**
 * Small current instruct models, smallest first: WASM makes a few tokens a second per billion.
 * Sizes as the hub's file listings show them (the Qwen3 one as LM Studio lists its Q8_0 build).
 */
export const ggufCatalogue: GgufCatalogueEntry[] = [
  {
    label: 'SmolLM2 135M Instruct (Q8_0)',
    parameters: '135M',
    repo: 'HuggingFaceTB/SmolLM2-135M-Instruct-GGUF',
    file: 'smollm2-135m-instruct-q8_0.gguf',
    bytes: 145e6,
    thinks: false,
  },
  {
    label: 'SmolLM2 360M Instruct (Q8_0)',
    parameters: '360M',
    repo: 'HuggingFaceTB/SmolLM2-360M-Instruct-GGUF',
    file: 'smollm2-360m-instruct-q8_0.gguf',
    bytes: 386e6,
    thinks: false,
  },
  {
    label: 'Qwen3 0.6B (Q8_0, thinking off)',
    parameters: '0.6B',
    repo: 'Qwen/Qwen3-0.6B-GGUF',
    file: 'Qwen3-0.6B-Q8_0.gguf',
    bytes: 805e6,
    thinks: true,
  },
  {
    label: 'Gemma 3 1B it (Q4_K_M)',
    parameters: '1B',
    repo: 'unsloth/gemma-3-1b-it-GGUF',
    file: 'gemma-3-1b-it-Q4_K_M.gguf',
    bytes: 806e6,
    thinks: false,
  },
  {
    label: 'Llama 3.2 1B Instruct (Q4_K_M)',
    parameters: '1B',
    repo: 'bartowski/Llama-3.2-1B-Instruct-GGUF',
    file: 'Llama-3.2-1B-Instruct-Q4_K_M.gguf',
    bytes: 808e6,
    thinks: false,
  },
];

/**
 * GGUF files recommended here: on the processor only those up to about half a billion
 * parameters' worth of bytes (WASM is slow beyond), on a graphics card all that fit memory.
 */
export function recommendedGguf(onGpu: boolean, memoryBytes: number): GgufCatalogueEntry[] {
  const limit = onGpu ? memoryBytes / 1.2 : 700e6;
  return ggufCatalogue.filter((entry) => entry.bytes <= limit);
}
