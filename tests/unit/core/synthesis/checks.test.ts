import { describe, expect, it } from 'vitest';
import {
  buildAgenticCheckMessages,
  parseAgenticVerdict,
} from '../../../../src/core/synthesis/agenticCheck';
import { buildCoverageMessages, parseCoverage } from '../../../../src/core/synthesis/coverage';
import { defaultTemplates } from '../../../../src/core/synthesis/prompts';
import { fitTranscriptPrompt, renderTranscript } from '../../../../src/core/synthesis/transcript';

const conversation = [
  { role: 'system' as const, content: 'You are helpful.' },
  { role: 'user' as const, content: 'Total this table with SQL.' },
  { role: 'assistant' as const, content: 'SELECT SUM(amount) FROM expenses; gives 42.' },
];

describe('renderTranscript', () => {
  it('leaves out system turns and cuts every turn to the same share', () => {
    expect(renderTranscript(conversation, 4000)).toBe(
      'User: Total this table with SQL.\nAssistant: SELECT SUM(amount) FROM expenses; gives 42.',
    );
    // 69 characters of turns cut to 35: each keeps 35/69 of its length (13 of 26, 21 of 43).
    expect(renderTranscript(conversation, 35)).toBe(
      'User: Total this ta […]\nAssistant: SELECT SUM(amount) FR […]',
    );
    expect(() => renderTranscript([conversation[0]], 100)).toThrow(
      'the conversation has no user or assistant turn',
    );
  });

  it('fits a prompt to a token budget in steps of 200 characters, or says it cannot', () => {
    const long = [
      { role: 'user' as const, content: 'word '.repeat(600) },
      { role: 'assistant' as const, content: 'answer '.repeat(600) },
    ];
    const chars = (text: string) => text.length;
    const fitted = fitTranscriptPrompt(
      (maxChars) => buildCoverageMessages(['a', 'b'], long, maxChars),
      1500,
      chars,
    );
    expect(fitted?.maxChars).toBe(1200);
    const total = fitted!.messages.reduce((n, m) => n + m.content.length, 0);
    expect(total).toBeLessThanOrEqual(1500);
    expect(
      fitTranscriptPrompt((maxChars) => buildCoverageMessages(['a'], long, maxChars), 100, chars),
    ).toBeNull();
  });
});

describe('coverage check', () => {
  it('shows the skills and the conversation and asks for the covered ones', () => {
    const [system, user] = buildCoverageMessages(['sql_querying', 'budgeting'], conversation);
    expect(system.content).toBe(
      'You review training data for chat assistants. You answer with JSON only.',
    );
    expect(user.content).toBe(`Skills: sql_querying, budgeting

Conversation:
User: Total this table with SQL.
Assistant: SELECT SUM(amount) FROM expenses; gives 42.

Which of the skills does the assistant visibly use in this conversation?
Answer with one JSON object only, like: {"covered": ["skill_a", "skill_b"]}`);
  });

  it('matches answers to the skills, in combination order, and names what it ignored', () => {
    const skills = ['sql_querying', 'budgeting', 'poetry'];
    expect(parseCoverage('{"covered": ["budgeting", "SQL Querying"]}', skills)).toEqual({
      ok: true,
      covered: ['sql_querying', 'budgeting'],
      missing: ['poetry'],
      repaired: [],
    });
    expect(parseCoverage("```json\n['poetry', 'cooking']\n```", skills)).toEqual({
      ok: true,
      covered: ['poetry'],
      missing: ['sql_querying', 'budgeting'],
      repaired: [
        'code fence removed',
        'single-quoted strings',
        'bare array read as "covered"',
        'ignored "cooking", not a skill of the combination',
      ],
    });
    expect(parseCoverage('{"covered": []}', skills)).toMatchObject({ ok: true, covered: [] });
    expect(parseCoverage('{"skills": ["poetry"]}', skills)).toEqual({
      ok: false,
      reason: 'expected {"covered": [...]} with the skills used',
    });
    expect(parseCoverage('{"covered": [1]}', skills)).toEqual({
      ok: false,
      reason: '"covered" entry 1 is not a string',
    });
    expect(parseCoverage('{"covered": ["poetry"', skills)).toMatchObject({ ok: false });
  });
});

describe('agentic check', () => {
  it('fills the check template with the skills only', () => {
    const messages = buildAgenticCheckMessages(defaultTemplates['agentic-check'], [
      'sql_querying',
      'budgeting',
    ]);
    expect(messages).toHaveLength(2);
    expect(messages[1].content.split('\n')[0]).toBe('Skills: sql_querying, budgeting');
    expect(() => buildAgenticCheckMessages(defaultTemplates.fusion, ['a'])).toThrow(
      'template "steps-fusion" is a fusion template, not agentic-check',
    );
  });

  it('reads the verdict leniently and refuses one without a boolean', () => {
    expect(parseAgenticVerdict('{"suitable": true, "reason": " Data to total. "}')).toEqual({
      ok: true,
      suitable: true,
      reason: 'Data to total.',
      repaired: [],
    });
    expect(parseAgenticVerdict("Sure: {'suitable': False}")).toMatchObject({
      ok: true,
      suitable: false,
      reason: '',
    });
    expect(parseAgenticVerdict('{"suitable": "yes"}')).toEqual({
      ok: false,
      reason: 'the answer has no "suitable": true or false',
    });
  });
});
