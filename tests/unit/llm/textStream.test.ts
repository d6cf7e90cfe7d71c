import { describe, expect, it } from 'vitest';
import { IncrementalDecoder, StopSequenceFilter } from '../../../src/llm/textStream';

/** A byte-level vocabulary: token id = one UTF-8 byte, so characters span several tokens. */
const decodeBytes = (ids: number[]) => new TextDecoder().decode(Uint8Array.from(ids));

describe('IncrementalDecoder', () => {
  it('emits whole characters only and joins to the full decoding', () => {
    const text = 'Grüße, 数据 — ok 👍';
    const ids = [...new TextEncoder().encode(text)];
    const decoder = new IncrementalDecoder(decodeBytes);
    const pieces = ids.map((id) => decoder.push(id));
    pieces.push(decoder.finish());
    expect(pieces.join('')).toBe(text);
    expect(pieces.some((piece) => piece.includes('\uFFFD'))).toBe(false);
    // "ü" is two bytes: the first yields nothing, the second the whole character.
    expect(pieces.slice(2, 4)).toEqual(['', 'ü']);
  });

  it('keeps spaces that a decoder drops at the start of a span, across window restarts', () => {
    // SentencePiece-like: "▁" marks a space, and a decoded span loses its leading space.
    const vocab = ['▁Hello', '▁wor', 'ld', '!', '▁a', 'b', '▁c'];
    const decode = (ids: number[]) =>
      ids
        .map((id) => vocab[id])
        .join('')
        .replaceAll('▁', ' ')
        .replace(/^ /, '');
    const ids = [0, 1, 2, 3, 4, 5, 6, 1, 2, 4, 4, 5, 6, 6, 3, 0, 1, 2, 3];
    const decoder = new IncrementalDecoder(decode);
    const pieces = ids.map((id) => decoder.push(id));
    expect(pieces.slice(0, 4)).toEqual(['Hello', ' wor', 'ld', '!']);
    expect(pieces.join('') + decoder.finish()).toBe(decode(ids));
  });

  it('flushes an unfinished character at the end', () => {
    const decoder = new IncrementalDecoder(decodeBytes);
    expect(decoder.push(0x61)).toBe('a');
    expect(decoder.push(0xc3)).toBe('');
    expect(decoder.finish()).toBe('\uFFFD');
  });
});

describe('StopSequenceFilter', () => {
  const run = (stops: string[], pieces: string[]) => {
    const filter = new StopSequenceFilter(stops);
    const out = pieces.map((piece) => filter.push(piece));
    out.push(filter.finish());
    return { out, stopped: filter.stopped };
  };

  it('cuts before a stop sequence split across pieces', () => {
    const { out, stopped } = run(['</answer>'], ['The end', '</ans', 'wer> more', ' text']);
    expect(out.join('')).toBe('The end');
    expect(out[1]).toBe('');
    expect(stopped).toBe(true);
  });

  it('releases held-back text that turns out not to be a stop', () => {
    const { out, stopped } = run(['\n\n', 'END'], ['a\n', 'b E', 'N', '!']);
    expect(out).toEqual(['a', '\nb ', '', 'EN!', '']);
    expect(stopped).toBe(false);
    // Held back at the very end, then released by `finish`.
    expect(run(['END'], ['x E']).out).toEqual(['x ', 'E']);
  });

  it('stops at the earliest of several stop sequences', () => {
    const { out } = run(['STOP', 'halt'], ['go halt now STOP']);
    expect(out.join('')).toBe('go ');
  });
});
