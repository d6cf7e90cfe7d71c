import { describe, expect, it } from 'vitest';
import { SampleIdTable, sampleIdHash } from '../../../../src/core/corpus/sampleIdTable';
import { mulberry32 } from '../../../../src/core/random/mulberry32';

describe('sampleIdHash', () => {
  it('is an integer below 2^53, the same for the same id, and spread over its range', () => {
    const ids = ['', 'a', 'b', 'row-1', 'row-2', 'row-10', 'q1#2', 'é', '😀', 'x'.repeat(10_000)];
    for (const id of ids) {
      const hash = sampleIdHash(id);
      expect(Number.isSafeInteger(hash) && hash >= 0).toBe(true);
      expect(sampleIdHash(id)).toBe(hash);
    }
    const hashes = new Set<number>();
    const highHalves = new Set<number>();
    for (let i = 0; i < 200_000; i++) {
      const hash = sampleIdHash(`row-${i}`);
      hashes.add(hash);
      highHalves.add(Math.floor(hash / 2 ** 32));
    }
    expect(hashes.size).toBe(200_000);
    // The upper 21 bits vary too (2^21 values for 200k ids: nearly all distinct).
    expect(highHalves.size).toBeGreaterThan(180_000);
  });
});

describe('SampleIdTable', () => {
  it('finds every position of a hash as a plain list does, through growth and collisions', () => {
    const random = mulberry32(5);
    const table = new SampleIdTable();
    const plain = new Map<number, number[]>();
    // Few distinct hashes, so that many positions share one and probes run long; some of them
    // equal in their low 32 bits only, so that they share slots without being equal.
    const pool = Array.from({ length: 300 }, (_, i) =>
      i % 3 === 0 ? (i + 1) * 2 ** 32 + 7 : Math.floor(random() * 2 ** 53),
    );
    for (let position = 0; position < 20_000; position++) {
      const hash = pool[Math.floor(random() * pool.length)];
      table.add(hash);
      plain.set(hash, [...(plain.get(hash) ?? []), position]);
      if (position % 997 === 0 || position === 19_999) {
        expect(table.size).toBe(position + 1);
        for (const probe of [...pool.slice(0, 40), 12345]) {
          expect(table.positionsOf(probe)).toEqual(plain.get(probe) ?? []);
        }
      }
    }
  });

  it('finds nothing in an empty table', () => {
    expect(new SampleIdTable().positionsOf(sampleIdHash('row-1'))).toEqual([]);
    expect(new SampleIdTable().size).toBe(0);
  });
});
