// An outline sent between threads a slice at a time: its shape first (scalars and array lengths),
// then runs of its arrays, copied into arrays the receiver allocated once. Structured-cloning a
// 10^6-skill outline whole (1.7M nodes, ≈ 100 MB) holds the receiving thread for one long task.
import type { TaxonomyOutline } from './taxonomyOutline';

/** The outline's arrays and their element types. */
const arrayTypes = {
  levelStart: Int32Array,
  parent: Int32Array,
  size: Int32Array,
  volume: Float64Array,
  cut: Float64Array,
  term: Float64Array,
  childStart: Int32Array,
  children: Int32Array,
  members: Int32Array,
  memberStart: Int32Array,
  central: Int32Array,
  centralStart: Int32Array,
} as const;

export type OutlineArray = keyof typeof arrayTypes;

const arrayNames = Object.keys(arrayTypes) as OutlineArray[];

/** What allocating an outline needs: its scalars and the length of each array. */
export interface OutlineShape {
  height: number;
  skillCount: number;
  lengths: Record<OutlineArray, number>;
}

/** Elements `from` to `to` (exclusive) of one of an outline's arrays. */
export interface OutlineSlice {
  array: OutlineArray;
  from: number;
  to: number;
}

export function outlineShape(outline: TaxonomyOutline): OutlineShape {
  const lengths = {} as Record<OutlineArray, number>;
  for (const name of arrayNames) lengths[name] = outline[name].length;
  return { height: outline.height, skillCount: outline.skillCount, lengths };
}

/** An outline of `shape` with every array zero, to be filled slice by slice. */
export function allocateOutline(shape: OutlineShape): TaxonomyOutline {
  const outline = { height: shape.height, skillCount: shape.skillCount } as TaxonomyOutline;
  for (const name of arrayNames) {
    (outline[name] as Int32Array | Float64Array) = new arrayTypes[name](shape.lengths[name]);
  }
  return outline;
}

/** The slices, of at most `length` elements, that together are every array of `shape`. */
export function outlineSlices(shape: OutlineShape, length: number): OutlineSlice[] {
  const slices: OutlineSlice[] = [];
  for (const array of arrayNames) {
    const total = shape.lengths[array];
    for (let from = 0; from < total; from += length) {
      slices.push({ array, from, to: Math.min(from + length, total) });
    }
  }
  return slices;
}

/** A copy of the slice's elements. */
export function readSlice(
  outline: TaxonomyOutline,
  slice: OutlineSlice,
): Int32Array | Float64Array {
  return outline[slice.array].slice(slice.from, slice.to);
}

/** Copies a slice read by `readSlice` into an outline from `allocateOutline`. */
export function writeSlice(
  outline: TaxonomyOutline,
  slice: OutlineSlice,
  values: Int32Array | Float64Array,
): void {
  outline[slice.array].set(values, slice.from);
}
