import { describe, expect, it } from 'vitest';
import {
  labelBaselines,
  linearAxis,
  logAxis,
  tickLabel,
} from '../../../../src/ui/combinations/plotScale';

describe('plot axes', () => {
  it('spans whole powers of ten on a log axis', () => {
    const axis = logAxis(3, 250, 0, 300);
    expect(axis.ticks).toEqual([1, 10, 100, 1000]);
    expect(axis.at(1)).toBe(0);
    expect(axis.at(1000)).toBe(300);
    expect(axis.at(10)).toBeCloseTo(100, 12);
    // One value still gets a decade to sit in; reversed ranges (y grows downwards) work.
    const single = logAxis(1, 1, 200, 0);
    expect(single.ticks).toEqual([1, 10]);
    expect(single.at(1)).toBe(200);
    expect(() => logAxis(0, 5, 0, 1)).toThrow('0 < min');
  });

  it('ticks a linear axis at round steps that cover the maximum', () => {
    expect(linearAxis(3, 0, 100).ticks).toEqual([0, 1, 2, 3]);
    const entropy = linearAxis(0.588, 0, 100);
    expect(entropy.ticks.at(-1)).toBeGreaterThanOrEqual(0.588);
    expect(entropy.ticks).toEqual([0, 0.2, 0.4, 0.6]);
    expect(entropy.at(0.6)).toBeCloseTo(100, 12);
    expect(linearAxis(0, 0, 10).ticks[0]).toBe(0);
  });

  it('labels ticks briefly', () => {
    expect([1, 10, 1000, 20000, 3e6, 0.25, 1 / 3].map(tickLabel)).toEqual([
      '1',
      '10',
      '1k',
      '20k',
      '3M',
      '0.25',
      '0.33',
    ]);
  });

  it('moves labels that would overlap by whole lines, and leaves the others where they are', () => {
    const lines = labelBaselines(
      [
        { x: 10, y: 50, width: 60 },
        { x: 12, y: 53, width: 60 },
        { x: 14, y: 50, width: 60 },
        { x: 200, y: 51, width: 60 },
      ],
      12,
    );
    expect(lines).toEqual([50, 65, 38, 51]);
    for (let a = 0; a < 3; a++)
      for (let b = a + 1; b < 3; b++)
        expect(Math.abs(lines[a] - lines[b])).toBeGreaterThanOrEqual(12);
  });
});
