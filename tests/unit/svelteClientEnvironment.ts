// The environment of the specs beside the code (src/**/*.spec.ts): Node, but with modules
// transformed as for the browser, so `.svelte.ts` modules compile to Svelte's client runtime, where
// runes react (a Node transform compiles them for server rendering, where they do not).
import type { Environment } from 'vitest/environments';

export default {
  name: 'svelte-client',
  viteEnvironment: 'client',
  setup: () => ({ teardown() {} }),
} satisfies Environment;
