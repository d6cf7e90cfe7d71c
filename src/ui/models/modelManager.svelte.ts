// State of the model manager (#/model): the capability check, the models this machine can run,
// the downloaded ones, the chosen model and its engine (download with progress, errors with a
// way out), and a trial prompt that streams the model's answer into the page.
import type { AppConfig } from '@mlc-ai/web-llm';
import type { CacheManager } from '@wllama/wllama';
import { conversationSchema } from '../../core/synthesis/synthesisRun';
import { detectMachine } from '../../llm/detectMachine';
import type { ChatResult } from '../../llm/engine';
import { engineForChoice, type AppEngine } from './engineForChoice';
import { LlmError, type WayOut } from '../../llm/errors';
import { LocalEngine, type LocalEngineStatus } from '../../llm/localEngine';
import {
  assessWebLlmModels,
  machineVerdict,
  memoryBudgetBytes,
  recommendedTransformersModels,
  type MachineInfo,
  type Verdict,
} from '../../llm/machine';
import { deleteCachedModel, listCachedModels, type CachedModel } from '../../llm/modelCache';
import {
  isApiKeyRemembered,
  isModelChoice,
  loadApiKey,
  saveApiKey,
  type ModelChoice,
} from '../../llm/modelChoice';
import type { DownloadProgress } from '../../llm/transformersEngine';
import {
  fixtureModel,
  transformersDtype,
  transformersModels,
  type TransformersModel,
} from '../../llm/transformersModels';
import { webLlmChatModels, type WebLlmModel } from '../../llm/webLlmModels';
import { ggufCatalogue, recommendedGguf, type GgufCatalogueEntry } from '../../llm/modelCatalogue';
import {
  deleteCachedGguf,
  forgetGguf,
  listCachedGguf,
  type CachedGguf,
} from '../../llm/wllamaCache';
import {
  defaultWllamaDevice,
  ggufName,
  ggufUrl,
  wllamaDeviceLabel,
  wllamaThreads,
  type GgufSource,
  type WllamaDevice,
} from '../../llm/wllamaModels';
import { getSetting, putSetting } from '../../storage/settingsStore';

export type EngineStatus = LocalEngineStatus;

export interface AssessedWebLlmModel {
  model: WebLlmModel;
  fits: boolean;
  recommended: boolean;
}

export interface Download {
  loadedBytes: number;
  totalBytes: number;
  bytesPerSecond: number;
  /** Seconds left; null until there is a rate and a total. */
  etaSeconds: number | null;
}

export interface Trial {
  running: boolean;
  output: string;
  pieces: number;
  result: ChatResult | null;
}

const FIXTURE_SETTING = 'steps-studio.developer.fixtureModel';
/** Where the chosen model is remembered, in the settings store. */
const MODEL_CHOICE_SETTING = 'llm.modelChoice';

/**
 * The fixture model is listed in test builds (`vite build --mode test`, which also serves its
 * files), and in the dev server behind the developer setting; never in a normal build.
 */
export const fixtureSettingAvailable = import.meta.env.DEV;

export class ModelManager {
  #machine = $state.raw<MachineInfo | null>(null);
  #checking = $state(false);
  #webLlm = $state.raw<{ config: AppConfig; models: AssessedWebLlmModel[] } | null>(null);
  #cached = $state.raw<CachedModel[]>([]);
  #choice = $state.raw<ModelChoice | null>(null);
  #engine = $state.raw<AppEngine | null>(null);
  #status = $state<EngineStatus>('idle');
  #download = $state.raw<Download | null>(null);
  #error = $state.raw<Error | null>(null);
  #trial = $state.raw<Trial>({ running: false, output: '', pieces: 0, result: null });
  #trialAbort: AbortController | null = null;
  #fixtureSetting = $state(localStorage.getItem(FIXTURE_SETTING) === 'on');
  /** The GGUF file picked in this page (a page cannot reopen it after a reload). */
  #ggufFile: File | null = null;
  #ggufCached = $state.raw<CachedGguf[]>([]);
  #wllamaCache: Promise<CacheManager> | null = null;

  get machine() {
    return this.#machine;
  }
  get checking() {
    return this.#checking;
  }
  get verdict(): Verdict | null {
    return this.#machine ? machineVerdict(this.#machine) : null;
  }
  get webLlmModels(): AssessedWebLlmModel[] {
    return this.#webLlm?.models ?? [];
  }
  get cached() {
    return this.#cached;
  }
  get choice() {
    return this.#choice;
  }
  get engine() {
    return this.#engine;
  }
  get status() {
    return this.#status;
  }
  get download() {
    return this.#download;
  }
  get error() {
    return this.#error;
  }
  get waysOut(): readonly WayOut[] {
    return this.#error instanceof LlmError ? this.#error.waysOut : ['retry'];
  }
  get trial() {
    return this.#trial;
  }
  get fixtureSetting() {
    return this.#fixtureSetting;
  }
  /** GGUF files in wllama's cache, incomplete downloads included. */
  get ggufCached() {
    return this.#ggufCached;
  }

  /** The GGUF catalogue, the files recommended here, and where and how wllama would run. */
  get gguf(): {
    models: GgufCatalogueEntry[];
    recommended: string[];
    device: WllamaDevice;
    threads: number;
    crossOriginIsolated: boolean;
  } {
    const machine = this.#machine;
    const device = machine ? defaultWllamaDevice(machine) : 'wasm';
    const recommended = machine
      ? recommendedGguf(device === 'webgpu', memoryBudgetBytes(machine)).map((m) => m.file)
      : [];
    return {
      models: ggufCatalogue,
      recommended,
      device,
      threads: wllamaThreads(globalThis.crossOriginIsolated, machine?.cores ?? 1),
      crossOriginIsolated: globalThis.crossOriginIsolated,
    };
  }

  /**
   * Bytes the chosen model will write to this browser's storage when loaded, as its catalogue
   * entry states them; null when nothing is to be stored (cached, a file read in place, a server)
   * or the size is not known (WebLLM states GPU memory, not download size).
   */
  get downloadBytes(): number | null {
    const choice = this.#choice;
    switch (choice?.engine) {
      case 'transformers': {
        if (choice.fixture || this.#cached.some((c) => c.model === choice.model)) return null;
        const model = transformersModels.find((m) => m.model === choice.model);
        return model?.bytes[choice.dtype] ?? null;
      }
      case 'wllama': {
        const { source } = choice;
        if (this.#ggufCached.some((c) => c.url === ggufUrl(source) && !c.incomplete)) return null;
        if (source.kind === 'file') return source.keptCopy ? source.bytes : null;
        const url = ggufUrl(source);
        const entry = ggufCatalogue.find(
          (m) => ggufUrl({ kind: 'hub', repo: m.repo, file: m.file }) === url,
        );
        return entry?.bytes ?? null;
      }
      default:
        return null;
    }
  }

  /** Real models, plus the fixture where it is available, and the ids recommended here. */
  get transformersModels(): { models: TransformersModel[]; recommended: string[] } {
    const showFixture =
      import.meta.env.MODE === 'test' || (import.meta.env.DEV && this.#fixtureSetting);
    const models = showFixture ? [...transformersModels, fixtureModel] : transformersModels;
    const machine = this.#machine;
    return {
      models,
      recommended: machine ? [...recommendedTransformersModels(machine, models)] : [],
    };
  }

  /**
   * The remembered choice and its engine, at start-up. A local model is not loaded yet: that
   * happens on its first request (or with "Download and load" here).
   */
  async restoreChoice(): Promise<void> {
    const stored = await getSetting<unknown>(MODEL_CHOICE_SETTING);
    if (this.#choice || !isModelChoice(stored)) return; // the user chose meanwhile, or never did
    this.#choice = stored;
    await this.#buildEngine();
  }

  /** The capability check, then WebLLM's list filtered for the adapter found. */
  async check(): Promise<void> {
    this.#checking = true;
    try {
      const machine = await detectMachine();
      this.#machine = machine;
      if (machine.gpu) {
        const { prebuiltAppConfig } = await import('@mlc-ai/web-llm');
        const models = webLlmChatModels(prebuiltAppConfig, machine.gpu.shaderF16);
        this.#webLlm = { config: prebuiltAppConfig, models: assessWebLlmModels(machine, models) };
      }
      await this.refreshCached();
    } finally {
      this.#checking = false;
    }
  }

  async refreshCached(): Promise<void> {
    const [cached, gguf] = await Promise.all([
      listCachedModels(this.#webLlm?.config ?? null),
      this.#openWllamaCache().then(listCachedGguf),
    ]);
    this.#cached = cached;
    this.#ggufCached = gguf;
  }

  async deleteCachedGguf(entry: CachedGguf): Promise<void> {
    const choice = this.#choice;
    if (choice?.engine === 'wllama' && ggufUrl(choice.source) === entry.url) this.#dropEngine();
    await deleteCachedGguf(await this.#openWllamaCache(), entry);
    await this.refreshCached();
  }

  /** wllama's cache (its code is loaded on first use). */
  #openWllamaCache(): Promise<CacheManager> {
    this.#wllamaCache ??= import('@wllama/wllama').then(({ CacheManager }) => new CacheManager());
    return this.#wllamaCache;
  }

  async deleteCached(entry: CachedModel): Promise<void> {
    const choice = this.#choice;
    if (choice && choice.engine === entry.engine && choice.model === entry.model)
      this.#dropEngine();
    await deleteCachedModel(entry, this.#webLlm?.config ?? null);
    await this.refreshCached();
  }

  chooseTransformers(model: TransformersModel, device: 'webgpu' | 'wasm'): Promise<void> {
    const shaderF16 = this.#machine?.gpu?.shaderF16 ?? false;
    return this.choose({
      engine: 'transformers',
      model: model.model,
      label: `${model.label} (transformers.js, ${device === 'webgpu' ? 'WebGPU' : 'WASM'})`,
      device,
      dtype: transformersDtype(model, device, shaderF16),
      fixture: model.fixture === true,
    });
  }

  chooseWebLlm(model: WebLlmModel): Promise<void> {
    return this.choose({
      engine: 'webllm',
      model: model.modelId,
      label: `${model.modelId} (WebLLM)`,
    });
  }

  /**
   * A GGUF model for wllama: a picked file (`file` is the File itself), a URL or a hub file. A
   * picked file's copy is kept in wllama's cache only when `source.keptCopy` asks for it.
   */
  chooseGguf(source: GgufSource, device: WllamaDevice, file: File | null = null): Promise<void> {
    this.#ggufFile = file;
    const where = wllamaDeviceLabel(device, this.gguf.threads);
    return this.choose({
      engine: 'wllama',
      model: ggufName(source),
      label: `${ggufName(source)} (wllama, ${where})`,
      source,
      device,
    });
  }

  /** Uses the server; its key is kept for this session, or on this device with `rememberKey`. */
  chooseEndpoint(
    baseUrl: string,
    model: string,
    apiKey: string,
    rememberKey: boolean,
    concurrency: number,
  ): Promise<void> {
    saveApiKey(baseUrl, apiKey, rememberKey);
    return this.choose({
      engine: 'openai',
      model,
      label: `${model} at ${baseUrl}`,
      baseUrl,
      concurrency,
    });
  }

  apiKeyFor(baseUrl: string): string {
    return loadApiKey(baseUrl);
  }

  isApiKeyRemembered(baseUrl: string): boolean {
    return isApiKeyRemembered(baseUrl);
  }

  /** Remembers the choice and builds its engine; local models load on `load()`. */
  async choose(choice: ModelChoice): Promise<void> {
    this.#dropEngine();
    this.#choice = choice;
    await putSetting(MODEL_CHOICE_SETTING, choice);
    await this.#buildEngine();
  }

  /** Downloads (if needed) and loads the chosen local model, with progress. */
  async load(): Promise<void> {
    if (!this.#engine) await this.#buildEngine();
    const engine = this.#engine;
    if (!(engine instanceof LocalEngine)) return;
    this.#error = null;
    const startedAt = performance.now();
    this.#download = { loadedBytes: 0, totalBytes: 0, bytesPerSecond: 0, etaSeconds: null };
    try {
      await engine.load((progress) => this.#progress(progress, startedAt));
      // A download (or a kept copy of a picked file) is now in the cache.
      if (engine.kind === 'wllama') await this.refreshCached();
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#download = null;
    }
  }

  /** One of the error's ways out that acts right here (the others are links in the page). */
  async retry(clearFirst: boolean): Promise<void> {
    const choice = this.#choice;
    if (!choice) return;
    this.#dropEngine();
    if (clearFirst && choice.engine === 'wllama') {
      await forgetGguf(await this.#openWllamaCache(), choice.source);
    } else if (clearFirst) {
      const entry = this.#cached.find(
        (c) => c.engine === choice.engine && c.model === choice.model,
      );
      if (entry) await deleteCachedModel(entry, this.#webLlm?.config ?? null);
    }
    await this.#buildEngine();
    await this.load();
    await this.refreshCached();
  }

  /**
   * Runs a prompt on the chosen model (greedy), streaming the answer into `trial.output`; with
   * `asConversation`, the answer is asked for in the synthesis run's conversation format
   * (constrained where the engine can).
   */
  async runTrial(
    system: string,
    prompt: string,
    maxTokens: number,
    asConversation = false,
  ): Promise<void> {
    const engine = this.#engine;
    if (!engine || this.#trial.running) return;
    this.#error = null;
    this.#trialAbort = new AbortController();
    let output = '';
    let pieces = 0;
    this.#trial = { running: true, output, pieces, result: null };
    try {
      const result = await engine.chat(
        {
          messages: [
            ...(system.trim() ? [{ role: 'system' as const, content: system }] : []),
            { role: 'user', content: prompt },
          ],
          temperature: 0,
          max_tokens: maxTokens,
          ...(asConversation
            ? { response_format: { type: 'json_object', schema: conversationSchema } as const }
            : {}),
        },
        {
          signal: this.#trialAbort.signal,
          onToken: (piece) => {
            output += piece;
            pieces++;
            this.#trial = { running: true, output, pieces, result: null };
          },
        },
      );
      this.#trial = { running: false, output: result.text, pieces, result };
    } catch (error) {
      this.#trial = { running: false, output, pieces, result: null };
      this.#fail(error);
    } finally {
      this.#trialAbort = null;
    }
  }

  cancelTrial(): void {
    this.#trialAbort?.abort();
  }

  setFixtureSetting(on: boolean): void {
    this.#fixtureSetting = on;
    if (on) localStorage.setItem(FIXTURE_SETTING, 'on');
    else localStorage.removeItem(FIXTURE_SETTING);
  }

  async #buildEngine(): Promise<void> {
    const choice = this.#choice;
    if (!choice) return;
    this.#error = null;
    this.#status = 'idle';
    try {
      this.#machine ??= await detectMachine();
      this.#engine = await engineForChoice(
        choice,
        this.#machine,
        (status, error) => {
          this.#status = status;
          if (error) this.#fail(error);
        },
        this.#ggufFile,
      );
      if (this.#engine instanceof LocalEngine) return;
      this.#status = 'ready';
    } catch (error) {
      this.#fail(error);
    }
  }

  #dropEngine(): void {
    if (this.#engine instanceof LocalEngine) this.#engine.dispose();
    this.#engine = null;
    this.#status = 'idle';
    this.#error = null;
  }

  #progress(progress: DownloadProgress, startedAt: number): void {
    const seconds = (performance.now() - startedAt) / 1000;
    const bytesPerSecond = seconds > 0 ? progress.loadedBytes / seconds : 0;
    const left = progress.totalBytes - progress.loadedBytes;
    this.#download = {
      ...progress,
      bytesPerSecond,
      etaSeconds: bytesPerSecond > 0 && progress.totalBytes > 0 ? left / bytesPerSecond : null,
    };
  }

  #fail(error: unknown): void {
    this.#error = error instanceof Error ? error : new Error(String(error));
  }
}
