/// <reference types="vite-plugin-pwa/vanillajs" />
// The page's side of the service worker (src/sw.ts): its registration, the one reload that makes
// a page cross-origin isolated, and the prompt when a new version of the app is waiting. The dev
// server registers no worker (vite-plugin-pwa's register is a no-op there).
import { registerSW } from 'virtual:pwa-register';

/** Marks a tab that has had its isolating reload (sessionStorage: one tab, until it closes). */
const ISOLATION_RELOAD = 'steps-studio.isolationReload';

/**
 * Reloads the page when it is not cross-origin isolated though the service worker is active
 * (a hard reload bypasses the worker): the reloaded page comes through the worker, which adds
 * COOP and COEP. At most once per tab, so a browser that ignores those headers never loops.
 * True when the page is reloading (the caller then starts nothing). On the very first visit the
 * worker is not active yet: that page stays as it is (a reload in the middle of work would lose
 * it) and the next load is isolated.
 */
export async function reloadForIsolation(): Promise<boolean> {
  if (crossOriginIsolated || !('serviceWorker' in navigator)) return false;
  if (sessionStorage.getItem(ISOLATION_RELOAD) !== null) return false;
  const registration = await navigator.serviceWorker.getRegistration();
  if (!registration?.active) return false;
  sessionStorage.setItem(ISOLATION_RELOAD, 'done');
  location.reload();
  return true;
}

/** Whether a new version of the app waits, and the way into it. */
export class AppUpdate {
  #waiting = $state(false);
  #activate: (() => Promise<void>) | null = null;

  get waiting() {
    return this.#waiting;
  }

  /** Registers the service worker; a new version found later sets `waiting`. */
  register(): void {
    this.#activate = registerSW({ onNeedRefresh: () => (this.#waiting = true) });
  }

  /** Lets the waiting version take over; the page reloads into it once it does. */
  async reload(): Promise<void> {
    await this.#activate?.();
  }
}

export const appUpdate = new AppUpdate();
