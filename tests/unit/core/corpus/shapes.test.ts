// Row layouts and tag fields, on small in-test corpora.
import { describe, expect, it } from 'vitest';
import { importCorpus, type ImportOptions } from '../../../../src/core/corpus/importCorpus';
import { parsePythonLiteral } from '../../../../src/core/corpus/pythonLiteral';
import type { Sample } from '../../../../src/core/corpus/sample';
import { jsonl, memoryFile } from './corpusFiles';

async function importRows(name: string, content: string, options: ImportOptions = {}) {
  const samples: Sample[] = [];
  const report = await importCorpus(memoryFile(name, content), {
    ...options,
    onBatch: (batch) => {
      samples.push(...batch);
    },
  });
  return { report, samples };
}

const infinityRows = [
  {
    id: 'inf-1',
    conversations: [
      { from: 'human', value: 'Sort [3, 1, 2].' },
      { from: 'gpt', value: '[1, 2, 3]' },
    ],
    label:
      "{'ability_en': ['programming ability', 'logical reasoning', 'programming ability'], 'ability_zh': ['编程能力'], 'cate_ability_en': ['programming'], 'cate_ability_zh': ['编程'], 'reviewed': True, 'score': None}",
  },
  {
    id: 'inf-2',
    conversations: [
      { from: 'system', value: "You answer in one word, don't you?" },
      { from: 'human', value: 'Capital of France?' },
      { from: 'gpt', value: 'Paris' },
    ],
    label: '{"ability_en": ["geography knowledge"], "cate_ability_en": ["open knowledge q&a"]}',
  },
  {
    id: 'inf-3',
    conversations: [
      { from: 'human', value: 'Say "hi".' },
      { from: 'gpt', value: 'hi' },
    ],
    label: { ability_en: ['instruction following'], cate_ability_en: ['task generation'] },
  },
  {
    id: 'inf-4',
    conversations: [{ from: 'human', value: 'Broken label.' }],
    label: "{'ability_en': ['unterminated",
  },
];

describe('row layouts', () => {
  it('Infinity-Instruct: labels as Python dict text, JSON text or an object', async () => {
    const { report, samples } = await importRows('infinity.jsonl', jsonl(infinityRows));
    expect(report).toMatchObject({
      shape: 'infinity-instruct',
      textFields: ['conversations'],
      tagField: 'label.ability_en',
      rows: 4,
      kept: 3,
      tagged: 3,
      skills: 4,
      tagsPerSample: { 1: 2, 2: 1 },
      rejected: [{ line: 4, reason: 'field "label" is not a JSON object or a Python dict' }],
    });
    expect(report.tagFieldCandidates.map((c) => c.field)).toEqual(
      expect.arrayContaining(['label.ability_en', 'label.cate_ability_en', 'label.ability_zh']),
    );
    expect(samples[0]).toEqual({
      id: 'inf-1',
      messages: [
        { role: 'user', content: 'Sort [3, 1, 2].' },
        { role: 'assistant', content: '[1, 2, 3]' },
      ],
      skills: ['programming ability', 'logical reasoning'],
      source: 'infinity.jsonl:1',
    });
    expect(samples[1].messages[0]).toEqual({
      role: 'system',
      content: "You answer in one word, don't you?",
    });
    expect(samples[1].skills).toEqual(['geography knowledge']);
  });

  it('Infinity-Instruct: another tag field inside the label', async () => {
    const { report, samples } = await importRows(
      'infinity.jsonl',
      jsonl(infinityRows.slice(0, 3)),
      {
        tagField: 'label.cate_ability_en',
      },
    );
    expect(report.tagField).toBe('label.cate_ability_en');
    expect(samples.map((s) => s.skills)).toEqual([
      ['programming'],
      ['open knowledge q&a'],
      ['task generation'],
    ]);
  });

  it('ShareGPT: speaker names map to roles; unknown speakers are rejected', async () => {
    const rows = [
      {
        id: 'a',
        conversations: [
          { from: 'user', value: 'Hi' },
          { from: 'chatgpt', value: 'Hello!' },
          { from: 'Human', value: 'Bye' },
          { from: 'assistant', value: 'Bye!' },
        ],
        tags: ['greeting'],
      },
      { id: 'b', conversations: [{ from: 'narrator', value: 'Once' }], tags: [] },
      { id: 'c', conversations: 'human: hi', tags: ['x'] },
      { id: 'd', conversations: [{ from: 'gpt', value: 'Unprompted' }], tags: ['x'] },
    ];
    const { report, samples } = await importRows('sharegpt.jsonl', jsonl(rows));
    expect(report.shape).toBe('sharegpt');
    expect(report.tagField).toBe('tags');
    expect(samples).toHaveLength(1);
    expect(samples[0].messages.map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    expect(report.rejected).toEqual([
      {
        line: 2,
        reason:
          'field "conversations": turn 1 is from "narrator", expected human/user, gpt/assistant or system',
      },
      { line: 3, reason: 'field "conversations" must be an array of {from, value}' },
      { line: 4, reason: 'no usable text: no user turn with text in "conversations"' },
    ]);
  });

  it('OpenAI messages: text parts joined, developer is system, tool roles rejected', async () => {
    const rows = [
      {
        messages: [
          { role: 'developer', content: 'Be brief.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Look:' },
              { type: 'image_url' },
              { type: 'text', text: 'what is it?' },
            ],
          },
          { role: 'assistant', content: 'A cat.' },
        ],
        category: 'vision',
      },
      {
        messages: [
          { role: 'user', content: 'Time?' },
          { role: 'tool', content: '12:00' },
        ],
        category: 'tools',
      },
      { messages: [{ role: 'user', content: 42 }], category: 'tools' },
    ];
    const { report, samples } = await importRows('openai.jsonl', jsonl(rows));
    expect(report).toMatchObject({ shape: 'openai', tagField: 'category', kept: 1 });
    expect(samples[0].messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Look:\nwhat is it?' },
      { role: 'assistant', content: 'A cat.' },
    ]);
    expect(samples[0].id).toBe('row-1');
    expect(report.rejected).toEqual([
      {
        line: 2,
        reason: 'field "messages": message 2 has role "tool", expected system, user or assistant',
      },
      { line: 3, reason: 'field "messages" must be an array of {role, content}' },
    ]);
  });

  it('Alpaca: input after a blank line, empty output gives no assistant turn, wrong types named', async () => {
    const rows = [
      { instruction: 'Translate.', input: 'chat', output: 'cat' },
      { instruction: 'Name a colour.', input: '', output: '' },
      { instruction: 'Add.', input: 2, output: '4' },
      { instruction: '   ', input: '', output: 'x' },
    ];
    const { report, samples } = await importRows('alpaca.json', JSON.stringify(rows, null, 2));
    expect(report).toMatchObject({ format: 'json', shape: 'alpaca', tagField: null, kept: 2 });
    expect(samples[0].messages).toEqual([
      { role: 'user', content: 'Translate.\n\nchat' },
      { role: 'assistant', content: 'cat' },
    ]);
    expect(samples[1].messages).toEqual([{ role: 'user', content: 'Name a colour.' }]);
    expect(report.rejected).toEqual([
      { line: 12, reason: 'field "input" must be a string' },
      { line: 17, reason: 'no usable text: field "instruction" is empty' },
    ]);
  });

  it('generic rows: question/answer fields and a delimited tag string', async () => {
    const rows = [
      {
        question: 'Why is the sky blue?',
        answer: 'Rayleigh scattering.',
        topics: 'physics; optics',
      },
      { question: 'What is 2+2?', answer: '4', topics: 'arithmetic' },
    ];
    const { report, samples } = await importRows('qa.jsonl', jsonl(rows));
    expect(report).toMatchObject({
      shape: 'generic',
      textFields: ['question', 'answer'],
      tagField: 'topics',
      delimiter: ';',
    });
    expect(samples[0].skills).toEqual(['physics', 'optics']);
    expect(samples[0].messages[1]).toEqual({ role: 'assistant', content: 'Rayleigh scattering.' });
  });

  it('tag options: another field, another delimiter, or no tags', async () => {
    const rows = [
      { prompt: 'a', labels: 'x|y', group: 'g1' },
      { prompt: 'b', labels: 'y', group: 'g1' },
      { prompt: 'c', labels: 'z|x|x', group: 'g2' },
    ];
    const text = jsonl(rows);
    const guessed = await importRows('t.jsonl', text);
    expect(guessed.report).toMatchObject({ tagField: 'labels', delimiter: '|' });
    expect(guessed.samples[2].skills).toEqual(['z', 'x']);
    // `group` repeats but is not delimited: offered, not guessed.
    expect(guessed.report.tagFieldCandidates.map((c) => c.field)).toEqual(['labels', 'group']);

    const byGroup = await importRows('t.jsonl', text, { tagField: 'group' });
    expect(byGroup.report).toMatchObject({ tagField: 'group', skills: 2 });
    const unsplit = await importRows('t.jsonl', text, { delimiter: null });
    expect(unsplit.samples[0].skills).toEqual(['x|y']);
    const untagged = await importRows('t.jsonl', text, { tagField: null });
    expect(untagged.report).toMatchObject({ tagField: null, tagged: 0, tagsPerSample: { 0: 3 } });
    await expect(importRows('t.jsonl', text, { tagField: 'skills' })).rejects.toThrow(
      't.jsonl: tag field "skills" is not in its first 3 rows (fields: prompt, labels, group)',
    );
  });
});

describe('names every object inherits (constructor, toString, __proto__)', () => {
  it('are no speaker, role or field: such turns are rejected, such fields absent', async () => {
    const sharegpt = await importRows(
      'proto.jsonl',
      jsonl([
        { conversations: [{ from: 'human', value: 'Hi' }], tags: ['a'] },
        { conversations: [{ from: 'constructor', value: 'Hi' }], tags: ['a'] },
      ]),
    );
    expect(sharegpt.report.rejected).toEqual([
      {
        line: 2,
        reason:
          'field "conversations": turn 1 is from "constructor", expected human/user, gpt/assistant or system',
      },
    ]);
    const openai = await importRows(
      'roles.jsonl',
      jsonl([
        { messages: [{ role: 'user', content: 'Hi' }] },
        { messages: [{ role: 'toString', content: 'Hi' }] },
      ]),
    );
    expect(openai.report.rejected).toEqual([
      {
        line: 2,
        reason:
          'field "messages": message 1 has role "toString", expected system, user or assistant',
      },
    ]);
    await expect(
      importRows('tags.jsonl', jsonl([{ prompt: 'Hi', tags: ['a'] }]), { tagField: 'constructor' }),
    ).rejects.toThrow(
      'tags.jsonl: tag field "constructor" is not in its first 1 rows (fields: prompt, tags)',
    );
    const label = await importRows(
      'label.jsonl',
      jsonl([
        { prompt: 'Hi', label: "{'ability_en': ['own']}" },
        { prompt: 'Hi', label: "{'__proto__': {'ability_en': ['inherited']}}" },
      ]),
      { tagField: 'label.ability_en' },
    );
    expect(label.samples.map((sample) => sample.skills)).toEqual([['own'], []]);
  });

  it('are fields like any other when a file has them', async () => {
    const csv = await importRows('proto.csv', 'prompt,__proto__\nHi,greeting\n', {
      tagField: '__proto__',
    });
    expect(csv.samples[0].skills).toEqual(['greeting']);
    const dict = await importRows(
      'dict.jsonl',
      jsonl([{ prompt: 'Hi', label: "{'__proto__': ['from a dict']}" }]),
      { tagField: 'label.__proto__' },
    );
    expect(dict.samples[0].skills).toEqual(['from a dict']);
  });
});

describe('parsePythonLiteral', () => {
  it('reads dicts, lists, tuples, escapes and constants', () => {
    expect(
      parsePythonLiteral(
        "{'a': [1, -2.5e3, (True, False, None)], \"b\": 'it\\'s \\u00e9\\n', 3: {}, 'c': [],}",
      ),
    ).toEqual({ a: [1, -2500, [true, false, null]], b: "it's é\n", 3: {}, c: [] });
    expect(parsePythonLiteral("[u'x', r'\\d']")).toEqual(['x', '\\d']);
  });

  it('rejects malformed text with the position', () => {
    expect(() => parsePythonLiteral("{'a': }")).toThrow('missing value at position 6');
    expect(() => parsePythonLiteral("{'a' 1}")).toThrow("expected ':' at position 5");
    expect(() => parsePythonLiteral("['a'] x")).toThrow('unexpected text after the value');
    expect(() => parsePythonLiteral("['a")).toThrow('unterminated string');
  });

  it('handles deep nesting without recursion', () => {
    const depth = 50_000;
    const value = parsePythonLiteral('['.repeat(depth) + ']'.repeat(depth));
    expect(Array.isArray(value)).toBe(true);
  });
});
