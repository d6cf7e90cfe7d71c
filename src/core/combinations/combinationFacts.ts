// What the corpus says about chosen skill combinations: how often each occurs, how much of the
// chosen set is new, whether the results collapse onto a few partner skills, and where the chosen
// sets fall in the corpus's own distribution of combination frequencies.
import type { Combination } from '../taxonomy/combinationSearch';
import { sampleCarries, samplesCarryingAll, type SampleIndex } from './sampleIndex';

export interface PairCount {
  skills: [number, number];
  /** Samples carrying both. */
  count: number;
}

export interface CombinationFacts {
  /** Samples that carry every skill of the combination. */
  cooccurrence: number;
  /** The least frequent pair among its skills (the first such pair in the listed order); none for one skill. */
  rarestPair?: PairCount;
}

/** Samples carrying every one of `skills`. */
export function cooccurrence(index: SampleIndex, skills: readonly number[]): number {
  return samplesCarryingAll(index, skills).length;
}

export function combinationFacts(index: SampleIndex, skills: readonly number[]): CombinationFacts {
  return counterOf(index).facts(skills);
}

/** One counter per index, so that facts row after row cost no allocation per row. */
const counters = new WeakMap<SampleIndex, CombinationCounter>();

function counterOf(index: SampleIndex): CombinationCounter {
  let counter = counters.get(index);
  if (!counter) counters.set(index, (counter = new CombinationCounter(index)));
  return counter;
}

/**
 * Counts a combination's rarest pair and the whole set without building sample lists: a pair is
 * counted over the samples of its rarer skill, pairs in the listed order, and the search stops at
 * the first pair no sample carries (no later pair can come before it). One counter serves many
 * combinations.
 */
class CombinationCounter {
  /** Marks the skills of the combination being counted. */
  readonly #inSet: Uint8Array;

  constructor(private readonly index: SampleIndex) {
    this.#inSet = new Uint8Array(index.skillCount);
  }

  facts(skills: readonly number[]): CombinationFacts {
    const { index } = this;
    let rarestPair: PairCount | undefined;
    pairs: for (let a = 0; a < skills.length; a++) {
      for (let b = a + 1; b < skills.length; b++) {
        const count = this.#pairCount(skills[a], skills[b]);
        if (!rarestPair || count < rarestPair.count) {
          rarestPair = { skills: [skills[a], skills[b]], count };
          if (count === 0) break pairs;
        }
      }
    }
    const together =
      rarestPair?.count === 0
        ? 0
        : skills.length <= 1
          ? cooccurrence(index, skills)
          : this.#all(skills);
    return { cooccurrence: together, rarestPair };
  }

  #pairCount(a: number, b: number): number {
    const { skillStart, skillSamples } = this.index;
    if (a === b) return skillStart[a + 1] - skillStart[a];
    const [rarer, other] =
      skillStart[a + 1] - skillStart[a] <= skillStart[b + 1] - skillStart[b] ? [a, b] : [b, a];
    let count = 0;
    for (let p = skillStart[rarer]; p < skillStart[rarer + 1]; p++) {
      if (sampleCarries(this.index, skillSamples[p], other)) count++;
    }
    return count;
  }

  /** Samples carrying every one of `skills` (distinct or not), from the rarest one's samples. */
  #all(skills: readonly number[]): number {
    const { skillStart, skillSamples, sampleStart, sampleSkills } = this.index;
    const inSet = this.#inSet;
    let rarest = skills[0];
    let distinct = 0;
    for (const skill of skills) {
      if (skillStart[skill + 1] - skillStart[skill] < skillStart[rarest + 1] - skillStart[rarest]) {
        rarest = skill;
      }
      if (!inSet[skill]) distinct++;
      inSet[skill] = 1;
    }
    let count = 0;
    for (let p = skillStart[rarest]; p < skillStart[rarest + 1]; p++) {
      const sample = skillSamples[p];
      let carried = 0;
      for (let q = sampleStart[sample]; q < sampleStart[sample + 1]; q++)
        carried += inSet[sampleSkills[q]];
      if (carried === distinct) count++;
    }
    for (const skill of skills) inSet[skill] = 0;
    return count;
  }
}

export interface UnseenShare {
  /** k: skills per combination. */
  size: number;
  sets: number;
  /** Sets that no sample of the corpus carries. */
  unseen: number;
  /** unseen / sets. */
  share: number;
}

/** Per k (ascending), the share of the combinations that never occur in the corpus. */
export function unseenShareBySize(
  index: SampleIndex,
  combinations: readonly Pick<Combination, 'skills'>[],
): UnseenShare[] {
  return unseenShares(
    combinations.map(({ skills }) => [skills.length, cooccurrence(index, skills)]),
  );
}

/** `unseenShareBySize` from each combination's size and co-occurrence, already counted. */
function unseenShares(sizeAndCount: readonly (readonly [number, number])[]): UnseenShare[] {
  const bySize = new Map<number, { sets: number; unseen: number }>();
  for (const [size, count] of sizeAndCount) {
    const held = bySize.get(size) ?? { sets: 0, unseen: 0 };
    held.sets++;
    if (count === 0) held.unseen++;
    bySize.set(size, held);
  }
  return [...bySize]
    .sort(([a], [b]) => a - b)
    .map(([size, { sets, unseen }]) => ({ size, sets, unseen, share: unseen / sets }));
}

/**
 * Results have collapsed when the most repeated partner is in at least this share of the rows,
 * and in at least COLLAPSE_OVER_UNIFORM times the share a partner would have if partners were
 * drawn uniformly ((k − 1) / (n − 1)), so that a 12-skill corpus is not flagged for repeating.
 */
export const COLLAPSE_SHARE = 0.2;
export const COLLAPSE_OVER_UNIFORM = 3;

export interface PartnerDiversity {
  rows: number;
  /** Distinct skills that appear as a partner (not the start) in some row. */
  distinctPartners: number;
  /** The partner in most rows (the lowest id on ties); absent without partners. */
  topPartner?: number;
  topPartnerRows: number;
  /** topPartnerRows / rows (0 without rows). */
  topPartnerShare: number;
  verdict: 'diverse' | 'collapsed';
  /** Said when collapsed: what it means and what to try. */
  message?: string;
}

/** How often the most repeated partner skill appears, as a share of the rows. */
export function partnerDiversity(
  combinations: readonly Pick<Combination, 'start' | 'skills'>[],
  skillCount: number,
): PartnerDiversity {
  const rowsWith = new Map<number, number>();
  let partnersPerRow = 0;
  for (const { start, skills } of combinations) {
    for (const skill of new Set(skills)) {
      if (skill !== start) rowsWith.set(skill, (rowsWith.get(skill) ?? 0) + 1);
    }
    partnersPerRow = Math.max(partnersPerRow, skills.length - 1);
  }
  let topPartner: number | undefined;
  let topPartnerRows = 0;
  for (const [skill, rows] of rowsWith) {
    if (rows > topPartnerRows || (rows === topPartnerRows && skill < topPartner!)) {
      topPartner = skill;
      topPartnerRows = rows;
    }
  }
  const rows = combinations.length;
  const topPartnerShare = rows === 0 ? 0 : topPartnerRows / rows;
  const uniformShare = skillCount > 1 ? partnersPerRow / (skillCount - 1) : 1;
  const collapsed =
    rows > 0 &&
    topPartnerShare >= COLLAPSE_SHARE &&
    topPartnerShare >= COLLAPSE_OVER_UNIFORM * uniformShare;
  const percent = Math.round(100 * topPartnerShare);
  return {
    rows,
    distinctPartners: rowsWith.size,
    topPartner,
    topPartnerRows,
    topPartnerShare,
    verdict: collapsed ? 'collapsed' : 'diverse',
    message: collapsed
      ? `One partner skill is in ${topPartnerRows} of ${rows} rows (${percent} %), and ${rowsWith.size} ` +
        'skills are partners at all: the results collapse onto a few skills. Use the local search or a ' +
        'lower coherence scope, or raise the minimum skill count if rare skills dominate the graph.'
      : undefined,
  };
}

export interface FrequencyCount {
  /** Samples carrying the k-set. */
  frequency: number;
  /** k-sets with that frequency. */
  sets: number;
}

export interface CombinationFrequencies {
  size: number;
  /** Distinct k-sets carried by some sample. */
  distinctSets: number;
  /** frequency → number of the corpus's k-sets with it, by ascending frequency (a log-log plot). */
  corpus: FrequencyCount[];
  /** The same for the chosen combinations of that size that do occur, by ascending frequency. */
  chosen: FrequencyCount[];
  /** Chosen combinations of that size that no sample carries (frequency 0, off a log axis). */
  chosenUnseen: number;
}

/** Default bound on the k-sets read from the samples (each sample of s skills holds C(s, k)). */
export const MAX_CORPUS_SETS = 2_000_000;

/** The samples hold more k-sets than `combinationFrequencies` reads; the message says what to do. */
export class TooManySetsError extends Error {
  constructor(maxSets: number, size: number) {
    super(
      `the samples hold more than ${maxSets} sets of ${size} skills; choose a smaller k or raise the minimum skill count`,
    );
    this.name = 'TooManySetsError';
  }
}

/**
 * The distribution of k-set frequencies in the corpus, with the chosen combinations of size k
 * beside it: how far into the long tail the chosen sets lie. Throws TooManySetsError when the
 * samples hold more than `maxSets` k-sets in all (a corpus with many skills per sample and a large k).
 */
export function combinationFrequencies(
  index: SampleIndex,
  size: number,
  chosen: readonly Pick<Combination, 'skills'>[],
  maxSets = MAX_CORPUS_SETS,
): CombinationFrequencies {
  if (!Number.isInteger(size) || size < 1) {
    throw new Error(`size: must be a positive integer, got ${size}`);
  }
  let total = 0;
  for (let s = 0; s < index.sampleCount; s++) {
    total += binomial(index.sampleStart[s + 1] - index.sampleStart[s], size);
    if (total > maxSets) throw new TooManySetsError(maxSets, size);
  }
  const frequencyOf = new Map<string, number>();
  const picked: number[] = [];
  for (let s = 0; s < index.sampleCount; s++) {
    const skills = index.sampleSkills.subarray(index.sampleStart[s], index.sampleStart[s + 1]);
    forEachSubset(skills, size, picked, 0, (key) =>
      frequencyOf.set(key, (frequencyOf.get(key) ?? 0) + 1),
    );
  }
  const chosenFrequencies: number[] = [];
  let chosenUnseen = 0;
  for (const { skills } of chosen) {
    if (skills.length !== size) continue;
    const frequency = frequencyOf.get(setKey(skills)) ?? 0;
    if (frequency === 0) chosenUnseen++;
    else chosenFrequencies.push(frequency);
  }
  return {
    size,
    distinctSets: frequencyOf.size,
    corpus: histogram(frequencyOf.values()),
    chosen: histogram(chosenFrequencies),
    chosenUnseen,
  };
}

function forEachSubset(
  skills: Int32Array,
  size: number,
  picked: number[],
  from: number,
  visit: (key: string) => void,
): void {
  if (picked.length === size) {
    visit(picked.join(','));
    return;
  }
  for (let k = from; k <= skills.length - (size - picked.length); k++) {
    picked.push(skills[k]);
    forEachSubset(skills, size, picked, k + 1, visit);
    picked.pop();
  }
}

/** The ascending ids of a set, joined: the key the corpus's subsets are counted under. */
function setKey(skills: readonly number[]): string {
  return [...skills].sort((a, b) => a - b).join(',');
}

function histogram(frequencies: Iterable<number>): FrequencyCount[] {
  const sets = new Map<number, number>();
  for (const frequency of frequencies) sets.set(frequency, (sets.get(frequency) ?? 0) + 1);
  return [...sets]
    .sort(([a], [b]) => a - b)
    .map(([frequency, count]) => ({ frequency, sets: count }));
}

function binomial(n: number, k: number): number {
  if (k > n) return 0;
  let value = 1;
  for (let i = 1; i <= k; i++) value = (value * (n - k + i)) / i;
  return Math.round(value);
}

/**
 * The sets carried by `threshold` samples or more: the search's `exclude` option with it leaves
 * out the combinations the corpus already has often, and finds others in their places.
 */
export function frequentInCorpus(
  index: SampleIndex,
  threshold: number,
): (skills: readonly number[]) => boolean {
  if (!Number.isInteger(threshold) || threshold < 1) {
    throw new Error(`threshold: must be a positive integer (samples), got ${threshold}`);
  }
  return (skills) => cooccurrence(index, skills) >= threshold;
}

export interface FrequentLeftOut<C extends Pick<Combination, 'start' | 'skills'>> {
  threshold: number;
  /** The combinations found while leaving out the frequent ones. */
  kept: C[];
  /** Combinations found without leaving out that occur in `threshold` samples or more. */
  dropped: C[];
  /** Kept combinations that were not found without leaving out: the search's replacements. */
  replacements: C[];
  /** Starts left with fewer than `perStart` combinations (their search found too few rare ones). */
  startsShort: number[];
}

/**
 * What leaving out frequent combinations changed: `shown` are a search's combinations, `kept`
 * those of the same search with `exclude: frequentInCorpus(index, threshold)`.
 */
export function frequentLeftOut<C extends Pick<Combination, 'start' | 'skills'>>(
  index: SampleIndex,
  shown: readonly C[],
  kept: readonly C[],
  threshold: number,
  perStart: number,
): FrequentLeftOut<C> {
  const frequent = frequentInCorpus(index, threshold);
  if (!Number.isInteger(perStart) || perStart < 1) {
    throw new Error(`perStart: must be a positive integer, got ${perStart}`);
  }
  const shownSets = new Set(shown.map(({ skills }) => setKey(skills)));
  const keptPerStart = new Map<number, number>();
  for (const { start } of [...shown, ...kept]) keptPerStart.set(start, 0);
  for (const { start } of kept) keptPerStart.set(start, keptPerStart.get(start)! + 1);
  return {
    threshold,
    kept: [...kept],
    dropped: shown.filter(({ skills }) => frequent(skills)),
    replacements: kept.filter(({ skills }) => !shownSets.has(setKey(skills))),
    startsShort: [...keptPerStart].filter(([, count]) => count < perStart).map(([start]) => start),
  };
}

/** What the corpus says about one search's combinations, as the Combinations step shows it. */
export interface CombinationSetFacts {
  /** Per combination, in their order. */
  facts: CombinationFacts[];
  unseen: UnseenShare[];
  partners: PartnerDiversity;
  /** The corpus's k-set frequencies with the combinations of the search's k; null when too many. */
  frequencies: CombinationFrequencies | null;
  /** Why there are no frequencies. */
  frequenciesError?: string;
}

/** Counts, unseen share, partner diversity and frequency distribution of a search's combinations. */
export function combinationSetFacts(
  index: SampleIndex,
  combinations: readonly Pick<Combination, 'start' | 'skills'>[],
  size: number,
  maxSets = MAX_CORPUS_SETS,
): CombinationSetFacts {
  const counter = counterOf(index);
  const facts = combinations.map(({ skills }) => counter.facts(skills));
  const partners = partnerDiversity(combinations, index.skillCount);
  const unseen = unseenShares(
    combinations.map(({ skills }, row) => [skills.length, facts[row].cooccurrence]),
  );
  try {
    return {
      facts,
      unseen,
      partners,
      frequencies: combinationFrequencies(index, size, combinations, maxSets),
    };
  } catch (error) {
    if (!(error instanceof TooManySetsError)) throw error;
    return { facts, unseen, partners, frequencies: null, frequenciesError: error.message };
  }
}
