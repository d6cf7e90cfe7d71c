import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Sha256 } from '../../../src/core/sha256';

const nodeHex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('Sha256', () => {
  it('gives the standard digests', () => {
    expect(new Sha256().hex()).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(new Sha256().update('abc').hex()).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(new Sha256().update('é').hex()).toBe(nodeHex(new TextEncoder().encode('é')));
  });

  it("equals node:crypto's digest however the input is cut", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 1000 }),
        fc.array(fc.nat({ max: 1000 }), { maxLength: 8 }),
        (bytes, cuts) => {
          const hash = new Sha256();
          const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort(
            (a, b) => a - b,
          );
          let start = 0;
          for (const point of [...points, bytes.length]) {
            hash.update(bytes.subarray(start, point));
            start = point;
          }
          expect(hash.hex()).toBe(nodeHex(bytes));
        },
      ),
      { seed: 13, numRuns: 300 },
    );
  });

  it('covers the padding edges around one block', () => {
    for (const length of [55, 56, 63, 64, 65, 119, 120, 128]) {
      const bytes = new Uint8Array(length).map((_, i) => (i * 7) & 0xff);
      expect(new Sha256().update(bytes).hex()).toBe(nodeHex(bytes));
    }
  });

  it('takes no input after the digest', () => {
    const hash = new Sha256();
    hash.hex();
    expect(() => hash.update('x')).toThrow('Sha256: update after digest');
  });
});
