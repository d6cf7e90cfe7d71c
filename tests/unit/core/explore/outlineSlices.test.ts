import { describe, expect, it } from 'vitest';
import {
  allocateOutline,
  outlineShape,
  outlineSlices,
  readSlice,
  writeSlice,
} from '../../../../src/core/explore/outlineSlices';
import { taxonomyOutline } from '../../../../src/core/explore/taxonomyOutline';
import { buildTaxonomy } from '../../../../src/core/steps';
import { powerLawGraph } from '../../../../bench/powerLawGraph';

describe('outline slices', () => {
  const graph = powerLawGraph({ skills: 500, samples: 2_000, seed: 9 });
  const { tree } = buildTaxonomy(graph, {
    levels: 3,
    builder: 'top-down',
    entropyMode: 'standard',
  });
  const outline = taxonomyOutline(graph, tree, 'standard');

  it('covers every array in slices of at most the given length, in order', () => {
    const shape = outlineShape(outline);
    expect(shape.height).toBe(outline.height);
    expect(shape.lengths.size).toBe(outline.size.length);
    expect(shape.lengths.members).toBe(500);
    const slices = outlineSlices(shape, 64);
    for (const slice of slices) expect(slice.to - slice.from).toBeLessThanOrEqual(64);
    for (const [array, length] of Object.entries(shape.lengths)) {
      const runs = slices.filter((s) => s.array === array);
      expect(runs.map((s) => s.from)).toEqual(runs.map((_, i) => i * 64));
      expect(runs.at(-1)?.to ?? 0).toBe(length);
    }
  });

  it('rebuilds the outline from its shape and slices, element types kept', () => {
    const shape = outlineShape(outline);
    const rebuilt = allocateOutline(shape);
    for (const slice of outlineSlices(shape, 100)) {
      writeSlice(rebuilt, slice, readSlice(outline, slice));
    }
    expect(rebuilt).toEqual(outline);
    expect(rebuilt.volume).toBeInstanceOf(Float64Array);
    expect(rebuilt.members).toBeInstanceOf(Int32Array);
  });

  it('sends a read slice as a copy, not a view of the outline', () => {
    const slice = { array: 'size' as const, from: 0, to: 3 };
    const values = readSlice(outline, slice);
    values[0] = -7;
    expect(outline.size[0]).toBe(500);
  });
});
