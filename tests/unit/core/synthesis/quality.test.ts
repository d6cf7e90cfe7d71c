import { describe, expect, it } from 'vitest';
import {
  createMinHasher,
  estimateJaccard,
  LshIndex,
  normaliseText,
} from '../../../../src/core/synthesis/minhash';
import {
  conversationText,
  DedupIndex,
  noveltyAgainst,
} from '../../../../src/core/synthesis/quality';
import { fnv1a64 } from '../../../../src/core/hash';

const base =
  'To plan a weekend trip to Lisbon on a budget of 400 euros, book a hostel near the old town, ' +
  'buy a 24 hour transport pass, eat lunch at small tascas where a daily menu costs about ten ' +
  'euros, and keep one evening free for fado in Alfama. Track every expense in a simple ' +
  'spreadsheet with columns for date, category and amount so you can see at a glance how much ' +
  'is left for the last day.';

/** Replaces the word at each position (counted on the original words). */
function replaceWords(text: string, positions: number[]): string {
  const words = text.split(' ');
  for (const p of positions) words[p] = `changed${p}`;
  return words.join(' ');
}

function trueJaccard(a: string, b: string, size = 3): number {
  const shingles = (t: string) => {
    const w = normaliseText(t).split(' ');
    return new Set(w.slice(0, w.length - size + 1).map((_, i) => w.slice(i, i + size).join(' ')));
  };
  const x = shingles(a);
  const y = shingles(b);
  const common = [...x].filter((s) => y.has(s)).length;
  return common / (x.size + y.size - common);
}

describe('fnv1a64', () => {
  it('matches the published FNV-1a 64 test vectors', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
  });
});

describe('MinHash', () => {
  const hasher = createMinHasher();

  it('is deterministic, 128 x 32-bit, and blind to case and punctuation', () => {
    const a = hasher.signature(base);
    expect(a).toBeInstanceOf(Uint32Array);
    expect(a).toHaveLength(128);
    expect(hasher.signature(base)).toEqual(a);
    expect(hasher.signature(base.toUpperCase().replace(/,/g, ' ;'))).toEqual(a);
    expect(createMinHasher({ seed: 2 }).signature(base)).not.toEqual(a);
  });

  it('estimates the Jaccard similarity of 3-word shingles', () => {
    // Standard error with 128 permutations is at most 0.044; over 5 seeds x 4 pairs the mean
    // error must be well below it and no single estimate beyond 3.5 standard errors.
    const errors: number[] = [];
    for (const seed of [1, 2, 3, 4, 5]) {
      const seeded = createMinHasher({ seed });
      for (const positions of [[10], [5, 30], [3, 20, 40, 60], [2, 9, 16, 23, 30, 37, 44, 51]]) {
        const other = replaceWords(base, positions);
        const estimate = estimateJaccard(seeded.signature(base), seeded.signature(other));
        errors.push(Math.abs(estimate - trueJaccard(base, other)));
      }
    }
    expect(errors.reduce((a, b) => a + b) / errors.length).toBeLessThan(0.04);
    expect(Math.max(...errors)).toBeLessThan(0.155);
  });

  it('treats a text shorter than a shingle as one shingle, an empty text as no shingle', () => {
    expect(
      estimateJaccard(hasher.signature('Hello there'), hasher.signature('hello, THERE!')),
    ).toBe(1);
    expect(hasher.signature(' ... ')).toEqual(new Uint32Array(128).fill(0xffffffff));
  });

  it('rejects bad options and mismatched signatures', () => {
    expect(() => createMinHasher({ permutations: 0 })).toThrow(
      'permutations: must be a positive integer, got 0',
    );
    expect(() => new LshIndex(128, 30)).toThrow(
      'bands: must divide the signature length 128, got 30',
    );
    expect(() => estimateJaccard(new Uint32Array(2), new Uint32Array(3))).toThrow(
      'signatures differ in length: 2 and 3',
    );
  });
});

describe('DedupIndex', () => {
  it('makes the expected decisions on known near-duplicates and non-duplicates', () => {
    const index = new DedupIndex();
    expect(index.threshold).toBe(0.8);
    const decisions = [
      ['original', base],
      ['same text, other case and punctuation', base.toLowerCase().replace(/[,.]/g, '')],
      ['one word changed', replaceWords(base, [30])],
      ['two words changed', replaceWords(base, [12, 50])],
      ['a sentence appended', `${base} Bring comfortable shoes for the hills.`],
      ['every seventh word changed', replaceWords(base, [2, 9, 16, 23, 30, 37, 44, 51, 58, 65])],
      ['another topic', 'Write a Python function that returns the n most common words in a file.'],
      [
        'the other topic again, reworded',
        'Write a Python function returning the n most common words in a file.',
      ],
    ].map(([id, text]) => [id, index.add(id, text)]);
    expect(
      decisions.map(([id, d]) =>
        typeof d === 'string' ? id : [id, d.duplicate, 'of' in d ? d.of : null],
      ),
    ).toEqual([
      ['original', false, null],
      ['same text, other case and punctuation', 'exact', 'original'],
      ['one word changed', 'near', 'original'],
      ['two words changed', 'near', 'original'],
      ['a sentence appended', 'near', 'original'],
      ['every seventh word changed', false, null],
      ['another topic', false, null],
      ['the other topic again, reworded', false, null],
    ]);
    expect(index.size).toBe(4);
    const near = decisions[2][1];
    expect(
      typeof near !== 'string' && near.duplicate === 'near' && near.similarity,
    ).toBeGreaterThanOrEqual(0.8);
  });

  it('names the most similar earlier sample, and a stricter threshold keeps more', () => {
    const index = new DedupIndex({ threshold: 0.9 });
    expect(index.add('a', base).duplicate).toBe(false);
    // Two words from a (estimate 0.87): kept. One more word from b: 0.94 to b, 0.875 to a.
    expect(index.add('b', replaceWords(base, [12, 50])).duplicate).toBe(false);
    expect(index.add('c', replaceWords(base, [12, 50, 51]))).toEqual({
      duplicate: 'near',
      of: 'b',
      similarity: 0.9375,
    });
    expect(() => new DedupIndex({ threshold: 0 })).toThrow('threshold: must be in (0, 1], got 0');
  });

  it('checks without keeping: a checked text is not compared with later ones', () => {
    const index = new DedupIndex();
    index.add('a', base);
    expect(index.check(replaceWords(base, [30]))).toMatchObject({ duplicate: 'near', of: 'a' });
    const other = 'Write a Python function that returns the n most common words in a file.';
    expect(index.check(other)).toEqual({ duplicate: false });
    expect(index.size).toBe(1);
    expect(index.add('b', other)).toEqual({ duplicate: false });
    expect(index.size).toBe(2);
  });

  it('compares conversations by their joined contents', () => {
    expect(
      conversationText([
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
      ]),
    ).toBe('Hi\nHello');
  });
});

describe('noveltyAgainst', () => {
  it('flags a generated sample that copies a seed sample', () => {
    const hasher = createMinHasher();
    const seeds = [
      { id: 'demo-0001', signature: hasher.signature(base) },
      { id: 'demo-0002', signature: hasher.signature('Explain photosynthesis to a ten year old.') },
    ];
    const novelty = noveltyAgainst(seeds);
    const copied = novelty.check(replaceWords(base, [40]));
    expect(copied.nearestSeedId).toBe('demo-0001');
    expect(copied.novel).toBe(false);
    expect(copied.maxSimilarity).toBeGreaterThanOrEqual(0.8);
    expect(novelty.check('Draft a polite email asking a landlord to fix the heating.')).toEqual({
      maxSimilarity: 0,
      nearestSeedId: null,
      novel: true,
    });
  });

  it('names a seed whose signature does not fit', () => {
    expect(() => noveltyAgainst([{ id: 'demo-0007', signature: new Uint32Array(64) }])).toThrow(
      'seed demo-0007: signature has 64 positions, expected 128',
    );
  });
});
