// The `steps` dispatcher and the error style every command shares, as real child processes.
import { describe, expect, it } from 'vitest';
import { stepsSync } from './runSteps';

const commandList =
  'usage: steps <inspect|graph|tree|entropy|combos|compare|synthesize|export> [args]';

describe('steps', () => {
  it('exits 2 with the list of commands for no command, an unknown one or an inherited name', () => {
    for (const args of [[], ['transform'], ['constructor'], ['__proto__'], ['toString']]) {
      const run = stepsSync(...args);
      expect(run, `steps ${args.join(' ')}`).toMatchObject({ status: 2, stdout: '' });
      expect(run.stderr.trim()).toBe(commandList);
    }
  });

  it('every command names an unknown option and prints its usage, exiting 2', () => {
    for (const command of [
      'inspect',
      'graph',
      'tree',
      'entropy',
      'combos',
      'compare',
      'synthesize',
    ]) {
      const run = stepsSync(command, '--colour', 'red');
      expect(run, command).toMatchObject({ status: 2, stdout: '' });
      expect(run.stderr).toMatch(
        new RegExp(`^steps ${command}: unknown option "--colour"; usage: steps ${command} `),
      );
    }
  });
});
