import { mulberry32 } from '../random/mulberry32';
import { fmix32, fnv1a32 } from '../hash';

/**
 * MinHash signatures over word shingles, and an LSH (banding) index that finds the stored
 * signatures likely to be similar to a new one. The fraction of equal signature positions
 * estimates the Jaccard similarity of the two shingle sets.
 */
export interface MinHashOptions {
  /** Signature length; default 128. */
  permutations?: number;
  /** Words per shingle; default 3. */
  shingleSize?: number;
  /** Seed of the hash family; default 1. Signatures are comparable only under the same options. */
  seed?: number;
}

export const defaultMinHashOptions: Required<MinHashOptions> = {
  permutations: 128,
  shingleSize: 3,
  seed: 1,
};

/** Lowercased (NFKC), every run of characters other than letters and digits read as one space. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export interface MinHasher {
  readonly options: Required<MinHashOptions>;
  /** All positions 0xffffffff when the text has no word. */
  signature(text: string): Uint32Array;
}

/**
 * The hash family: h_i(x) = fmix32(a_i * x + b_i) with odd a_i and any b_i drawn from the seed,
 * applied to a 32-bit hash of each shingle (its words' FNV-1a 32 hashes folded in order with
 * fmix32). A text shorter than one shingle is one shingle of all its words.
 */
export function createMinHasher(options: MinHashOptions = {}): MinHasher {
  const resolved = { ...defaultMinHashOptions, ...options };
  const { permutations, shingleSize, seed } = resolved;
  if (!Number.isInteger(permutations) || permutations < 1) {
    throw new Error(`permutations: must be a positive integer, got ${permutations}`);
  }
  if (!Number.isInteger(shingleSize) || shingleSize < 1) {
    throw new Error(`shingleSize: must be a positive integer, got ${shingleSize}`);
  }
  const random = mulberry32(seed);
  const multipliers = new Uint32Array(permutations);
  const offsets = new Uint32Array(permutations);
  for (let i = 0; i < permutations; i++) {
    multipliers[i] = ((random() * 4294967296) | 1) >>> 0;
    offsets[i] = (random() * 4294967296) >>> 0;
  }
  return {
    options: resolved,
    signature(text: string): Uint32Array {
      const signature = new Uint32Array(permutations).fill(0xffffffff);
      const normal = normaliseText(text);
      if (normal === '') return signature;
      const words = normal.split(' ');
      const wordHashes = new Uint32Array(words.length);
      for (let w = 0; w < words.length; w++) wordHashes[w] = fnv1a32(words[w]);
      const last = Math.max(0, words.length - shingleSize);
      const end = Math.min(shingleSize, words.length);
      for (let w = 0; w <= last; w++) {
        let shingle = 0;
        for (let j = 0; j < end; j++)
          shingle = fmix32(Math.imul(shingle, 0x9e3779b1) ^ wordHashes[w + j]);
        for (let i = 0; i < permutations; i++) {
          const h = fmix32(Math.imul(multipliers[i], shingle) + offsets[i]);
          if (h < signature[i]) signature[i] = h;
        }
      }
      return signature;
    },
  };
}

/** Fraction of positions where the two signatures agree. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length) {
    throw new Error(`signatures differ in length: ${a.length} and ${b.length}`);
  }
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/**
 * LSH banding: the signature is cut into `bands` bands of `rows` positions; two signatures are
 * candidates when some band is equal in both. The chance for Jaccard s is 1 - (1 - s^rows)^bands;
 * the default 32 × 4 gives 0.99999995 at s = 0.8, 0.99 at 0.6, 0.87 at 0.5, 0.05 at 0.2.
 * Items are stored in insertion order under their index; signatures in one flat typed array.
 */
export class LshIndex {
  readonly rows: number;
  private readonly bandKeys: Map<number, number[]>[];
  private signatures: Uint32Array;
  private count = 0;

  constructor(
    readonly permutations: number,
    readonly bands = 32,
  ) {
    if (!Number.isInteger(bands) || bands < 1 || permutations % bands !== 0) {
      throw new Error(`bands: must divide the signature length ${permutations}, got ${bands}`);
    }
    this.rows = permutations / bands;
    this.bandKeys = Array.from({ length: bands }, () => new Map<number, number[]>());
    this.signatures = new Uint32Array(permutations * 64);
  }

  get size(): number {
    return this.count;
  }

  signatureOf(index: number): Uint32Array {
    return this.signatures.subarray(index * this.permutations, (index + 1) * this.permutations);
  }

  private bandKey(signature: Uint32Array, band: number): number {
    let h = band;
    for (let r = band * this.rows; r < (band + 1) * this.rows; r++) {
      h = fmix32(Math.imul(h, 0x9e3779b1) ^ signature[r]);
    }
    return h;
  }

  /** Stores a signature; returns its index. */
  add(signature: Uint32Array): number {
    if (signature.length !== this.permutations) {
      throw new Error(`signature has ${signature.length} positions, expected ${this.permutations}`);
    }
    if ((this.count + 1) * this.permutations > this.signatures.length) {
      const grown = new Uint32Array(this.signatures.length * 2);
      grown.set(this.signatures);
      this.signatures = grown;
    }
    this.signatures.set(signature, this.count * this.permutations);
    for (let band = 0; band < this.bands; band++) {
      const key = this.bandKey(signature, band);
      const bucket = this.bandKeys[band].get(key);
      if (bucket) bucket.push(this.count);
      else this.bandKeys[band].set(key, [this.count]);
    }
    return this.count++;
  }

  /**
   * The stored item most similar to `signature` among the LSH candidates (earliest on ties), or
   * null when no band matches. Candidates are verified on the whole signature.
   */
  nearest(signature: Uint32Array): { index: number; similarity: number } | null {
    const seen = new Set<number>();
    let best: { index: number; similarity: number } | null = null;
    for (let band = 0; band < this.bands; band++) {
      const bucket = this.bandKeys[band].get(this.bandKey(signature, band));
      if (!bucket) continue;
      for (const index of bucket) {
        if (seen.has(index)) continue;
        seen.add(index);
        const similarity = estimateJaccard(signature, this.signatureOf(index));
        if (
          best === null ||
          similarity > best.similarity ||
          (similarity === best.similarity && index < best.index)
        ) {
          best = { index, similarity };
        }
      }
    }
    return best;
  }
}
