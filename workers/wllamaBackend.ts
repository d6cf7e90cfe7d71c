// The wllama side of one GGUF model: the LocalBackend that src/llm/localEngine.ts drives. wllama
// runs llama.cpp in a worker it starts itself (from a blob); this class creates wllama, finds the
// model's bytes (the picked file, wllama's cache, or a download into it), checks them before
// anything is loaded, and turns a crash of that worker into the failure LocalEngine recovers from.
import { Wllama, type Model } from '@wllama/wllama';
import wllamaWasmUrl from '@wllama/wllama/esm/wasm/wllama.wasm?url';
import type { ChatOptions, ChatRequest, ChatResult } from '../src/llm/engine';
import { GgufFileNeededError, GpuDeviceLostError } from '../src/llm/errors';
import type { LocalBackend } from '../src/llm/localEngine';
import type { MachineInfo } from '../src/llm/machine';
import type { DownloadProgress } from '../src/llm/transformersEngine';
import { forgetGguf, keepGgufCopy } from '../src/llm/wllamaCache';
import { classifyWllamaLoadFailure, wllamaChat } from '../src/llm/wllamaEngine';
import {
  checkGgufBlob,
  checkGgufFits,
  ggufName,
  ggufUrl,
  wllamaDeviceLabel,
  type GgufSource,
  type WllamaDevice,
} from '../src/llm/wllamaModels';
import { WorkerCrashedError } from './bridge';

export interface WllamaSpec {
  source: GgufSource;
  /** The picked file of a `file` source, while this page has it. */
  file: File | null;
  device: WllamaDevice;
  threads: number;
  machine: MachineInfo;
}

/** Tokens of context: the prompt (examples included) and the answer. */
const CONTEXT_TOKENS = 4096;
/** Lines of llama.cpp's log kept for explaining a failed load. */
const LOG_LINES = 200;

export class WllamaBackend implements LocalBackend {
  readonly #spec: WllamaSpec;
  readonly #name: string;
  #wllama: Wllama | null = null;
  #log: string[] = [];
  /** Why the last worker ended: a crash took the model with it. */
  #crash: WorkerCrashedError | null = null;
  /** Rejects every pending call when the worker is stopped (wllama would wait on a dead one). */
  #stopped: ((reason: Error) => void) | null = null;
  #stoppedPromise: Promise<never> = new Promise<never>(() => {});
  readonly #untilStopped = <T>(work: Promise<T>): Promise<T> =>
    Promise.race([work, this.#stoppedPromise]);

  constructor(spec: WllamaSpec) {
    this.#spec = spec;
    this.#name = ggufName(spec.source);
  }

  get device(): string {
    return wllamaDeviceLabel(this.#spec.device, this.#spec.threads);
  }

  async load(onProgress?: (progress: DownloadProgress) => void): Promise<void> {
    const wllama = this.#start();
    let receivedBytes = false;
    try {
      const blobs = await this.#blobs(wllama, (progress) => {
        receivedBytes ||= progress.loadedBytes > 0;
        onProgress?.(progress);
      });
      await this.#untilStopped(
        wllama.loadModel(blobs, {
          n_ctx: CONTEXT_TOKENS,
          n_threads: this.#spec.threads,
          n_gpu_layers: this.#spec.device === 'webgpu' ? 999 : 0,
        }),
      );
    } catch (error) {
      throw classifyWllamaLoadFailure(error, {
        model: this.#name,
        receivedBytes,
        log: this.#log,
      });
    }
  }

  async chat(request: ChatRequest, options: ChatOptions): Promise<ChatResult> {
    const wllama = this.#wllama;
    if (!wllama?.isModelLoaded()) {
      if (this.#crash) throw new GpuDeviceLostError(undefined, { cause: this.#crash });
      throw new Error(`${this.#name} is not loaded.`);
    }
    try {
      return await this.#untilStopped(
        wllamaChat(wllama, { model: this.#name, device: this.device }, request, options),
      );
    } catch (error) {
      if (error instanceof WorkerCrashedError) {
        throw new GpuDeviceLostError(undefined, { cause: error });
      }
      throw error;
    }
  }

  terminate(reason: Error = new Error('The wllama worker was stopped.')): void {
    void this.#wllama?.exit();
    this.#wllama = null;
    this.#crash = reason instanceof WorkerCrashedError ? reason : null;
    this.#stopped?.(reason);
  }

  #start(): Wllama {
    this.terminate();
    this.#log = [];
    const remember = (...args: unknown[]) => {
      this.#log.push(args.map(String).join(' '));
      if (this.#log.length > LOG_LINES) this.#log.shift();
    };
    const wllama: Wllama = new Wllama(
      { default: wllamaWasmUrl },
      {
        allowOffline: true,
        parallelDownloads: 1,
        logger: {
          debug: remember,
          log: remember,
          warn: remember,
          // wllama hands its worker's `error` event here: the worker (and the model) is gone.
          error: (...args: unknown[]) => {
            remember(...args);
            const [first] = args;
            if (first instanceof ErrorEvent && wllama === this.#wllama) {
              this.terminate(new WorkerCrashedError(first.message));
            }
          },
        },
      },
    );
    this.#stoppedPromise = new Promise<never>((_resolve, reject) => {
      this.#stopped = reject;
    });
    this.#stoppedPromise.catch(() => {});
    this.#wllama = wllama;
    return wllama;
  }

  /** The model's files, checked: GGUF, and small enough for this machine. */
  async #blobs(wllama: Wllama, onProgress: (progress: DownloadProgress) => void): Promise<Blob[]> {
    const { source, file, machine } = this.#spec;
    const cache = wllama.cacheManager;
    if (source.kind === 'file' && file) {
      await checkGgufBlob(file, source.name);
      checkGgufFits(file.size, source.name, machine);
      if (source.keptCopy) await keepGgufCopy(cache, source, file);
      return [file];
    }
    const url = ggufUrl(source);
    let model: Model;
    if (source.kind === 'file') {
      const kept = (await wllama.modelManager.getModels()).find((m) => m.url === url);
      if (!kept) throw GgufFileNeededError.forFile(source.name);
      model = kept;
    } else {
      try {
        model = await wllama.modelManager.getModelOrDownload(
          { url },
          {
            progressCallback: ({ loaded, total }) =>
              onProgress({ loadedBytes: loaded, totalBytes: total }),
          },
        );
      } catch (error) {
        // A download that broke off leaves nothing behind: the next attempt starts over.
        await forgetGguf(cache, source).catch(() => {});
        throw error;
      }
    }
    const blobs = await model.open();
    const bytes = blobs.reduce((sum, blob) => sum + blob.size, 0);
    try {
      await checkGgufBlob(blobs[0], this.#name);
    } catch (error) {
      await forgetGguf(cache, source);
      throw error;
    }
    checkGgufFits(bytes, this.#name, machine);
    return blobs;
  }
}
