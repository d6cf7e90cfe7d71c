// The real `steps inspect` command, run as a child process.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
