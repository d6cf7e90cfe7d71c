/** What `window.__stepsLlm` offers the browser tests (see testHook.ts). Free of DOM types. */
export interface LlmTestHook {
  /** Stops the local model's worker as a GPU reset would; false when no local model is loaded. */
  simulateDeviceLoss(): boolean;
  /** Worker restarts after device losses, for the chosen local model. */
  restarts(): number;
}
