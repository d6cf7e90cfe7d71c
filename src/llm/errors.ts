// The failures users hit with local models, one class each (after web-llm's error.ts). Each says
// what happened in plain words and offers ways out; the UI shows the message and one button per
// way out. Errors cross worker boundaries as {name, message}; `restoreLlmError` rebuilds them.
import { errorMessage } from '../core/errorMessage';

/** What the user can do about a failure; the model manager turns each into a button or link. */
export type WayOut =
  | 'use-wasm'
  | 'use-endpoint'
  | 'choose-smaller-model'
  | 'choose-cached-model'
  | 'free-storage'
  | 'clear-and-retry'
  | 'retry'
  | 'choose-gguf-file';

const errorWaysOut = {
  WebGpuUnavailableError: ['use-wasm', 'use-endpoint'],
  ShaderF16UnsupportedError: ['choose-smaller-model', 'use-wasm'],
  ModelTooLargeError: ['choose-smaller-model', 'use-wasm', 'use-endpoint'],
  StorageQuotaError: ['free-storage', 'choose-smaller-model'],
  ShardDownloadError: ['clear-and-retry'],
  GpuDeviceLostError: ['retry', 'use-wasm'],
  ModelNotCachedOfflineError: ['choose-cached-model', 'retry', 'use-endpoint'],
  ModelLoadError: ['retry', 'choose-smaller-model'],
  EndpointError: ['retry'],
  EndpointReportedError: ['retry', 'use-endpoint'],
  EndpointAnswerShapeError: ['use-endpoint', 'retry'],
  EndpointStreamCutError: ['retry'],
  NotGgufFileError: ['choose-gguf-file'],
  UnsupportedArchitectureError: ['choose-gguf-file', 'use-endpoint'],
  GgufFileNeededError: ['choose-gguf-file'],
} as const satisfies Record<string, readonly WayOut[]>;

export type LlmErrorName = keyof typeof errorWaysOut;

export class LlmError extends Error {
  override readonly name: LlmErrorName;
  readonly waysOut: readonly WayOut[];

  constructor(name: LlmErrorName, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = name;
    this.waysOut = errorWaysOut[name];
  }
}

/** No WebGPU adapter (browser without WebGPU, or GPU blocklisted). */
export class WebGpuUnavailableError extends LlmError {
  constructor(
    message = 'This browser offers no WebGPU, so models cannot run on the graphics card. ' +
      'Run a small model on the processor instead (WASM, slower), or connect an ' +
      'OpenAI-compatible server.',
    options?: ErrorOptions,
  ) {
    super('WebGpuUnavailableError', message, options);
  }
}

/** The model's kernels use 16-bit floats and the GPU lacks `shader-f16`. */
export class ShaderF16UnsupportedError extends LlmError {
  constructor(message: string, options?: ErrorOptions) {
    super('ShaderF16UnsupportedError', message, options);
  }

  static forModel(model: string, options?: ErrorOptions): ShaderF16UnsupportedError {
    return new ShaderF16UnsupportedError(
      `${model} needs 16-bit float shaders (the WebGPU feature shader-f16), which this graphics ` +
        'card or browser does not offer. Choose a "q4f32" model, or run on the processor (WASM).',
      options,
    );
  }
}

/** The model does not fit the GPU: a buffer above the device limit, or memory ran out loading. */
export class ModelTooLargeError extends LlmError {
  constructor(message: string, options?: ErrorOptions) {
    super('ModelTooLargeError', message, options);
  }
}

/** The browser refused to store more (QuotaExceededError). */
export class StorageQuotaError extends LlmError {
  constructor(
    message = 'The browser has no room left to store this model (storage quota exceeded). Delete ' +
      'downloaded models you no longer need, free disk space, or choose a smaller model.',
    options?: ErrorOptions,
  ) {
    super('StorageQuotaError', message, options);
  }
}

/** A file of the model failed to download or was corrupt; the partial download must be cleared. */
export class ShardDownloadError extends LlmError {
  constructor(message: string, options?: ErrorOptions) {
    super('ShardDownloadError', message, options);
  }
}

/** The GPU device was lost (driver reset, sleep, out of memory) while the model was in use. */
export class GpuDeviceLostError extends LlmError {
  constructor(
    message = 'The graphics card stopped responding (WebGPU device lost). The model was restarted ' +
      'automatically; run the request again. If this keeps happening, run on the processor ' +
      '(WASM) or choose a smaller model.',
    options?: ErrorOptions,
  ) {
    super('GpuDeviceLostError', message, options);
  }
}

/** The model is not in this browser's cache and the network cannot be reached. */
export class ModelNotCachedOfflineError extends LlmError {
  constructor(message: string, options?: ErrorOptions) {
    super('ModelNotCachedOfflineError', message, options);
  }

  static forModel(model: string, options?: ErrorOptions): ModelNotCachedOfflineError {
    return new ModelNotCachedOfflineError(
      `${model} is not cached and offline: it has not been downloaded to this browser yet and ` +
        'the network cannot be reached. Connect to the internet and try again, or choose a ' +
        'model that is already downloaded.',
      options,
    );
  }
}

/** Any other failure while loading a model (missing files, unsupported architecture …). */
export class ModelLoadError extends LlmError {
  constructor(message: string, options?: ErrorOptions) {
    super('ModelLoadError', message, options);
  }
}

/** An OpenAI-compatible server refused or failed a request (after any retries). */
export class EndpointError extends LlmError {
  readonly status: number | null;

  constructor(message: string, status: number | null = null, options?: ErrorOptions) {
    super('EndpointError', message, options);
    this.status = status;
  }
}

/** An OpenAI-compatible server answered (HTTP 200) with an error in place of a completion. */
export class EndpointReportedError extends LlmError {
  /** The server's own words. */
  readonly serverMessage: string;

  constructor(message: string, serverMessage = '', options?: ErrorOptions) {
    super('EndpointReportedError', message, options);
    this.serverMessage = serverMessage;
  }

  static from(url: string, serverMessage: string, options?: ErrorOptions): EndpointReportedError {
    return new EndpointReportedError(
      `The server at ${url} answered with an error instead of a completion: ${serverMessage}. ` +
        "Check the model name and the server's log, then try again.",
      serverMessage,
      options,
    );
  }
}

/** An OpenAI-compatible server's answer lacks `choices` or is otherwise not a chat completion. */
export class EndpointAnswerShapeError extends LlmError {
  constructor(message: string, options?: ErrorOptions) {
    super('EndpointAnswerShapeError', message, options);
  }

  static from(url: string, problem: string, answer: string): EndpointAnswerShapeError {
    return new EndpointAnswerShapeError(
      `The server at ${url} answered with something that is not a chat completion (${problem}): ` +
        `${answer.slice(0, 200)}. Is it an OpenAI-compatible server? The base URL usually ends ` +
        'in /v1.',
    );
  }
}

/** The connection to an OpenAI-compatible server broke off before its answer was complete. */
export class EndpointStreamCutError extends LlmError {
  constructor(message: string, options?: ErrorOptions) {
    super('EndpointStreamCutError', message, options);
  }
}

// GGUF models (wllama): the file itself is the model, so its failures name the file.

/** The file does not start with the GGUF magic bytes: not a llama.cpp model file. */
export class NotGgufFileError extends LlmError {
  constructor(message: string, options?: ErrorOptions) {
    super('NotGgufFileError', message, options);
  }

  static forFile(file: string, options?: ErrorOptions): NotGgufFileError {
    return new NotGgufFileError(
      `${file} is not a GGUF model file (it does not begin with the bytes "GGUF"). Choose a ` +
        '.gguf file, as llama.cpp, Ollama and LM Studio use.',
      options,
    );
  }
}

/** llama.cpp (as built into wllama) does not know the model's architecture. */
export class UnsupportedArchitectureError extends LlmError {
  constructor(message: string, options?: ErrorOptions) {
    super('UnsupportedArchitectureError', message, options);
  }
}

/** A GGUF file picked in an earlier visit: a page cannot reopen a local file by itself. */
export class GgufFileNeededError extends LlmError {
  constructor(message: string, options?: ErrorOptions) {
    super('GgufFileNeededError', message, options);
  }

  static forFile(file: string, options?: ErrorOptions): GgufFileNeededError {
    return new GgufFileNeededError(
      `${file} was picked from this computer in an earlier visit, and browsers do not let a page ` +
        'open a local file again by itself. Pick the file again (or tick "keep a copy" when ' +
        'picking it, to keep it in the browser).',
      options,
    );
  }
}

function isLlmErrorName(name: string): name is LlmErrorName {
  return Object.hasOwn(errorWaysOut, name);
}

const classes: Record<LlmErrorName, new (message: string) => LlmError> = {
  WebGpuUnavailableError,
  ShaderF16UnsupportedError,
  ModelTooLargeError,
  StorageQuotaError,
  ShardDownloadError,
  GpuDeviceLostError,
  ModelNotCachedOfflineError,
  ModelLoadError,
  EndpointError,
  EndpointReportedError,
  EndpointAnswerShapeError,
  EndpointStreamCutError,
  NotGgufFileError,
  UnsupportedArchitectureError,
  GgufFileNeededError,
};

/**
 * Rebuilds an error that crossed a worker boundary as {name, message}: an LlmError of the same
 * name gets its class (and its ways out) back; anything else is returned unchanged.
 */
export function restoreLlmError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof LlmError || !isLlmErrorName(error.name)) {
    return error;
  }
  return new classes[error.name](error.message);
}

/** True for the DOMException a browser raises when a write does not fit its storage quota. */
export function isQuotaExceeded(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'QuotaExceededError' ||
      /QuotaExceededError|quota (?:has been )?exceeded/i.test(error.message))
  );
}

/** True for a fetch that failed before any HTTP answer (offline, DNS, refused, CORS). */
export function isNetworkFailure(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    /Failed to fetch|NetworkError|Load failed|fetch failed|network/i.test(error.message)
  );
}

export interface LoadFailureContext {
  model: string;
  /** Whether any of the model's bytes came over the network in this attempt. */
  receivedBytes: boolean;
}

/**
 * Turns a raw failure while downloading or loading a model (from transformers.js, WebLLM,
 * onnxruntime or the browser) into the LlmError the user can act on.
 */
export function classifyLoadFailure(error: unknown, context: LoadFailureContext): Error {
  if (error instanceof LlmError) return error;
  const options = { cause: error };
  const name = error instanceof Error ? error.name : '';
  const message = errorMessage(error);
  if (isQuotaExceeded(error)) return new StorageQuotaError(undefined, options);
  if (name === 'WebGPUNotAvailableError' || name === 'WebGPUNotFoundError') {
    return new WebGpuUnavailableError(undefined, options);
  }
  if (name === 'ShaderF16SupportError')
    return ShaderF16UnsupportedError.forModel(context.model, options);
  if (name === 'DeviceLostError' || /out of memory|Failed to allocate|OOM/i.test(message)) {
    return new ModelTooLargeError(
      `The graphics card ran out of memory while loading ${context.model}. Choose a smaller ` +
        'model, close other tabs that use the GPU, or run on the processor (WASM).',
      options,
    );
  }
  if (isNetworkFailure(error) || name === 'NetworkError') {
    return context.receivedBytes
      ? new ShardDownloadError(
          `The download of ${context.model} broke off (${message}). Clear the partial download ` +
            'and try again.',
          options,
        )
      : ModelNotCachedOfflineError.forModel(context.model, options);
  }
  if (
    name === 'IntegrityError' ||
    /Error \(5\d\d\) occurred while trying to load file/.test(message)
  ) {
    return new ShardDownloadError(
      `A file of ${context.model} could not be downloaded intact (${message}). Clear the ` +
        'partial download and try again.',
      options,
    );
  }
  return new ModelLoadError(`${context.model} could not be loaded: ${message}`, options);
}
