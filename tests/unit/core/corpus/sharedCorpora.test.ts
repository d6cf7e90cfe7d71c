// The real third-party corpora in /work/shared/data, imported from disk as the CLI does.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusFileFromPath } from '../../../../src/cli/corpusFile';
import { importCorpus } from '../../../../src/core/corpus/importCorpus';
import type { Sample } from '../../../../src/core/corpus/sample';
import { sharedPath } from '../../../sharedData';

async function importShared(...parts: string[]) {
  const samples: Sample[] = [];
  const report = await importCorpus(await corpusFileFromPath(sharedPath('data', ...parts)), {
    onBatch: (batch) => {
      samples.push(...batch);
    },
  });
  return { report, samples };
}

describe('shared corpora', () => {
  it('IFEval: 541 prompts tagged with 25 instruction ids', async () => {
    const { report, samples } = await importShared('ifeval', 'input_data.jsonl');
    expect(report).toMatchObject({
      format: 'jsonl',
      shape: 'ifeval',
      tagField: 'instruction_id_list',
      rows: 541,
      kept: 541,
      tagged: 541,
      skills: 25,
      rejected: [],
    });
    // SOURCE.md gives 305/179/57 rows with 1/2/3 ids, counting every id in the list. Some rows
    // repeat an id (key 1203: keywords:frequency twice, with different kwargs); a sample's skills
    // are distinct, so those rows have one skill fewer. Both histograms are checked here.
    const idCounts: Record<string, number> = {};
    for (const line of readFileSync(sharedPath('data', 'ifeval', 'input_data.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)) {
      const ids = (JSON.parse(line) as { instruction_id_list: string[] }).instruction_id_list;
      idCounts[ids.length] = (idCounts[ids.length] ?? 0) + 1;
    }
    expect(idCounts).toEqual({ 1: 305, 2: 179, 3: 57 });
    expect(report.tagsPerSample).toEqual({ 1: 312, 2: 182, 3: 47 });

    expect(report.skillCounts[0]).toEqual(['punctuation:no_comma', 66]);
    const first = samples[0];
    expect(first.id).toBe('1000');
    expect(first.source).toBe('input_data.jsonl:1');
    expect(first.messages).toHaveLength(1);
    expect(first.messages[0].role).toBe('user');
    expect(first.messages[0].content).toMatch(/^Write a 300\+ word summary/);
    expect(first.skills).toEqual([
      'punctuation:no_comma',
      'detectable_format:number_highlighted_sections',
      'length_constraints:number_words',
    ]);
    expect(samples.find((s) => s.id === '1203')?.skills).toEqual(['keywords:frequency']);
  });

  it('Instruct-SkillMix: 1000 rows (a JSON array), two skills each', async () => {
    const { report, samples } = await importShared('instruct_skillmix', 'ism_sda_k2_1000.json');
    expect(report).toMatchObject({
      format: 'json',
      shape: 'instruct-skillmix',
      tagField: 'skills_joined_str',
      delimiter: ',',
      rows: 1000,
      kept: 1000,
      tagged: 1000,
      skills: 942,
      tagsPerSample: { 2: 1000 },
      rejected: [],
    });
    expect(samples[0].skills).toEqual(['patina_application', 'historical_linguistics_research']);
    expect(samples[0].messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    // The pretty-printed array puts each element's "{" on its own line: 1 + 8 per element.
    expect(samples[0].source).toBe('ism_sda_k2_1000.json:2');
    expect(samples[1].source).toBe('ism_sda_k2_1000.json:10');
  });

  it('Alpaca 5000: untagged, input appended to the instruction', async () => {
    const { report, samples } = await importShared('alpaca_5000', 'alpaca_5000.json');
    expect(report).toMatchObject({
      format: 'json',
      shape: 'alpaca',
      tagField: null,
      rows: 5000,
      kept: 5000,
      tagged: 0,
      skills: 0,
      tagsPerSample: { 0: 5000 },
      rejected: [],
    });
    expect(samples[0].id).toBe('row-1');
    expect(samples[0].messages).toEqual([
      {
        role: 'user',
        content:
          'Are the two sentences below grammatically correct? Output yes or no.\n\nSentence 1: I am going to the store.\nSentence 2: I goes to the store.',
      },
      { role: 'assistant', content: 'No' },
    ]);
    expect(samples[1].messages[0].content).toBe('Arrange the following musical notes\n\nG, B, E');
  });

  it('WizardLM test set: one Skill per row, 29 skills', async () => {
    const { report, samples } = await importShared('wizardlm_testset', 'WizardLM_testset.jsonl');
    expect(report).toMatchObject({
      format: 'jsonl',
      shape: 'generic',
      textFields: ['Instruction'],
      tagField: 'Skill',
      rows: 218,
      kept: 218,
      tagged: 218,
      skills: 29,
      tagsPerSample: { 1: 218 },
    });
    expect(report.skillCounts.slice(0, 2)).toEqual([
      ['Math', 19],
      ['Code Generation', 18],
    ]);
    expect(samples[0]).toEqual({
      id: '1',
      messages: [
        {
          role: 'user',
          content:
            'If a car travels 120 miles in 2 hours, what is its average speed in miles per hour?',
        },
      ],
      skills: ['Math'],
      source: 'WizardLM_testset.jsonl:1',
    });
  });

  it('Skill-Mix skills.csv: 10 rows, category as the tag field', async () => {
    const { report, samples } = await importShared('skill_mix', 'skills.csv');
    expect(report).toMatchObject({
      format: 'csv',
      shape: 'generic',
      tagField: 'category',
      delimiter: null,
      rows: 10,
      kept: 10,
      tagged: 10,
      skills: 6,
      rejected: [],
    });
    // `skill` is offered too, but each row names a different one, so it is not the guess.
    expect(report.tagFieldCandidates.map((c) => c.field)).toContain('skill');
    expect(samples[0].source).toBe('skills.csv#1');
    expect(samples[0].skills).toEqual(['reasoning']);
  });
});
