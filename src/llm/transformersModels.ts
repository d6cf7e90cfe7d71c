// Real chat models that transformers.js runs in the browser (ONNX builds on the Hugging Face
// hub), and the tiny test fixture. Sizes are of the ONNX weights file of each variant, as the
// hub's file listings show them (decimal MB/GB; the tokenizer files add 2–11 MB); they could not
// be downloaded here to measure, so each entry names its source.
//   q4    4-bit weights, 32-bit float activations: runs on WASM and on any WebGPU adapter.
//   q4f16 4-bit weights, 16-bit float activations: smaller and faster, needs WebGPU shader-f16.

export type TransformersDtype = 'q4' | 'q4f16' | 'fp32';

export interface TransformersModel {
  model: string;
  label: string;
  /** Parameters, for the user to compare with other lists. */
  parameters: string;
  bytes: Partial<Record<TransformersDtype, number>>;
  source: string;
  /** The test fixture, served by the app itself (test builds and the developer setting only). */
  fixture?: true;
}

export const transformersModels: TransformersModel[] = [
  {
    model: 'HuggingFaceTB/SmolLM2-135M-Instruct',
    label: 'SmolLM2 135M Instruct',
    parameters: '135M',
    bytes: { q4: 200e6, q4f16: 134e6 },
    source: 'https://huggingface.co/HuggingFaceTB/SmolLM2-135M-Instruct/tree/main/onnx',
  },
  {
    model: 'HuggingFaceTB/SmolLM2-360M-Instruct',
    label: 'SmolLM2 360M Instruct',
    parameters: '360M',
    bytes: { q4: 417e6, q4f16: 299e6 },
    source: 'https://huggingface.co/HuggingFaceTB/SmolLM2-360M-Instruct/tree/main/onnx',
  },
  {
    // Qwen3 with thinking: the app turns it off through the chat template where it can, and
    // strips a <think> block before parsing. The hub listing could not be read here for sizes.
    model: 'onnx-community/Qwen3-0.6B-ONNX',
    label: 'Qwen3 0.6B',
    parameters: '0.6B',
    bytes: {},
    source: 'https://huggingface.co/onnx-community/Qwen3-0.6B-ONNX/tree/main/onnx',
  },
  {
    model: 'onnx-community/Qwen2.5-0.5B-Instruct',
    label: 'Qwen2.5 0.5B Instruct',
    parameters: '494M',
    bytes: { q4: 786e6, q4f16: 483e6 },
    source: 'https://huggingface.co/onnx-community/Qwen2.5-0.5B-Instruct/tree/main/onnx',
  },
  {
    model: 'onnx-community/Qwen2.5-1.5B-Instruct',
    label: 'Qwen2.5 1.5B Instruct',
    parameters: '1.5B',
    bytes: { q4: 1.79e9, q4f16: 1.22e9 },
    source: 'https://huggingface.co/onnx-community/Qwen2.5-1.5B-Instruct/tree/main/onnx',
  },
];

/** The fixture model of tests/fixtures/models/, served at `fixture-models/` in test builds. */
export const fixtureModel: TransformersModel = {
  model: 'steps-fixture',
  label: 'STEPS test fixture (tiny, for tests only)',
  parameters: '0.95M',
  bytes: { fp32: 6.2e6 },
  source: 'tests/fixtures/models/steps-fixture (npm run fixture:model)',
  fixture: true,
};

/** The variant to load: 16-bit activations where the GPU has them, else 32-bit ones. */
export function transformersDtype(
  model: TransformersModel,
  device: 'webgpu' | 'wasm',
  shaderF16: boolean,
): TransformersDtype {
  if (model.fixture) return 'fp32';
  return device === 'webgpu' && shaderF16 && model.bytes.q4f16 ? 'q4f16' : 'q4';
}
