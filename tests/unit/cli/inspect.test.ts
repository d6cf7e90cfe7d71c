// The real `steps inspect` command: run as a child process, and in this process for the hostile files.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../../src/cli/args';
import { runInspect } from '../../../src/cli/inspect';
import { errorMessage } from '../../../src/core/errorMessage';
import { sharedPath } from '../../sharedData';
import { steps } from './runSteps';

describe('steps inspect', () => {
  it('prints the import report of IFEval as JSON', async () => {
    const { stdout } = await steps('inspect', sharedPath('data', 'ifeval', 'input_data.jsonl'));
    expect(JSON.parse(stdout)).toEqual({
      format: 'jsonl',
      shape: 'ifeval',
      tagField: 'instruction_id_list',
      delimiter: null,
      rows: 541,
      kept: 541,
      tagged: 541,
      skills: 25,
      tagsPerSample: { 1: 312, 2: 182, 3: 47 },
      rejected: [],
      rejectedNotListed: 0,
      duplicateIds: 0,
      droppedTags: [],
      droppedTagsNotListed: 0,
    });
  });

  it('takes another tag field and delimiter', async () => {
    const { stdout } = await steps(
      'inspect',
      sharedPath('data', 'instruct_skillmix', 'ism_sda_k2_1000.json'),
      '--tags',
      'query_type',
      '--delimiter',
      ';',
    );
    expect(JSON.parse(stdout)).toMatchObject({
      tagField: 'query_type',
      delimiter: ';',
      skills: 16,
    });
  });

  it('exits 1 with the message on stderr for a broken file', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'steps-inspect-'));
    const path = join(folder, 'empty.jsonl');
    writeFileSync(path, '');
    const failure = await steps('inspect', path).then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 1, stdout: '' });
    expect(failure?.stderr.trim()).toBe('steps inspect: empty.jsonl is empty');
  });
});

/** A run of `steps inspect` on a file of tests/fixtures/hostile/ and what it must print. */
interface HostileCase {
  about: string;
  file: string;
  args: string[];
  exitCode: number;
  /** The report on stdout, when the file can be imported. */
  report?: unknown;
  /** The message on stderr, when it cannot. */
  stderr?: string;
}

const hostile = join('tests', 'fixtures', 'hostile');
const hostileCases = readdirSync(hostile)
  .filter((name) => name.endsWith('.expected.json'))
  .map((name) => ({
    name: name.slice(0, -'.expected.json'.length),
    ...(JSON.parse(readFileSync(join(hostile, name), 'utf8')) as HostileCase),
  }));

/**
 * The inspect command in this process: a child process per case (as above) would cost a second
 * of start-up each. What steps.ts adds, `steps inspect: ` before the message and exit status 1
 * for any error but a usage error, is checked on a broken file above.
 */
async function inspectHere(args: string[]) {
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((text: string) => printed.push(text));
  try {
    await runInspect(args);
    return { exitCode: 0, stdout: printed.join('\n'), stderr: '' };
  } catch (error) {
    const exitCode = error instanceof UsageError ? 2 : 1;
    return {
      exitCode,
      stdout: printed.join('\n'),
      stderr: `steps inspect: ${errorMessage(error)}`,
    };
  } finally {
    log.mockRestore();
  }
}

describe('steps inspect on hostile files (tests/fixtures/hostile/)', () => {
  it('has a case for every file', () => {
    const files = readdirSync(hostile).filter((name) => !name.endsWith('.expected.json'));
    expect(new Set(hostileCases.map((c) => c.file))).toEqual(new Set(files));
  });

  it.each(hostileCases)('$name: $about', async (expected) => {
    const run = await inspectHere([join(hostile, expected.file), ...expected.args]);
    expect(run.exitCode).toBe(expected.exitCode);
    if (expected.report === undefined) {
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(expected.stderr);
    } else {
      expect(JSON.parse(run.stdout)).toEqual(expected.report);
    }
  });
});
