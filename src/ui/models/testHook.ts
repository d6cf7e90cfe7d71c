// Lets the browser tests reach the model manager's engine: a GPU reset cannot be caused on
// purpose, so the tests simulate one (the worker is stopped mid-generation, as a lost device
// stops it). Installed only when the page URL carries `?e2e=1`.
import { LocalEngine } from '../../llm/localEngine';
import type { ModelManager } from './modelManager.svelte';
import type { LlmTestHook } from './testHookApi';

declare global {
  interface Window {
    __stepsLlm?: LlmTestHook;
  }
}

export function installLlmTestHook(manager: ModelManager): void {
  if (new URLSearchParams(location.search).get('e2e') !== '1') return;
  window.__stepsLlm = {
    simulateDeviceLoss() {
      const engine = manager.engine;
      if (!(engine instanceof LocalEngine)) return false;
      engine.simulateDeviceLoss();
      return true;
    },
    restarts: () => (manager.engine instanceof LocalEngine ? manager.engine.restarts : 0),
  };
}
