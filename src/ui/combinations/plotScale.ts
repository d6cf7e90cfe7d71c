// Axes of the step's small SVG plots: a value → a position along an axis, and the ticks to label.

export interface Axis {
  /** The position of a value inside the axis's range. */
  at(value: number): number;
  ticks: number[];
}

/**
 * A logarithmic axis over [min, max] (both > 0), widened to whole powers of ten, ticked at each
 * power of ten.
 */
export function logAxis(min: number, max: number, from: number, to: number): Axis {
  if (!(min > 0) || !(max >= min))
    throw new Error(`a log axis needs 0 < min ≤ max, got ${min}, ${max}`);
  const low = Math.floor(Math.log10(min));
  const high = Math.max(low + 1, Math.ceil(Math.log10(max)));
  const ticks = Array.from({ length: high - low + 1 }, (_, k) => 10 ** (low + k));
  return {
    at: (value) => from + ((Math.log10(value) - low) / (high - low)) * (to - from),
    ticks,
  };
}

/** A linear axis over [0, max], ticked at `count` + 1 round steps. */
export function linearAxis(max: number, from: number, to: number, count = 4): Axis {
  const step = roundStep(Math.max(max, Number.EPSILON) / count);
  const top = Math.max(step, Math.ceil(max / step - 1e-9) * step);
  // toPrecision: 3 × 0.2 is 0.6000000000000001 in floating point.
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, k) =>
    Number((k * step).toPrecision(12)),
  );
  return { at: (value) => from + (value / top) * (to - from), ticks };
}

/** The smallest of 1, 2 or 5 times a power of ten that is at least `raw`. */
function roundStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw - 1e-12)!;
}

/** A tick's label: 1, 10, 100, 1k, 10k… for counts; up to two decimals otherwise. */
export function tickLabel(value: number): string {
  if (value >= 1000 && Number.isInteger(value)) {
    return value >= 1e6 ? `${value / 1e6}M` : `${value / 1e3}k`;
  }
  return String(Math.round(value * 100) / 100);
}

/** A label to the right of its point: where the point is, the gap before the label, its width. */
export interface PointLabel {
  x: number;
  y: number;
  gap: number;
  width: number;
}

/**
 * Baselines (y) for labels written to the right of their points, moved down or up by whole lines
 * where they would overlap a label placed before them or one of the points (points near each
 * other on the plane); a point is `radius` wide either side of its x.
 */
export function labelBaselines(
  labels: readonly PointLabel[],
  lineHeight: number,
  radius = 0,
): number[] {
  const placed = labels.map(({ x, y }) => ({ left: x - radius, right: x + radius, y }));
  const overlaps = (left: number, right: number, y: number) =>
    placed.some((box) => left < box.right && box.left < right && Math.abs(box.y - y) < lineHeight);
  return labels.map(({ x, y, width, gap }) => {
    const left = x + gap;
    const right = left + width;
    let shift = 0;
    for (let step = 1; overlaps(left, right, y + shift); step++) {
      // 0, +1, −1, +2, −2… lines.
      shift = (step % 2 === 1 ? 1 : -1) * Math.ceil(step / 2) * lineHeight;
    }
    placed.push({ left, right, y: y + shift });
    return y + shift;
  });
}
