import { describe, expect, it } from 'vitest';
import { parseJsonObject, stripThinking } from '../../../../src/core/synthesis/lenientJson';
import { parseConversation } from '../../../../src/core/synthesis/parseConversation';

const conversation =
  '[{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]';

describe('reasoning models: <think>…</think> before the answer', () => {
  it('removes every closed block, and an unclosed leading one with all after it', () => {
    expect(stripThinking('<think>\nplan [a, b]\n</think>\n\n[1]')).toBe('\n\n[1]');
    expect(stripThinking('<think>a</think>x<think>b</think>y')).toBe('xy');
    expect(stripThinking('  <think>still thinking [1, 2')).toBe('');
    expect(stripThinking('[1] and <think> unclosed later')).toBe('[1] and <think> unclosed later');
    expect(stripThinking(conversation)).toBe(conversation);
  });

  it('parses the answer after the thinking, JSON-like text inside it notwithstanding', () => {
    const thought = '<think>\nRoles [user/assistant] alternate: {"role": "user"}\n</think>\n\n';
    expect(parseConversation(thought + conversation)).toEqual(parseConversation(conversation));
    expect(parseJsonObject('<think>{"suitable": false}</think>{"suitable": true}')).toEqual({
      ok: true,
      value: { suitable: true },
      repaired: [],
    });
  });

  it('says when the answer was cut off while thinking', () => {
    expect(parseConversation('<think>\nThe user wants [')).toEqual({
      ok: false,
      reason: 'the output is only reasoning (<think>…), no answer',
    });
    expect(parseConversation('<think>done</think>  ')).toEqual({
      ok: false,
      reason: 'the output is only reasoning (<think>…), no answer',
    });
  });
});
