// Light or dark: the system's preference (prefers-color-scheme) until the user picks one, which
// is kept in the settings store. app.css gives every colour for both through `light-dark()`; the
// choice sets `color-scheme` on the document through its data-theme attribute.
import { getSetting, putSetting } from '../../storage/settingsStore';

export type ThemeName = 'light' | 'dark';

const THEME_SETTING = 'theme';
const darkQuery = () => matchMedia('(prefers-color-scheme: dark)');

export class Theme {
  #chosen = $state<ThemeName | null>(null);
  #systemDark = $state(darkQuery().matches);
  readonly #onSystemChange = (event: MediaQueryListEvent) => (this.#systemDark = event.matches);

  constructor() {
    darkQuery().addEventListener('change', this.#onSystemChange);
  }

  /** The theme shown. */
  get current(): ThemeName {
    return this.#chosen ?? (this.#systemDark ? 'dark' : 'light');
  }

  /** Reads the stored choice, if any. */
  async restore(): Promise<void> {
    const stored = await getSetting<ThemeName>(THEME_SETTING);
    if (stored === 'light' || stored === 'dark') this.#apply(stored);
  }

  async choose(theme: ThemeName): Promise<void> {
    this.#apply(theme);
    await putSetting(THEME_SETTING, theme);
  }

  dispose(): void {
    darkQuery().removeEventListener('change', this.#onSystemChange);
  }

  #apply(theme: ThemeName) {
    this.#chosen = theme;
    document.documentElement.dataset.theme = theme;
  }
}
