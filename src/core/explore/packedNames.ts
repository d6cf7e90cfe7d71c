// Skill names as one string and where each one ends. Structured-cloning one string copies its
// characters; cloning a million small strings allocates a million objects on the receiving thread.

export interface PackedNames {
  text: string;
  /** Name i is text.slice(i > 0 ? ends[i - 1] : 0, ends[i]). */
  ends: Int32Array;
}

export function packNames(names: readonly string[]): PackedNames {
  const ends = new Int32Array(names.length);
  let end = 0;
  for (let i = 0; i < names.length; i++) {
    end += names[i].length;
    ends[i] = end;
  }
  return { text: names.join(''), ends };
}

/** Appends names `from` to `to` (exclusive) of `packed` to `into`. */
export function unpackNames(packed: PackedNames, from: number, to: number, into: string[]): void {
  const { text, ends } = packed;
  let start = from > 0 ? ends[from - 1] : 0;
  for (let i = from; i < to; i++) {
    into.push(text.slice(start, ends[i]));
    start = ends[i];
  }
}
