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

/**
 * Skill names kept as the packed runs they came in, each made a string only when it is read: a
 * 10^6-skill taxonomy shows a few hundred names at a time, and a million small strings cost the
 * main thread long collections.
 */
export class PackedNameList {
  readonly #runs: PackedNames[] = [];
  /** Index of the first name of each run. */
  readonly #firsts: number[] = [];
  /** Each run's text in lower case, made by the first search that reads it. */
  readonly #lowered: (string | null)[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }

  /** Adds the names of `run` after those added before. */
  append(run: PackedNames): void {
    this.#runs.push(run);
    this.#firsts.push(this.#length);
    this.#lowered.push(null);
    this.#length += run.ends.length;
  }

  /** Name `index` ('' outside the list). */
  get(index: number): string {
    const r = this.#runOf(index);
    if (r < 0) return '';
    const { text, ends } = this.#runs[r];
    const i = index - this.#firsts[r];
    return text.slice(i > 0 ? ends[i - 1] : 0, ends[i]);
  }

  /**
   * The first `limit` names, in index order, that contain `needle` ignoring case (as
   * `name.toLowerCase().includes(needle.toLowerCase())`): searched in each run's lowered text.
   */
  find(needle: string, limit: number): number[] {
    const lowerNeedle = needle.toLowerCase();
    const found: number[] = [];
    for (let r = 0; r < this.#runs.length && found.length < limit; r++) {
      const { text, ends } = this.#runs[r];
      const first = this.#firsts[r];
      const lowered = (this.#lowered[r] ??= text.toLowerCase());
      // Lower case that changes a text's length (or a final sigma, lowered by context) moves
      // positions: such a run is searched name by name.
      if (lowered.length !== text.length || text.includes('Σ')) {
        for (let i = 0; i < ends.length && found.length < limit; i++) {
          if (
            this.get(first + i)
              .toLowerCase()
              .includes(lowerNeedle)
          )
            found.push(first + i);
        }
        continue;
      }
      if (lowerNeedle === '') {
        for (let i = 0; i < ends.length && found.length < limit; i++) found.push(first + i);
        continue;
      }
      let from = 0;
      while (found.length < limit) {
        const at = lowered.indexOf(lowerNeedle, from);
        if (at < 0) break;
        const i = nameAt(ends, at);
        if (at + lowerNeedle.length <= ends[i]) {
          found.push(first + i);
          from = ends[i];
        } else from = at + 1;
      }
    }
    return found;
  }

  /** The run holding name `index`, or -1. */
  #runOf(index: number): number {
    if (!(index >= 0 && index < this.#length)) return -1;
    let lo = 0;
    let hi = this.#firsts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#firsts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** The name whose characters include position `at` (the first i with ends[i] > at). */
function nameAt(ends: Int32Array, at: number): number {
  let lo = 0;
  let hi = ends.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid] > at) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
