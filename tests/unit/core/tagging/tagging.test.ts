import { describe, expect, it } from 'vitest';
import {
  buildTaggingMessages,
  cleanTag,
  normaliseTags,
  parseTags,
  singularise,
} from '../../../../src/core/tagging/tagging';

describe('normaliseTags', () => {
  it('merges case, separators, plurals, one-letter typos and word order', () => {
    const raw = [
      'Python Programming',
      'python-programming',
      'python_programming',
      'Regular Expressions',
      'regular expression',
      'Data Structures',
      'data_structure',
      'Debugging',
      'debugging',
      'debuging',
      'SQL',
      'sql',
      'unit tests',
      'Unit-Testing',
      'c++',
      'C#',
      'c',
      'python 2',
      'python 3',
      'debugging python',
      'python debugging',
      'strategies',
      'strategy',
      '  ',
      '---',
      'Mathematics',
      'math',
      'classes',
      'class',
      'boxes',
    ];
    const vocabulary = normaliseTags(raw);
    expect(Object.fromEntries(vocabulary.mapping)).toEqual({
      'Python Programming': 'python_programming',
      'python-programming': 'python_programming',
      python_programming: 'python_programming',
      // Equal counts: the shorter surface form names the group.
      'Regular Expressions': 'regular_expression',
      'regular expression': 'regular_expression',
      'Data Structures': 'data_structure',
      data_structure: 'data_structure',
      Debugging: 'debugging',
      debugging: 'debugging',
      debuging: 'debugging',
      SQL: 'sql',
      sql: 'sql',
      // Two edits apart: kept apart.
      'unit tests': 'unit_tests',
      'Unit-Testing': 'unit_testing',
      // Symbols stay, so these differ.
      'c++': 'c++',
      'C#': 'c#',
      c: 'c',
      // A differing digit is never an edit to merge.
      'python 2': 'python_2',
      'python 3': 'python_3',
      // Same words: merged; equal counts and length, alphabetically first.
      'debugging python': 'debugging_python',
      'python debugging': 'debugging_python',
      strategies: 'strategy',
      strategy: 'strategy',
      Mathematics: 'mathematics',
      math: 'math',
      classes: 'class',
      class: 'class',
      // Grouped under "box", named by its only surface form.
      boxes: 'boxes',
    });
    expect(vocabulary.dropped).toEqual(['  ', '---']);
    expect([...vocabulary.counts].slice(0, 3)).toEqual([
      ['debugging', 3],
      ['python_programming', 3],
      ['class', 2],
    ]);
    expect([...vocabulary.counts.values()].reduce((a, b) => a + b)).toBe(raw.length - 2);
  });

  it('the most frequent surface form names a group, whatever the input order', () => {
    const tags = ['Unit Tests', 'unit-test', 'unit test', 'unit_tests', 'unit tests'];
    const forward = normaliseTags(tags);
    const backward = normaliseTags([...tags].reverse());
    expect(new Set(forward.mapping.values())).toEqual(new Set(['unit_tests']));
    expect(Object.fromEntries(backward.mapping)).toEqual(Object.fromEntries(forward.mapping));
  });

  it('cleans and singularises single tags', () => {
    expect(cleanTag('  Data / Visualisation.  ')).toBe('data_visualisation');
    expect(cleanTag('ＡＰＩ Design')).toBe('api_design');
    expect(
      ['queries', 'classes', 'boxes', 'matches', 'tests', 'analysis', 'status', 'bus', 'is'].map(
        singularise,
      ),
    ).toEqual(['query', 'class', 'box', 'match', 'test', 'analysis', 'status', 'bus', 'is']);
  });
});

describe('parseTags', () => {
  it('reads a list, InsTag objects and a wrapper', () => {
    expect(parseTags('["python_programming", " debugging ", "python_programming"]')).toEqual({
      ok: true,
      tags: ['python_programming', 'debugging'],
      repaired: [],
    });
    expect(
      parseTags(
        '[{"tag": "math", "explanation": "sums"}, {"tag": "budgeting", "explanation": "x"}]',
      ),
    ).toEqual({ ok: true, tags: ['math', 'budgeting'], repaired: [] });
    expect(parseTags("Tags: {'tags': ['sql']}")).toEqual({
      ok: true,
      tags: ['sql'],
      repaired: ['text before the JSON removed', 'single-quoted strings', 'unwrapped "tags" field'],
    });
    // Invisible characters at the ends go, as the importer drops them: one skill, not two.
    expect(parseTags('["math\u200b", "\u2060math"]')).toEqual({
      ok: true,
      tags: ['math'],
      repaired: [],
    });
  });

  it('says what is wrong', () => {
    expect(parseTags('[]')).toEqual({ ok: false, reason: 'the tag list is empty' });
    expect(parseTags('["a", 3]')).toEqual({ ok: false, reason: 'tag 2 is not a string' });
    expect(parseTags('["a", " "]')).toEqual({ ok: false, reason: 'tag 2 is empty or invisible' });
    expect(parseTags('["a", "\u200b"]')).toEqual({
      ok: false,
      reason: 'tag 2 is empty or invisible',
    });
    expect(parseTags(JSON.stringify(Array.from({ length: 11 }, (_, i) => `t${i}`)))).toEqual({
      ok: false,
      reason: '11 tags, more than the limit of 10',
    });
    expect(parseTags('["a", "b"')).toEqual({
      ok: false,
      reason: 'output was cut off (no closing ])',
    });
    expect(parseTags('{"skills": ["a"]}')).toEqual({
      ok: false,
      reason: 'expected a JSON array of tags',
    });
  });
});

describe('buildTaggingMessages', () => {
  it('shows the conversation and asks for a JSON array', () => {
    const messages = buildTaggingMessages([
      { role: 'system', content: 'hidden' },
      { role: 'user', content: 'Sum 2 and 3.' },
      { role: 'assistant', content: '5' },
    ]);
    expect(messages[0].role).toBe('system');
    expect(messages[1].content).toBe(
      'User: Sum 2 and 3.\nAssistant: 5\n\n' +
        'List the skills an assistant needs to answer this conversation well, as 1 to 5 short tags in snake_case, most important first.\n' +
        'Answer with a JSON array of strings only, like: ["python_programming", "debugging"]',
    );
  });

  it('cuts long conversations to the character budget', () => {
    const messages = buildTaggingMessages(
      [
        { role: 'user', content: 'q'.repeat(300) },
        { role: 'assistant', content: 'a'.repeat(100) },
      ],
      200,
    );
    expect(
      messages[1].content.startsWith(
        `User: ${'q'.repeat(150)} […]\nAssistant: ${'a'.repeat(50)} […]\n`,
      ),
    ).toBe(true);
    expect(() => buildTaggingMessages([{ role: 'system', content: 'x' }])).toThrow(
      'the sample has no user or assistant turn to tag',
    );
  });
});
