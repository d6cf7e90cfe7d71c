// The browser half of `npm run bench:model` (bench/browser/modelSpeed.ts): the browser tests'
// Chromium, with no web server of the tests (it serves its own build) and no time limit.
import { defineConfig } from '@playwright/test';
import browserTests from '../playwright.config';

export default defineConfig({
  ...browserTests,
  testDir: 'browser',
  testMatch: /modelSpeed\.ts$/,
  timeout: 0,
  webServer: undefined,
});
