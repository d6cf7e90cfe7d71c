import { describe, expect, it } from 'vitest';
import {
  conversationProblem,
  parseConversation,
  parseJsonObject,
} from '../../../../src/core/synthesis/parseConversation';
import { conversationCases, pair } from './conversationCases';

describe('parseConversation on real-looking outputs', () => {
  it.each(conversationCases)('%s', (_name, raw, expected) => {
    expect(parseConversation(raw)).toEqual(expected);
  });
});

describe('limits', () => {
  const turns = (n: number, size = 5) =>
    JSON.stringify(
      Array.from({ length: n }, (_, i) => ({
        role: i % 2 === 0 ? 'user' : 'assistant',
        content: 'x'.repeat(size),
      })),
    );

  it('max turns, max characters per turn and in total', () => {
    expect(parseConversation(turns(6), { maxTurns: 4 })).toEqual({
      ok: false,
      reason: 'the conversation has 6 turns, more than the limit of 4',
    });
    expect(parseConversation(turns(2, 101), { maxTurnChars: 100 })).toEqual({
      ok: false,
      reason: 'turn 1 (user) has 101 characters, more than the limit of 100',
    });
    expect(parseConversation(turns(4, 100), { maxTotalChars: 399 })).toEqual({
      ok: false,
      reason: 'the conversation has 400 characters, more than the limit of 399',
    });
    expect(parseConversation(turns(4, 100), { maxTotalChars: 400, maxTurns: 4 }).ok).toBe(true);
  });

  it('defaults: 16 turns, 12,000 characters a turn, 32,000 in total', () => {
    expect(parseConversation(turns(16)).ok).toBe(true);
    expect(parseConversation(turns(18)).ok).toBe(false);
    expect(parseConversation(turns(2, 12_000)).ok).toBe(true);
    expect(parseConversation(turns(2, 12_001)).ok).toBe(false);
    expect(parseConversation(turns(4, 8_000)).ok).toBe(true);
    expect(parseConversation(turns(4, 8_001)).ok).toBe(false);
  });
});

describe('conversationProblem', () => {
  it('accepts a valid conversation', () => {
    expect(conversationProblem(pair)).toBeNull();
  });
});

describe('parseJsonObject', () => {
  it('reads the agentic check answer leniently', () => {
    expect(
      parseJsonObject("Answer:\n```\n{'suitable': True, 'reason': 'needs a table',}\n```"),
    ).toEqual({
      ok: true,
      value: { suitable: true, reason: 'needs a table' },
      repaired: [
        'code fence removed',
        'text before the JSON removed',
        'trailing commas removed',
        'single-quoted strings',
        'Python constants True/False/None',
      ],
    });
  });

  it('reports a cut-off object and a missing one', () => {
    expect(parseJsonObject('{"suitable": false, "reason": "too')).toEqual({
      ok: false,
      reason: 'output was cut off (no closing })',
    });
    expect(parseJsonObject('[1, 2]')).toEqual({
      ok: false,
      reason: 'no JSON object found in the output',
    });
  });
});
