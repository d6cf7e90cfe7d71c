import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'public/',
      'tests/fixtures/',
      'test-results/',
      'playwright-report/',
      // Caches the tests and scripts write (the bundled CLI, the test model).
      '.cache/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    // Workers are started only by their bridges in workers/: dependency-cruiser cannot see a
    // worker reached through `new Worker(new URL(…))`, so this keeps that arrow one way too.
    files: ['src/**/*.ts', 'src/**/*.svelte'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'NewExpression[callee.name=/^(Shared)?Worker$/]',
          message: 'Start workers only through a bridge in workers/ (workers/bridges.ts).',
        },
      ],
    },
  },
);
