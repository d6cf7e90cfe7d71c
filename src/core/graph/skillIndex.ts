// The per-corpus skill index: every sample's skills as ids into one name table, in CSR form, with
// each skill's sample count. Written once when a corpus is imported, so the skill graph and the
// Skills step's sample index are built from a few typed arrays instead of every stored sample.
import type { SampleIndex } from '../combinations/sampleIndex';
import { SampleIndexBuilder } from '../combinations/sampleIndex';
import { graphOfSkillLists, type SkillGraphOptions } from './buildSkillGraph';
import type { SkillGraph } from './skillGraph';

export interface SkillIndex {
  /** Skill names by id, in the order the corpus first names them. */
  names: string[];
  /** Samples carrying each skill. */
  counts: Int32Array;
  /**
   * Skills of the sample at import position s: skillIds[sampleStart[s] .. sampleStart[s + 1]),
   * each at most once, in the order the sample lists them. Length: samples + 1.
   */
  sampleStart: Int32Array;
  skillIds: Int32Array;
}

/** Samples in the index (tagged or not). */
export function indexedSamples(index: SkillIndex): number {
  return index.sampleStart.length - 1;
}

function grown(array: Int32Array<ArrayBuffer>, needed: number): Int32Array<ArrayBuffer> {
  if (needed <= array.length) return array;
  const bigger = new Int32Array(Math.max(needed, array.length * 2));
  bigger.set(array);
  return bigger;
}

/** Values per block of `Int32Blocks`: 256 KB. */
const BLOCK_VALUES = 1 << 16;

/**
 * Int32 values appended in blocks of a fixed size. Growing by doubling would copy the values at
 * every step and leave the old arrays to the collector: during a 1 GB import (6.4M skill ids)
 * that held up to ~40 MB of discarded arrays beside the live ones in the import worker.
 */
class Int32Blocks {
  readonly #blocks: Int32Array<ArrayBuffer>[] = [];
  #last = new Int32Array(0);
  #usedInLast = 0;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(value: number): void {
    if (this.#usedInLast === this.#last.length) {
      this.#last = new Int32Array(BLOCK_VALUES);
      this.#blocks.push(this.#last);
      this.#usedInLast = 0;
    }
    this.#last[this.#usedInLast++] = value;
    this.#length++;
  }

  /** All values in one array of exactly their length. */
  toArray(): Int32Array<ArrayBuffer> {
    const all = new Int32Array(this.#length);
    for (let block = 0, at = 0; at < this.#length; block++, at += BLOCK_VALUES) {
      const values = this.#blocks[block];
      all.set(
        at + BLOCK_VALUES <= this.#length ? values : values.subarray(0, this.#length - at),
        at,
      );
    }
    return all;
  }
}

/** Accumulates samples' skill lists in import order (`add`), then `build`s the index once. */
export class SkillIndexBuilder {
  readonly #idOf = new Map<string, number>();
  readonly #names: string[] = [];
  #counts = new Int32Array(256);
  /** Sample that last carried each skill: a sample's repeated skill is counted once. */
  #lastSample = new Int32Array(256);
  readonly #skillIds = new Int32Blocks();
  readonly #sampleStart = new Int32Blocks();
  #samples = 0;

  constructor() {
    this.#sampleStart.push(0);
  }

  add(skills: readonly string[]): void {
    const sample = this.#samples;
    for (const name of skills) {
      let id = this.#idOf.get(name);
      if (id === undefined) {
        id = this.#names.length;
        this.#idOf.set(name, id);
        this.#names.push(name);
        this.#counts = grown(this.#counts, id + 1);
        this.#lastSample = grown(this.#lastSample, id + 1);
        this.#lastSample[id] = -1;
      }
      if (this.#lastSample[id] === sample) continue;
      this.#lastSample[id] = sample;
      this.#counts[id]++;
      this.#skillIds.push(id);
    }
    this.#samples++;
    this.#sampleStart.push(this.#skillIds.length);
  }

  build(): SkillIndex {
    return {
      names: [...this.#names],
      counts: this.#counts.slice(0, this.#names.length),
      sampleStart: this.#sampleStart.toArray(),
      skillIds: this.#skillIds.toArray(),
    };
  }
}

/**
 * The skill co-occurrence graph of the indexed corpus: the same graph `SkillGraphBuilder` builds
 * from the samples themselves (buildSkillGraph.ts), fed from the index.
 */
export function skillGraphFromIndex(
  index: SkillIndex,
  options: SkillGraphOptions = {},
): SkillGraph {
  // Both number skills by first appearance and keep a sample's skill once: the index's lists are
  // the builder's.
  const { names, counts, sampleStart, skillIds } = index;
  const sampleEnds = sampleStart.subarray(1);
  return graphOfSkillLists(
    { names, counts, skillIds, sampleEnds, sampleCount: sampleEnds.length },
    options,
  );
}

/** The indexed corpus's samples as skill ids of `graph` (core/combinations/sampleIndex.ts). */
export function sampleIndexFromSkillIndex(
  index: SkillIndex,
  graph: Pick<SkillGraph, 'names'>,
): SampleIndex {
  const builder = new SampleIndexBuilder(graph.names);
  const nodeOf = Int32Array.from(index.names, (name) => builder.idOf(name));
  const { sampleStart, skillIds } = index;
  for (let s = 0; s + 1 < sampleStart.length; s++) {
    builder.addMapped(skillIds, sampleStart[s], sampleStart[s + 1], nodeOf);
  }
  return builder.build();
}
