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

  it('moves a label that would overlap another label or a point by whole lines', () => {
    // Two points side by side, a third under the first's label, one far away.
    const points = [
      { x: 10, y: 50, gap: 8, width: 60 },
      { x: 30, y: 53, gap: 8, width: 60 },
      { x: 40, y: 80, gap: 8, width: 30 },
      { x: 200, y: 51, gap: 8, width: 60 },
    ];
    const lines = labelBaselines(points, 12, 5);
    // The first label crosses the second point: one line up, clear of it.
    expect(lines).toEqual([38, 53, 80, 51]);
    const boxes = points.map(({ x, gap, width }, i) => ({
      left: x + gap,
      right: x + gap + width,
      y: lines[i],
    }));
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const apart = a.right <= b.left || b.right <= a.left || Math.abs(a.y - b.y) >= 12;
        expect(apart).toBe(true);
      }
      for (const point of points) {
        const clear =
          a.right <= point.x - 5 || point.x + 5 <= a.left || Math.abs(a.y - point.y) >= 12;
        expect(clear).toBe(true);
      }
    }
  });
});
