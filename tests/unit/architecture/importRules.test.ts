// The import rules of .dependency-cruiser.cjs (run over src/ and workers/ by `npm run check`),
// applied to a tiny tree laid out like the app (tests/fixtures/architecture/) in which every
// import follows the rules but one: the model layer reaching up into a worker. The rule for it
// fires and no other does, so the check can neither pass silently nor flag allowed arrows.
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const configFile = fileURLToPath(new URL('../../../.dependency-cruiser.cjs', import.meta.url));
const fixtureTree = fileURLToPath(new URL('../../fixtures/architecture', import.meta.url));

it('flags the one import that runs against the arrows, and nothing else', async () => {
  const options = await extractDepcruiseOptions(configFile);
  const { output } = await cruise(['src', 'workers'], {
    ...options,
    baseDir: fixtureTree,
    validate: true,
  });
  const { modules, summary } = output as ICruiseResult;
  expect(modules.map((module) => module.source).sort()).toEqual([
    'src/core/skills.ts',
    'src/llm/engine.ts',
    'src/llm/workerBackend.ts',
    'src/storage/settings.ts',
    'src/ui/page.ts',
    'workers/model.worker.ts',
  ]);
  expect(summary.violations.map(({ rule, from, to }) => ({ rule: rule.name, from, to }))).toEqual([
    {
      rule: 'llm-and-storage-below-workers',
      from: 'src/llm/workerBackend.ts',
      to: 'workers/model.worker.ts',
    },
  ]);
});
