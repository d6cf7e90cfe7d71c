import { defineConfig, type Plugin } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA, type VitePWAOptions } from 'vite-plugin-pwa';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';

/**
 * The test fixture models (tests/fixtures/models/) at `fixture-models/` on the page's own origin:
 * the dev server serves them, and a build copies them into dist/ only with `--mode test`.
 */
function fixtureModels(): Plugin {
  const root = resolve('tests/fixtures/models');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? files(resolve(dir, entry.name)) : [resolve(dir, entry.name)],
    );
  let testBuild = false;
  return {
    name: 'steps-fixture-models',
    configResolved(config) {
      testBuild = config.command === 'build' && config.mode === 'test';
    },
    configureServer(server) {
      server.middlewares.use('/fixture-models', (request, response, next) => {
        const file = resolve(root, `.${decodeURIComponent(request.url?.split('?')[0] ?? '/')}`);
        if (!file.startsWith(root + sep) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
          return next();
        }
        response.setHeader(
          'Content-Type',
          file.endsWith('.json') ? 'application/json' : 'application/octet-stream',
        );
        createReadStream(file).pipe(response);
      });
    },
    generateBundle() {
      if (!testBuild) return;
      if (!existsSync(root)) this.error(`${root} is missing: run \`npm run fixture:model\`.`);
      for (const file of files(root)) {
        const name = relative(root, file).split(sep).join('/');
        this.emitFile({
          type: 'asset',
          fileName: `fixture-models/${name}`,
          source: readFileSync(file),
        });
      }
    },
  };
}

/**
 * The browser tests' hooks (tests/e2e/hooks/) as module scripts of index.html, in test builds
 * only (`--mode test`): Vite bundles them into the app's own module graph, and production
 * sources contain no test code.
 */
function testHooks(): Plugin {
  let testMode = false;
  return {
    name: 'steps-test-hooks',
    configResolved(config) {
      testMode = config.mode === 'test';
    },
    transformIndexHtml: {
      // Before Vite reads the page's scripts, so that it bundles the added one too.
      order: 'pre',
      handler() {
        if (!testMode) return;
        return [
          {
            tag: 'script',
            attrs: { type: 'module', src: '/tests/e2e/hooks/storageHook.ts' },
            injectTo: 'body',
          },
        ];
      },
    },
  };
}

/**
 * The Content-Security-Policy of every built page (production and test builds alike, so every
 * browser test runs under it), as a `<meta http-equiv>`: it works on any static host. The dev
 * server goes without it (its client reaches back over a WebSocket). A meta policy cannot set
 * frame-ancestors, and governs the page only: workers started from a URL follow their own
 * response's headers (README.md, "Hosting").
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  // No inline or injected script; WebAssembly (transformers.js, WebLLM, wllama) compiles.
  "script-src 'self' 'wasm-unsafe-eval'",
  // The app's workers come from its own files; wllama builds its worker from a blob: URL.
  "worker-src 'self' blob:",
  // Svelte's styles are built into CSS files, and `style:` sets properties through the CSSOM.
  "style-src 'self'",
  "img-src 'self' data: blob:",
  // Hub downloads (huggingface.co and its CDN hosts, raw.githubusercontent.com for WebLLM's model
  // libraries) are https, and an OpenAI-compatible endpoint is whatever host the user names: any
  // https host, or a plain http one (a local or LAN server; the endpoint form warns about those
  // beyond localhost). A list of hosts would refuse the endpoints, so only schemes are listed.
  "connect-src 'self' https: http:",
  "object-src 'none'",
  "base-uri 'none'",
  // Forms here are handled by the page and never submitted anywhere.
  "form-action 'none'",
].join('; ');

function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'steps-content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy },
        // Before anything the policy governs.
        injectTo: 'head-prepend',
      },
    ],
  };
}

/** The files of WebLLM's code (its library chunk and its worker), found as they are bundled. */
const webLlmFiles = new Set<string>();

function findWebLlmFiles(): Plugin {
  return {
    name: 'steps-webllm-files',
    generateBundle(_, bundle) {
      for (const file of Object.values(bundle)) {
        if (
          file.type === 'chunk' &&
          file.moduleIds.some((id) => id.includes('/@mlc-ai/web-llm/'))
        ) {
          webLlmFiles.add(file.fileName);
        }
      }
    },
  };
}

/**
 * The app as an offline PWA: src/sw.ts is the service worker (injectManifest, since it also adds
 * the COOP/COEP headers to what it serves), with every file of the build in its list: the shell,
 * the workers, every WebAssembly file (onnxruntime's is 27 MB) and the demo corpus. WebLLM's code
 * (12 MB) is marked lazy: it runs only with models from the hub, so it is cached when first
 * loaded, online, and a WebLLM model downloaded then works offline too.
 */
const offlineApp: Partial<VitePWAOptions> = {
  strategies: 'injectManifest',
  srcDir: 'src',
  filename: 'sw.ts',
  // src/ui/shell/serviceWorker.svelte.ts registers it, in builds only.
  injectRegister: false,
  manifest: {
    name: 'STEPS Studio',
    short_name: 'STEPS Studio',
    description:
      'Turn a skill-tagged instruction corpus into compositionally harder training data, in the browser.',
    start_url: './',
    scope: './',
    display: 'standalone',
    theme_color: '#1f4e8c',
    background_color: '#ffffff',
    icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' }],
  },
  injectManifest: {
    // The web app manifest and its icon are added by the plugin itself.
    globPatterns: ['**/*.{html,js,css,wasm}', 'demo/*.jsonl'],
    // Test builds serve the fixture model here; it is fetched, never cached.
    globIgnores: ['fixture-models/**'],
    maximumFileSizeToCacheInBytes: 48 * 1024 * 1024,
    manifestTransforms: [
      async (entries) => ({
        manifest: entries.map((entry) =>
          webLlmFiles.has(entry.url) ? Object.assign(entry, { lazy: true }) : entry,
        ),
      }),
    ],
    rollupFormat: 'iife',
  },
};

/** The app's version, shown in exported dataset cards (src/ui/dataset/appVersion.ts). */
const appVersion = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string })
  .version;

export default defineConfig({
  plugins: [
    svelte(),
    fixtureModels(),
    testHooks(),
    contentSecurityPolicyMeta(),
    findWebLlmFiles(),
    VitePWA(offlineApp),
  ],
  define: { __APP_VERSION__: JSON.stringify(appVersion) },
  // Relative asset paths: the static build works from any sub-path of a static host.
  base: './',
  worker: { format: 'es', plugins: () => [findWebLlmFiles()] },
  build: { target: 'es2022', sourcemap: true },
  test: {
    environment: 'node',
    // Guards against hangs, not speed checks: real models and CLI runs take minutes on a loaded
    // 2-core machine.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    globalSetup: ['tests/unit/cli/bundleCli.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        // Specs beside the code (`*.svelte.spec.ts`) run Svelte's client runtime, where runes react.
        extends: true,
        test: {
          name: 'spec',
          include: ['src/**/*.spec.ts'],
          environment: './tests/unit/svelteClientEnvironment.ts',
        },
      },
    ],
  },
});
