/**
 * The corpus's samples as skill ids of one graph, indexed both ways once so that co-occurrence
 * questions are answered without reading the corpus again: which skills a sample carries (each
 * sample's ids ascending) and which samples carry a skill (ascending sample numbers). Skills the
 * graph does not have (dropped by the minimum count) are left out; so are samples left with no
 * skill. Built by streaming: `add` each sample's skills as the corpus is read, then `build`.
 */
export interface SampleIndex {
  skillCount: number;
  /** Samples that carry at least one of the graph's skills. */
  sampleCount: number;
  /** Skills of sample s: sampleSkills[sampleStart[s] .. sampleStart[s + 1]), ascending. */
  sampleStart: Int32Array;
  sampleSkills: Int32Array;
  /** Samples carrying skill i: skillSamples[skillStart[i] .. skillStart[i + 1]), ascending. */
  skillStart: Int32Array;
  skillSamples: Int32Array;
}

export class SampleIndexBuilder {
  readonly #idOf: Map<string, number>;
  #skills = new Int32Array(1024);
  #used = 0;
  #ends: number[] = [];
  readonly #seen: Int32Array;

  /** `names`: the graph's skill names, by id. */
  constructor(names: readonly string[]) {
    this.#idOf = new Map(names.map((name, id) => [name, id]));
    this.#seen = new Int32Array(names.length).fill(-1);
  }

  add(skills: readonly string[]): void {
    const sample = this.#ends.length;
    const first = this.#used;
    for (const name of skills) {
      const id = this.#idOf.get(name);
      if (id !== undefined) this.#push(id, sample);
    }
    this.#endSample(first);
  }

  /**
   * Adds a sample given as ids of another name table: ids[from .. to), each mapped to the graph's
   * id by `nodeOf` (-1: not in the graph). Saves looking names up for a whole corpus.
   */
  addMapped(ids: Int32Array, from: number, to: number, nodeOf: Int32Array): void {
    const sample = this.#ends.length;
    const first = this.#used;
    for (let k = from; k < to; k++) {
      const id = nodeOf[ids[k]];
      if (id >= 0) this.#push(id, sample);
    }
    this.#endSample(first);
  }

  /** The id of the graph's name table for `name`, -1 when the graph has no such skill. */
  idOf(name: string): number {
    return this.#idOf.get(name) ?? -1;
  }

  #push(id: number, sample: number): void {
    if (this.#seen[id] === sample) return;
    this.#seen[id] = sample;
    if (this.#used === this.#skills.length) {
      const grown = new Int32Array(this.#skills.length * 2);
      grown.set(this.#skills);
      this.#skills = grown;
    }
    this.#skills[this.#used++] = id;
  }

  #endSample(first: number): void {
    if (this.#used === first) return;
    this.#skills.subarray(first, this.#used).sort();
    this.#ends.push(this.#used);
  }

  build(): SampleIndex {
    const skillCount = this.#seen.length;
    const sampleCount = this.#ends.length;
    const sampleStart = Int32Array.from([0, ...this.#ends]);
    const sampleSkills = this.#skills.slice(0, this.#used);
    const skillStart = new Int32Array(skillCount + 1);
    for (const skill of sampleSkills) skillStart[skill + 1]++;
    for (let i = 0; i < skillCount; i++) skillStart[i + 1] += skillStart[i];
    const fill = skillStart.slice(0, skillCount);
    const skillSamples = new Int32Array(sampleSkills.length);
    for (let s = 0; s < sampleCount; s++) {
      for (let k = sampleStart[s]; k < sampleStart[s + 1]; k++) {
        skillSamples[fill[sampleSkills[k]]++] = s;
      }
    }
    return { skillCount, sampleCount, sampleStart, sampleSkills, skillStart, skillSamples };
  }
}

/** The index of samples given as skill-name lists, against the graph's names. */
export function indexSamples(
  names: readonly string[],
  samples: Iterable<readonly string[]>,
): SampleIndex {
  const builder = new SampleIndexBuilder(names);
  for (const skills of samples) builder.add(skills);
  return builder.build();
}

/** Whether sample s carries the skill (its skills are ascending). */
export function sampleCarries(index: SampleIndex, sample: number, skill: number): boolean {
  let low = index.sampleStart[sample];
  let high = index.sampleStart[sample + 1];
  while (low < high) {
    const middle = (low + high) >> 1;
    const value = index.sampleSkills[middle];
    if (value === skill) return true;
    if (value < skill) low = middle + 1;
    else high = middle;
  }
  return false;
}

/** The samples carrying every one of `skills`, ascending (every sample for no skill). */
export function samplesCarryingAll(index: SampleIndex, skills: readonly number[]): number[] {
  if (skills.length === 0) return Array.from({ length: index.sampleCount }, (_, s) => s);
  let rarest = skills[0];
  for (const skill of skills) {
    if (samplesOf(index, skill) < samplesOf(index, rarest)) rarest = skill;
  }
  const found: number[] = [];
  for (let k = index.skillStart[rarest]; k < index.skillStart[rarest + 1]; k++) {
    const sample = index.skillSamples[k];
    if (skills.every((skill) => skill === rarest || sampleCarries(index, sample, skill))) {
      found.push(sample);
    }
  }
  return found;
}

/** Samples carrying the skill. */
export function samplesOf(index: SampleIndex, skill: number): number {
  return index.skillStart[skill + 1] - index.skillStart[skill];
}
