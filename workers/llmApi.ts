import type { ChatRequest, ChatResult } from '../src/llm/engine';
import type { DownloadProgress } from '../src/llm/transformersEngine';

export interface LoadModelContent {
  /** Hub id, or the folder name of a model served by this app (`localModelBase`). */
  model: string;
  device: 'webgpu' | 'wasm';
  /** Weights variant (`q4`, `q4f16` …); omitted: the model's own config decides. */
  dtype?: 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16';
  /**
   * Path (on this page's origin, e.g. `/fixture-models/`) of the folder holding `<model>/`: the
   * test fixture. Omitted: the model comes from the Hugging Face hub through the browser cache.
   */
  localModelBase?: string;
}

/**
 * What the transformers.js worker answers. `generate` streams text pieces as progress when
 * `stream` is set; aborting it (the protocol's `abort`, not a worker termination, so the loaded
 * model survives) ends it after the current token with `finish_reason: 'abort'`.
 */
export type LlmApi = {
  load: { content: LoadModelContent; progress: DownloadProgress; result: null };
  generate: {
    content: { request: ChatRequest; stream: boolean };
    progress: string;
    result: ChatResult;
  };
  /** Tokens of each text by the loaded model's tokenizer. */
  countTokens: { content: { texts: string[] }; progress: never; result: number[] };
};
