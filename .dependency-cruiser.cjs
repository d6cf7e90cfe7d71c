// The architecture's import rules, checked by `npm run check` (dependency-cruiser):
// ui → workers → llm / storage → core, and nothing in production code from tests, benchmarks or
// scripts. tests/unit/architecture.test.ts runs these rules on a fixture tree with one forbidden
// import, so a rule that stopped matching would fail there.

/** The npm packages core may use: pure parsers, no DOM and no I/O. */
const corePackages = [
  'hyparquet',
  'hyparquet-compressors',
  'hyparquet-writer',
  'client-zip',
  'papaparse',
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment:
        'src/core runs in Node and in workers: it imports only src/core and the pure parsers ' +
        `(${corePackages.join(', ')}), no other layer, no DOM and no Node I/O module.`,
      severity: 'error',
      from: { path: '^src/core/' },
      to: {
        pathNot: ['^src/core/', `^node_modules/(@types/)?(${corePackages.join('|')})/`],
      },
    },
    {
      name: 'llm-and-storage-below-workers',
      comment: 'src/llm and src/storage are used by workers and the UI, never the other way round.',
      severity: 'error',
      from: { path: '^src/(llm|storage)/' },
      to: { path: '^(workers|src/ui)/' },
    },
    {
      name: 'llm-not-storage',
      comment: 'The model layer does not persist anything itself: the UI stores what it chooses.',
      severity: 'error',
      from: { path: '^src/llm/' },
      to: { path: '^src/storage/' },
    },
    {
      name: 'storage-not-llm',
      comment: 'Storage stays generic: it knows records and settings, not the model layer.',
      severity: 'error',
      from: { path: '^src/storage/' },
      to: { path: '^src/llm/' },
    },
    {
      name: 'workers-below-ui',
      comment: 'Workers and their bridges know nothing of the UI that calls them.',
      severity: 'error',
      from: { path: '^workers/' },
      to: { path: '^src/ui/' },
    },
    {
      name: 'cli-without-browser',
      comment: 'The steps CLI runs in Node: no UI, no web workers, no IndexedDB storage.',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^(src/ui|workers|src/storage)/' },
    },
    {
      name: 'node-llama-cpp-in-node-only',
      comment:
        'node-llama-cpp is native Node code: only its adapter imports it, and only the CLI the ' +
        'adapter, so no browser bundle ever reaches it.',
      severity: 'error',
      from: { pathNot: '^src/llm/nodeLlamaCppEngine\\.ts$' },
      to: { path: '^node_modules/node-llama-cpp/' },
    },
    {
      name: 'node-llama-cpp-adapter-for-the-cli',
      comment: 'The GGUF adapter for Node (src/llm/nodeLlamaCppEngine.ts) serves the CLI alone.',
      severity: 'error',
      from: { pathNot: '^src/cli/' },
      to: { path: '^src/llm/nodeLlamaCppEngine\\.ts$' },
    },
    {
      name: 'nothing-imports-the-cli',
      comment: 'The CLI is an entry point of its own, like the app: no other layer builds on it.',
      severity: 'error',
      from: { path: '^(src/(core|llm|storage|ui)|workers)/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'production-not-tests',
      comment: 'Tests, benchmarks and scripts use the app; the app never uses them.',
      severity: 'error',
      from: { path: '^(src|workers)/' },
      to: { path: '^(tests|bench|scripts)/' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle makes two modules one: split out what both need.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules may be a symbolic link (shared checkouts); its packages keep their npm paths.
    preserveSymlinks: true,
    // Type-only imports count: a type from another layer is an arrow too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.svelte'],
      conditionNames: ['import', 'browser', 'default'],
    },
  },
};
